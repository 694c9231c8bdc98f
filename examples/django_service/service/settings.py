"""Settings for the Faultline Django + DRF example service (Django 3.2, DRF 3.14)."""
import os
from pathlib import Path

from service.reporting import init_sentry

BASE_DIR = Path(__file__).resolve().parent.parent

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "example-only-not-secret")
DEBUG = False  # DEBUG=True would show Django's technical 500 page instead of ours
ALLOWED_HOSTS = ["*"]

# No database: nothing here needs one (no auth, sessions, admin, models).
DATABASES = {}
INSTALLED_APPS = ["rest_framework"]

MIDDLEWARE = [
    # First (outermost): sets the request id, and its process_exception turns
    # any view exception into our 500.html page. See service/middleware.py.
    "service.middleware.ErrorPageMiddleware",
]

ROOT_URLCONF = "service.urls"
WSGI_APPLICATION = "service.wsgi.application"
APPEND_SLASH = False

TEMPLATES = [{
    "BACKEND": "django.template.backends.django.DjangoTemplates",
    "DIRS": [BASE_DIR / "templates"],
    "APP_DIRS": False,
    "OPTIONS": {"context_processors": []},
}]

USE_TZ = True
TIME_ZONE = "UTC"

SERVICE_NAME = os.environ.get("SERVICE_NAME", "orders-api")
# The flaky upstream. Default: a port nobody listens on, so it always fails.
UPSTREAM_URL = os.environ.get("UPSTREAM_URL", "http://127.0.0.1:9/inventory")
UPSTREAM_TIMEOUT = float(os.environ.get("UPSTREAM_TIMEOUT", "1.0"))
UPSTREAM_RETRIES = int(os.environ.get("UPSTREAM_RETRIES", "3"))

REST_FRAMEWORK = {
    "EXCEPTION_HANDLER": "service.exception_handler.faultline_exception_handler",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    # No django.contrib.auth installed: no authentication, anonymous user None.
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "UNAUTHENTICATED_USER": None,
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "loggers": {
        "service": {"handlers": ["console"], "level": "INFO"},
    },
}

init_sentry()
