"""Request models: a Pydantic v1 model (pydantic 1.10) and a DRF serializer."""
import re

from pydantic import BaseModel, conint, constr, validator
from rest_framework import serializers

USERNAME_RE = re.compile(r"^[a-z0-9_]{3,20}$")


class SignupRequest(BaseModel):
    email: str
    username: str
    age: conint(ge=13, le=130)
    password: constr(min_length=8)
    password_confirm: str

    @validator("email")
    def email_must_look_like_an_address(cls, value):
        local, sep, domain = value.partition("@")
        if not sep or not local or "." not in domain:
            raise ValueError("not a valid email address")
        return value.lower()

    @validator("username")
    def username_charset(cls, value):
        if not USERNAME_RE.match(value):
            raise ValueError("3-20 characters: lowercase letters, digits, underscore")
        return value

    @validator("password")
    def password_strength(cls, value):
        if not any(c.isdigit() for c in value) or not any(c.isalpha() for c in value):
            raise ValueError("password must contain letters and digits")
        return value

    @validator("password_confirm")
    def passwords_match(cls, value, values):
        if "password" in values and value != values["password"]:
            raise ValueError("passwords do not match")
        return value


class OrderSerializer(serializers.Serializer):
    sku = serializers.RegexField(r"^[A-Z]{3}-\d{4}$", max_length=8,
                                 error_messages={"invalid": "SKU must look like ABC-1234."})
    quantity = serializers.IntegerField(min_value=1, max_value=100)
    shipping_country = serializers.ChoiceField(choices=["DE", "FR", "NL", "US"])
    coupon = serializers.CharField(required=False, allow_blank=True)

    def validate(self, attrs):
        if attrs.get("coupon") and attrs["quantity"] > 10:
            raise serializers.ValidationError("coupons are limited to 10 items per order")
        return attrs
