"""DRF custom exception handler (settings.REST_FRAMEWORK["EXCEPTION_HANDLER"]).

Every API error answers ``{"error": <message>, "status_code": <n>}`` (plus
``details`` for validation errors) and is reported to Faultline with what the
client got: context ``response`` = {"status_code", "data"} and tag
``http.status_code``. Validation failures (4xx) are captured too, at level
"warning", so Faultline can show which fields clients get wrong.
"""
import logging

from pydantic import ValidationError as PydanticValidationError
from rest_framework import exceptions as drf_exceptions
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_default_handler

from service.reporting import report_exception

log = logging.getLogger("service.api")


def pydantic_details(exc):
    """Pydantic v1 e.errors() -> [{"loc": [...], "msg": ..., "type": ...}]."""
    return [{"loc": [str(part) for part in err.get("loc", ())],
             "msg": err.get("msg", ""),
             "type": err.get("type", "")} for err in exc.errors()]


def drf_details(detail, loc=()):
    """DRF ValidationError.detail (nested dict/list of ErrorDetail) -> same shape."""
    out = []
    if isinstance(detail, dict):
        for key, value in detail.items():
            field = [] if key == "non_field_errors" else [str(key)]
            out.extend(drf_details(value, loc + tuple(field)))
    elif isinstance(detail, list):
        for item in detail:
            if isinstance(item, (dict, list)):
                # list of nested objects: index them
                idx = detail.index(item)
                out.extend(drf_details(item, loc + (str(idx),)))
            else:
                out.extend(drf_details(item, loc))
    else:
        out.append({"loc": list(loc) or ["__all__"], "msg": str(detail),
                    "type": getattr(detail, "code", "invalid") or "invalid"})
    return out


def _message(detail):
    if isinstance(detail, (list, dict)):
        return "Invalid input"
    return str(detail)


def faultline_exception_handler(exc, context):
    request = context.get("request")
    path = getattr(request, "path", "?")

    if isinstance(exc, PydanticValidationError):
        details = pydantic_details(exc)
        body = {"error": "Request validation failed", "status_code": 422, "details": details}
        log.info("422 on %s: %d validation error(s)", path, len(details))
        # The event's exception value is Pydantic v1's multi-line text
        # ("3 validation errors for SignupRequest\nemail\n  not a valid ...");
        # extra.validation_errors carries the same thing structured.
        report_exception(exc, 422, body, level="warning", extra={"validation_errors": details})
        return Response(body, status=422)

    if isinstance(exc, drf_exceptions.ValidationError):
        details = drf_details(exc.detail)
        body = {"error": "Invalid input", "status_code": 400, "details": details}
        log.info("400 on %s: %d validation error(s)", path, len(details))
        report_exception(exc, 400, body, level="warning", extra={"validation_errors": details})
        return Response(body, status=400)

    # APIException, Http404, PermissionDenied: DRF knows the status.
    response = drf_default_handler(exc, context)
    if response is not None:
        status = response.status_code
        detail = getattr(exc, "detail", None)
        body = {"error": _message(detail) if detail is not None else str(exc) or response.status_text,
                "status_code": status}
        report_exception(exc, status, body, level="warning" if status < 500 else "error")
        response.data = body
        return response

    # Anything else raised inside an API view: a JSON 500 (API clients want JSON,
    # not the HTML page the middleware would render).
    body = {"error": "Internal server error", "status_code": 500}
    log.warning("unhandled %s on %s", type(exc).__name__, path)
    report_exception(exc, 500, body, level="error")
    return Response(body, status=500)
