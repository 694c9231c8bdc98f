"""Views of the example service. Each one shows one error-handling pattern."""
import logging
import time
from datetime import datetime, timezone

import requests
from django.conf import settings
from django.http import HttpResponseNotFound, HttpResponseServerError, JsonResponse
from django.template.loader import render_to_string
from rest_framework.response import Response
from rest_framework.views import APIView

from service.reporting import flush, report_exception
from service.schemas import OrderSerializer, SignupRequest

log = logging.getLogger("service.views")
upstream_log = logging.getLogger("service.upstream")


# --- error pages -----------------------------------------------------------

def _page_context(request, status_code, **extra):
    context = {
        "service_name": settings.SERVICE_NAME,
        "status_code": status_code,
        "request_id": getattr(request, "request_id", None) or "unknown",
        "path": getattr(request, "path", ""),
        "method": getattr(request, "method", ""),
        "timestamp": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M:%S UTC"),
    }
    context.update(extra)
    return context


def render_500(request):
    """The 500 page for ``request``, rendered once per request and cached on it,
    so the HTML attached to the Faultline event and the HTML sent to the client
    are the same bytes."""
    cached = getattr(request, "_faultline_500_html", None)
    if cached is not None:
        return cached
    html = render_to_string("500.html", _page_context(request, 500))
    if request is not None:
        request._faultline_500_html = html
    return html


def handler404(request, exception):
    """settings.ROOT_URLCONF handler404: unknown paths and Http404. Not reported
    (a 404 is the client's business), but the page carries the request id."""
    html = render_to_string("404.html", _page_context(request, 404))
    return HttpResponseNotFound(html)


def handler500(request):
    """handler500: reached only for exceptions ErrorPageMiddleware let through.
    By now DjangoIntegration has already captured the exception (Django fires
    got_request_exception before calling us) and reporting.before_send has
    rendered this page and attached it to that event; we return the same HTML."""
    html = render_500(request)
    flush()
    return HttpResponseServerError(html)


# --- plain Django views ------------------------------------------------------

def healthz(request):
    return JsonResponse({"status": "ok", "service": settings.SERVICE_NAME})


def average_order_value(request):
    """A plain bug: ZeroDivisionError on an empty day. Goes through
    ErrorPageMiddleware.process_exception -> 500.html attached to the event."""
    orders = [o for o in _orders_for_day(request.GET.get("day", "2024-01-01")) if o["paid"]]
    revenue = sum(o["total"] for o in orders)
    return JsonResponse({"average": revenue / len(orders)})


def _orders_for_day(day):
    return []  # nobody bought anything


class LegacyExportError(RuntimeError):
    # The middleware leaves exceptions carrying this flag to Django, to show the
    # handler500 path (signal -> DjangoIntegration event -> handler500 page).
    bypass_error_page_middleware = True


def legacy_export(request):
    raise LegacyExportError("legacy export backend is gone")


# --- DRF views ---------------------------------------------------------------

class SignupView(APIView):
    """Pydantic model with custom validators. pydantic.ValidationError is left
    to propagate: the DRF exception handler answers 422 with ``details`` and
    captures it (multi-line value + extra.validation_errors)."""

    def post(self, request):
        payload = request.data if isinstance(request.data, dict) else {}
        signup = SignupRequest(**payload)  # may raise pydantic.ValidationError
        return Response({"username": signup.username, "email": signup.email}, status=201)


class OrderView(APIView):
    """DRF serializer: is_valid(raise_exception=True) raises
    rest_framework.exceptions.ValidationError -> 400 via the exception handler."""

    def post(self, request):
        serializer = OrderSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return Response({"order": serializer.validated_data}, status=201)


class InventoryView(APIView):
    """Calls a flaky upstream with a timeout and retries. Each failed attempt is
    logged at WARNING -> a breadcrumb on the event; the final failure is
    captured with capture_exception and answered 502."""

    def get(self, request):
        url = settings.UPSTREAM_URL
        attempts = settings.UPSTREAM_RETRIES
        last_exc = None
        for attempt in range(1, attempts + 1):
            try:
                upstream_log.info("GET %s (attempt %d/%d)", url, attempt, attempts)
                reply = requests.get(url, timeout=settings.UPSTREAM_TIMEOUT,
                                     headers={"X-Request-ID": request.request_id})
                reply.raise_for_status()
                return Response({"inventory": reply.json()})
            except (requests.ConnectionError, requests.Timeout) as exc:
                last_exc = exc
                upstream_log.warning("upstream attempt %d/%d failed: %s: %s",
                                     attempt, attempts, type(exc).__name__, exc)
                if attempt < attempts:
                    time.sleep(0.2 * attempt)  # small backoff
            except (requests.HTTPError, ValueError) as exc:
                last_exc = exc
                upstream_log.warning("upstream attempt %d/%d bad answer: %s",
                                     attempt, attempts, exc)
                break  # retrying a bad answer won't help
        body = {"error": "upstream unavailable", "status_code": 502}
        upstream_log.warning("giving up on %s after %d attempts", url, attempts)
        report_exception(last_exc, 502, body, level="error",
                         extra={"upstream_url": url, "attempts": attempts})
        return Response(body, status=502)
