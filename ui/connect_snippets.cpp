#include "ui/connect_snippets.h"

#include "ui/agent_snippet.h"

#include <QCoreApplication>

namespace faultline {

namespace {

// Condensed from examples/django_service/service/*.py (settings, middleware, exception handler).
const char *const kDjango = R"py(# settings.py
import sentry_sdk
from sentry_sdk.integrations.django import DjangoIntegration

sentry_sdk.init(
    dsn="{DSN}",
    integrations=[DjangoIntegration(transaction_style="url")],
    environment="production",
    release="my-service@1.0.0",
    send_default_pii=False,
)

MIDDLEWARE = [
    "myservice.middleware.ErrorPageMiddleware",  # first: sees every view exception
    # ... the rest of your middleware
]

# middleware.py: report a view's exception WITH the 500 page the client got.
# A try/except around get_response() never sees view exceptions (Django turns
# them into responses first); process_exception is the hook that does.
import sentry_sdk
from django.http import Http404, HttpResponseServerError
from django.template.loader import render_to_string


class ErrorPageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, Http404):
            return None  # let Django answer 404 as usual
        html = render_to_string("500.html", {"path": request.path}, request=request)
        with sentry_sdk.push_scope() as scope:
            scope.set_tag("http.status_code", "500")
            scope.set_context("response", {"status_code": 500})
            scope.add_attachment(bytes=html.encode("utf-8"), filename="500.html",
                                 content_type="text/html")
            sentry_sdk.capture_exception(exception)
        return HttpResponseServerError(html)
)py";

const char *const kDrf = R"py(# settings.py
import sentry_sdk
from sentry_sdk.integrations.django import DjangoIntegration

sentry_sdk.init(dsn="{DSN}", integrations=[DjangoIntegration()])

REST_FRAMEWORK = {
    "EXCEPTION_HANDLER": "myservice.exception_handler.faultline_exception_handler",
}

# exception_handler.py: every API error answers {"error", "status_code"} and is
# reported with what the client got (status and body).
import sentry_sdk
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.views import exception_handler


def faultline_exception_handler(exc, context):
    response = exception_handler(exc, context)  # DRF knows 400/403/404/...
    status = response.status_code if response is not None else 500
    body = {"error": "Internal server error", "status_code": status}
    if isinstance(exc, exceptions.ValidationError):
        body.update(error="Invalid input", details=exc.detail)
    elif response is not None:
        body["error"] = str(getattr(exc, "detail", exc))
    with sentry_sdk.push_scope() as scope:
        scope.level = "warning" if status < 500 else "error"
        scope.set_tag("http.status_code", str(status))
        scope.set_context("response", {"status_code": status, "data": body})
        sentry_sdk.capture_exception(exc)
    return Response(body, status=status)
)py";

const char *const kPython = R"py(import sentry_sdk

sentry_sdk.init(dsn="{DSN}", release="my-tool@1.0.0")

try:
    1 / 0
except ZeroDivisionError:
    sentry_sdk.capture_exception()

sentry_sdk.capture_message("hello from my-tool")
sentry_sdk.flush()  # short scripts: send before exiting
)py";

const char *const kNode = R"js(// npm install @sentry/node
const Sentry = require("@sentry/node");

Sentry.init({
  dsn: "{DSN}",
  release: "my-service@1.0.0",
  environment: "production",
});

try {
  JSON.parse("{not json");
} catch (err) {
  Sentry.captureException(err);
}
Sentry.captureMessage("hello from my-service");
Sentry.flush(2000);  // short scripts: let queued events go out before exiting
)js";

const char *const kCurl = R"sh(# Plain JSON, no SDK: the project key as a bearer token.
curl -H "Authorization: Bearer {KEY}" \
     -H "Content-Type: application/json" \
     -d '{"message":"hello"}' \
     http://{HOSTPORT}/api/events

# With the page the user saw (stored as its 500.html):
curl -H "Authorization: Bearer {KEY}" \
     -H "Content-Type: application/json" \
     -d '{"message":"checkout failed","page":{"status_code":500,"html":"<h1>Oops</h1>"}}' \
     http://{HOSTPORT}/api/events
)sh";

} // namespace

QList<QPair<QString, QString>> connectSnippets(
    const Project &project, const QString &collectorHostPort, const QString &dbPath)
{
    const auto fill = [&](const char *text) {
        return QString::fromUtf8(text)
            .replace(QLatin1String("{DSN}"), ProjectStore::dsn(project, collectorHostPort))
            .replace(QLatin1String("{KEY}"), project.publicKey)
            .replace(QLatin1String("{HOSTPORT}"), collectorHostPort);
    };
    QList<QPair<QString, QString>> tabs { { QStringLiteral("Django"), fill(kDjango) },
        { QStringLiteral("DRF"), fill(kDrf) }, { QStringLiteral("Python"), fill(kPython) },
        { QStringLiteral("Node"), fill(kNode) }, { QStringLiteral("curl"), fill(kCurl) } };
    if (!dbPath.isEmpty())
        tabs.append({ QStringLiteral("Coding agent"),
            mcpAgentSnippet(QCoreApplication::applicationFilePath(), dbPath, project, collectorHostPort) });
    return tabs;
}

} // namespace faultline
