"""ErrorPageMiddleware: request ids, and any view exception -> 500.html.

THE GOTCHA (read this before copying the pattern)
-------------------------------------------------
The obvious middleware::

    def __call__(self, request):
        try:
            return self.get_response(request)
        except Exception as exc:        # never runs for view exceptions!
            ...

does not work in Django >= 1.10. Django wraps every layer of the middleware
chain in ``convert_exception_to_response``: when the view raises, the layer
below you has already turned the exception into a response (handler500, or the
technical page with DEBUG=True) and fired ``got_request_exception`` before
``get_response`` returns to you. Your ``except`` never sees it.

The hook that does see it is ``process_exception(request, exception)``: Django
calls it for exceptions raised by the view (and by TemplateResponse rendering)
*before* the conversion. Return a response and Django uses it, and, since the
exception counts as handled, neither ``got_request_exception`` (so no
DjangoIntegration event) nor handler500 happens. Return None and Django goes on
as usual (handler404 for Http404, handler500 + the integration's event for
everything else).

What arrives in Faultline for /reports/average (verified with sentry-sdk
1.9.10): exactly one event, sent to /api/<id>/envelope/ because it has an
attachment: an ``event`` item (ZeroDivisionError; no ``mechanism`` key, which is
how 1.9.10's capture_exception marks a handled capture; contexts.response
.status_code 500, tags http.status_code=500 and request_id)
followed by an ``attachment`` item filename=500.html content_type=text/html
with the very bytes returned to the client. DjangoIntegration adds the
``request`` interface to that event but sends nothing itself.
"""
import logging
import uuid

import sentry_sdk
from django.core.exceptions import BadRequest, PermissionDenied, SuspiciousOperation
from django.http import Http404, HttpResponseServerError

from service.reporting import current_request, report_exception

log = logging.getLogger("service.middleware")

# Exceptions Django maps to 4xx itself (handler404, handler403, handler400).
DJANGO_HANDLED = (Http404, PermissionDenied, BadRequest, SuspiciousOperation)


class ErrorPageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.META.get("HTTP_X_REQUEST_ID", "")
        request.request_id = incoming if (incoming.isalnum() and len(incoming) <= 64) else uuid.uuid4().hex
        # DjangoIntegration gives every request its own scope, so this tag only
        # lands on events of this request.
        with sentry_sdk.configure_scope() as scope:
            scope.set_tag("request_id", request.request_id)
        token = current_request.set(request)
        try:
            # Exceptions from the view do NOT come out of here (see above).
            response = self.get_response(request)
        finally:
            current_request.reset(token)
        response["X-Request-ID"] = request.request_id
        return response

    def process_exception(self, request, exception):
        if isinstance(exception, DJANGO_HANDLED):
            return None  # let Django answer 404/403/400 normally
        if getattr(exception, "bypass_error_page_middleware", False):
            return None  # demo of the handler500 path (see views.legacy_export)
        from service.views import render_500  # views import this module's peers

        try:
            html = render_500(request)
        except Exception:  # a broken template must not hide the real error
            log.warning("could not render 500.html", exc_info=True)  # WARNING: a breadcrumb, not a second event
            return None  # -> Django: got_request_exception + handler500
        log.warning("500 on %s: %s", request.path, type(exception).__name__)
        report_exception(exception, 500, html=html)
        return HttpResponseServerError(html)
