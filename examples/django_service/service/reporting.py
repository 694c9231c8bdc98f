"""Everything that talks to Faultline (through the unmodified sentry-sdk).

Written for Debian 12's sentry-sdk 1.9.10 (also fine on newer 1.x):

* ``sentry_sdk.init(dsn=os.environ["FAULTLINE_DSN"])`` is all it takes to point
  the SDK at Faultline instead of sentry.io.
* sentry-sdk 1.9.10 posts a plain error to ``/api/<id>/store/`` (gzip JSON) but
  switches to ``/api/<id>/envelope/`` as soon as the event has an attachment
  (client.py: ``if is_transaction or attachments``). So the 500 page we attach
  travels as an envelope ``attachment`` item:
  ``{"type":"attachment","filename":"500.html","content_type":"text/html","length":N}``.
* Attachments live on the scope and are copied into the event *hint* while the
  event is prepared, so a ``before_send(event, hint)`` callback may still add
  one (we use that for the handler500 path, see ``before_send`` below).
"""
import contextvars
import logging
import os
import socket

import sentry_sdk
from sentry_sdk.attachments import Attachment
from sentry_sdk.integrations.django import DjangoIntegration
from sentry_sdk.integrations.logging import LoggingIntegration

SERVICE_NAME = os.environ.get("SERVICE_NAME", "orders-api")

log = logging.getLogger("service.reporting")

# The request being handled on this thread/context. Set by ErrorPageMiddleware,
# read by before_send, which has no other way to know the request.
current_request = contextvars.ContextVar("current_request", default=None)


def _flush_each_event():
    return os.environ.get("FAULTLINE_FLUSH", "1") not in ("0", "false", "no", "")


def init_sentry():
    """Initialise sentry-sdk from FAULTLINE_DSN (no DSN: the SDK is a no-op)."""
    dsn = os.environ.get("FAULTLINE_DSN") or None
    sentry_sdk.init(
        dsn=dsn,
        integrations=[
            # DjangoIntegration adds the `request` interface, the transaction
            # name and reports exceptions Django itself treats as unhandled
            # (its `got_request_exception` signal receiver, mechanism "django").
            # Exceptions our middleware / DRF handler turn into responses never
            # fire that signal, so those are reported once, by our own capture.
            DjangoIntegration(transaction_style="url"),
            # Every log record >= INFO becomes a breadcrumb; >= ERROR would also
            # become its own event, which is why the upstream retries log at
            # WARNING (breadcrumbs) and never at ERROR (a second event).
            LoggingIntegration(level=logging.INFO, event_level=logging.ERROR),
        ],
        environment=os.environ.get("FAULTLINE_ENVIRONMENT", "example"),
        # An explicit release: otherwise 1.9.10 runs `git rev-parse HEAD` in the
        # working directory and uses whatever commit it finds.
        release=os.environ.get("FAULTLINE_RELEASE", SERVICE_NAME + "@1.0.0"),
        server_name=socket.gethostname(),
        send_default_pii=False,
        max_breadcrumbs=50,
        before_send=before_send,
    )
    sentry_sdk.set_tag("service", SERVICE_NAME)


def flush():
    """Send queued events now, so they land before the response is returned
    (the example is short-lived: runserver gets SIGTERM, and the SDK's atexit
    flush does not run then)."""
    if _flush_each_event():
        sentry_sdk.flush(timeout=2.0)


def report_exception(exc, status_code, body=None, level="error", extra=None, html=None,
                     html_filename="500.html"):
    """Capture ``exc`` telling Faultline what the client got back.

    * context ``response`` = {"status_code": n, "data": body}
    * tag ``http.status_code`` = n
    * ``extra`` items (e.g. ``validation_errors``)
    * optionally the HTML page the client saw, as an attachment.

    push_scope() keeps all of that on this one event only.
    Returns the event id (None without a DSN).
    """
    with sentry_sdk.push_scope() as scope:
        scope.level = level
        scope.set_tag("http.status_code", str(status_code))
        response = {"status_code": status_code}
        if body is not None:
            response["data"] = body
        scope.set_context("response", response)
        for key, value in (extra or {}).items():
            scope.set_extra(key, value)
        if html is not None:
            scope.add_attachment(bytes=html.encode("utf-8"), filename=html_filename,
                                 content_type="text/html")
        event_id = sentry_sdk.capture_exception(exc)
    flush()
    return event_id


def _mechanism_type(event):
    values = (event.get("exception") or {}).get("values") or []
    if not values:
        return None
    return (values[-1].get("mechanism") or {}).get("type")


def before_send(event, hint):
    """Attach the handler500 page to DjangoIntegration's own event.

    For an exception nobody handled (our middleware let it through), Django
    calls, in this order: the ``got_request_exception`` signal -> sentry's
    receiver captures it (mechanism "django") -> ``handler500`` renders the page.
    The page does not exist yet when the event is captured, and a second
    capture of the same exception from handler500 would be dropped by
    DedupeIntegration (it remembers the last exception object). So we render
    the 500 page here, attach it through the hint (sentry-sdk 1.9.10 reads
    ``hint["attachments"]`` after before_send), and cache it on the request so
    handler500 returns exactly the bytes Faultline got.
    """
    if _mechanism_type(event) == "django":
        from service.views import render_500  # late import: avoids a cycle

        request = current_request.get()
        html = render_500(request)
        hint.setdefault("attachments", []).append(
            Attachment(bytes=html.encode("utf-8"), filename="500.html", content_type="text/html"))
        event.setdefault("contexts", {})["response"] = {"status_code": 500}
        tags = event.setdefault("tags", {})
        if isinstance(tags, dict):
            tags["http.status_code"] = "500"
    return event
