#include "ui/connect_dialog.h"

#include "storage/database.h"
#include "storage/event_queries.h"
#include "ui/agent_snippet.h"

#include <QApplication>
#include <QClipboard>
#include <QDateTime>
#include <QFileInfo>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QPlainTextEdit>
#include <QPointer>
#include <QPushButton>
#include <QStackedWidget>
#include <QTabWidget>
#include <QTimer>
#include <QUuid>
#include <QVBoxLayout>

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

QPlainTextEdit *codeView(const QString &text, QWidget *parent)
{
    auto *view = new QPlainTextEdit(text, parent);
    view->setReadOnly(true);
    view->setLineWrapMode(QPlainTextEdit::NoWrap);
    view->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    return view;
}

} // namespace

ConnectDialog::ConnectDialog(QString dbPath, QString collectorHostPort, QWidget *parent)
    : QDialog(parent)
    , m_hostPort(std::move(collectorHostPort))
    , m_dbPath(std::move(dbPath))
    , m_poll(new QTimer(this))
{
    setWindowTitle(tr("Connect a service"));
    m_db = Database::open(m_dbPath, Database::Mode::ReadWrite, &m_openError);
    if (m_db)
        m_projects = std::make_unique<ProjectStore>(*m_db);
    m_confirm = [this](const QString &title, const QString &question) {
        return QMessageBox::question(this, title, question, QMessageBox::Yes | QMessageBox::Cancel, QMessageBox::Cancel)
            == QMessageBox::Yes;
    };
    m_sender = [this](const QNetworkRequest &request, const QByteArray &body,
                   std::function<void(int, const QString &)> done) {
        if (!m_network)
            m_network = new QNetworkAccessManager(this);
        QNetworkReply *reply = m_network->post(request, body);
        connect(reply, &QNetworkReply::finished, this, [reply, done = std::move(done)] {
            const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
            done(status, reply->error() == QNetworkReply::NoError ? QString() : reply->errorString());
            reply->deleteLater();
        });
    };
    m_poll->setInterval(kPollIntervalMs);
    connect(m_poll, &QTimer::timeout, this, &ConnectDialog::checkForEvents);
    buildUi();
}

ConnectDialog::~ConnectDialog() = default;

void ConnectDialog::buildUi()
{
    m_pages = new QStackedWidget(this);

    // Step 1: name the service.
    auto *createPage = new QWidget(m_pages);
    m_name = new QLineEdit(createPage);
    m_name->setObjectName(QStringLiteral("serviceName"));
    m_name->setPlaceholderText(tr("e.g. billing, orders-api"));
    m_create = new QPushButton(tr("Create"), createPage);
    m_create->setDefault(true);
    m_createError = new QLabel(createPage);
    m_createError->setStyleSheet(QStringLiteral("color: #d32f2f;"));
    m_createError->setWordWrap(true);
    auto *nameRow = new QHBoxLayout;
    nameRow->addWidget(m_name, 1);
    nameRow->addWidget(m_create);
    auto *createLayout = new QVBoxLayout(createPage);
    createLayout->addWidget(new QLabel(tr("Each service reporting errors gets its own project and DSN.\n"
                                          "Name of the service:"),
        createPage));
    createLayout->addLayout(nameRow);
    createLayout->addWidget(m_createError);
    createLayout->addStretch(1);
    m_pages->addWidget(createPage);
    connect(m_create, &QPushButton::clicked, this, [this] { createProject(m_name->text()); });
    connect(m_name, &QLineEdit::returnPressed, this, [this] { createProject(m_name->text()); });
    if (!m_db) {
        m_createError->setText(tr("The database cannot be opened: %1").arg(m_openError));
        m_create->setEnabled(false);
    }

    // Step 2: the project's DSN, snippets and first event.
    auto *projectPage = new QWidget(m_pages);
    m_title = new QLabel(projectPage);
    QFont titleFont = m_title->font();
    titleFont.setBold(true);
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.2);
    m_title->setFont(titleFont);
    m_dsn = new QLineEdit(projectPage);
    m_dsn->setObjectName(QStringLiteral("dsn"));
    m_dsn->setReadOnly(true);
    m_dsn->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    auto *copy = new QPushButton(tr("Copy"), projectPage);
    auto *dsnRow = new QHBoxLayout;
    dsnRow->addWidget(new QLabel(tr("DSN:"), projectPage));
    dsnRow->addWidget(m_dsn, 1);
    dsnRow->addWidget(copy);
    connect(copy, &QPushButton::clicked, this, [this] { copyToClipboard(dsn()); });

    m_snippets = new QTabWidget(projectPage);
    auto *copySnippet = new QPushButton(tr("Copy snippet"), projectPage);
    connect(copySnippet, &QPushButton::clicked, this,
        [this] { copyToClipboard(snippet(m_snippets->tabText(m_snippets->currentIndex()))); });

    m_status = new QLabel(projectPage);
    m_status->setTextFormat(Qt::PlainText);
    m_sendTest = new QPushButton(tr("Send test event"), projectPage);
    m_testResult = new QLabel(projectPage);
    m_testResult->setTextFormat(Qt::PlainText);
    auto *statusRow = new QHBoxLayout;
    statusRow->addWidget(m_status, 1);
    statusRow->addWidget(m_testResult);
    statusRow->addWidget(m_sendTest);
    connect(m_sendTest, &QPushButton::clicked, this, &ConnectDialog::sendTestEvent);

    m_rotate = new QPushButton(tr("Rotate key…"), projectPage);
    m_rotate->setToolTip(tr("Give the project a new key; services using the old DSN are refused from then on"));
    m_delete = new QPushButton(tr("Delete project…"), projectPage);
    m_delete->setToolTip(tr("Revoke the DSN and delete the project with all its issues and events"));
    auto *close = new QPushButton(tr("Close"), projectPage);
    auto *actions = new QHBoxLayout;
    actions->addWidget(m_rotate);
    actions->addWidget(m_delete);
    actions->addStretch(1);
    actions->addWidget(copySnippet);
    actions->addWidget(close);
    connect(m_rotate, &QPushButton::clicked, this, &ConnectDialog::rotateKey);
    connect(m_delete, &QPushButton::clicked, this, &ConnectDialog::deleteProject);
    connect(close, &QPushButton::clicked, this, &QDialog::accept);

    auto *projectLayout = new QVBoxLayout(projectPage);
    projectLayout->addWidget(m_title);
    projectLayout->addLayout(dsnRow);
    projectLayout->addWidget(m_snippets, 1);
    projectLayout->addLayout(statusRow);
    projectLayout->addLayout(actions);
    m_pages->addWidget(projectPage);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_pages);
    resize(760, 560);
}

bool ConnectDialog::forProject(qint64 projectId)
{
    if (!m_projects)
        return false;
    m_project = m_projects->byId(projectId);
    if (!m_project)
        return false;
    showProject();
    setState(State::Waiting);
    checkForEvents(); // an existing project may have events already
    return true;
}

bool ConnectDialog::createProject(const QString &name)
{
    const QString trimmed = name.trimmed();
    if (!m_projects)
        return false;
    if (trimmed.isEmpty()) {
        m_createError->setText(tr("Give the service a name."));
        return false;
    }
    const Project project = m_projects->add(trimmed);
    if (project.id == 0) {
        m_createError->setText(tr("A project named \"%1\" exists already.").arg(trimmed));
        return false;
    }
    m_createError->clear();
    m_project = project;
    showProject();
    setState(State::Waiting);
    emit projectCreated(project.id);
    return true;
}

void ConnectDialog::showProject()
{
    m_title->setText(tr("Project %1 (#%2)").arg(m_project->name).arg(m_project->id));
    m_dsn->setText(dsn());
    const int current = m_snippets->currentIndex();
    while (m_snippets->count() > 0) {
        QWidget *tab = m_snippets->widget(0);
        m_snippets->removeTab(0);
        delete tab;
    }
    for (const auto &[title, text] : snippets(*m_project, m_hostPort, QFileInfo(m_dbPath).absoluteFilePath()))
        m_snippets->addTab(codeView(text, m_snippets), title);
    m_snippets->setCurrentIndex(std::max(0, current));
    m_pages->setCurrentIndex(1);
}

QString ConnectDialog::dsn() const { return m_project ? ProjectStore::dsn(*m_project, m_hostPort) : QString(); }

QString ConnectDialog::statusText() const { return m_status->text(); }

QStringList ConnectDialog::snippetTitles() const
{
    QStringList titles;
    for (int i = 0; i < m_snippets->count(); ++i)
        titles.append(m_snippets->tabText(i));
    return titles;
}

QString ConnectDialog::snippet(const QString &title) const
{
    for (int i = 0; i < m_snippets->count(); ++i)
        if (m_snippets->tabText(i) == title)
            return static_cast<QPlainTextEdit *>(m_snippets->widget(i))->toPlainText();
    return {};
}

QList<QPair<QString, QString>> ConnectDialog::snippets(
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

QNetworkRequest ConnectDialog::testEventRequest(const Project &project, const QString &collectorHostPort)
{
    QNetworkRequest request(QUrl(QStringLiteral("http://%1/api/%2/store/").arg(collectorHostPort).arg(project.id)));
    request.setHeader(QNetworkRequest::ContentTypeHeader, QStringLiteral("application/json"));
    request.setRawHeader("X-Sentry-Auth",
        QStringLiteral("Sentry sentry_key=%1, sentry_version=7, sentry_client=faultline-connect/%2")
            .arg(project.publicKey, QCoreApplication::applicationVersion())
            .toUtf8());
    request.setTransferTimeout(5000);
    return request;
}

QByteArray ConnectDialog::testEventBody()
{
    const QJsonObject event {
        { QStringLiteral("event_id"), QUuid::createUuid().toString(QUuid::Id128) },
        { QStringLiteral("timestamp"), double(QDateTime::currentMSecsSinceEpoch()) / 1000.0 },
        { QStringLiteral("level"), QStringLiteral("info") },
        { QStringLiteral("platform"), QStringLiteral("other") },
        { QStringLiteral("logger"), QStringLiteral("faultline.connect") },
        { QStringLiteral("message"), QStringLiteral("Test event from Faultline's Connect dialog") },
        { QStringLiteral("tags"), QJsonObject { { QStringLiteral("faultline.test"), QStringLiteral("true") } } },
    };
    return QJsonDocument(event).toJson(QJsonDocument::Compact);
}

void ConnectDialog::sendTestEvent()
{
    if (!m_project || !m_sender)
        return;
    m_sendTest->setEnabled(false);
    m_testResult->setText(tr("Sending…"));
    const QPointer<ConnectDialog> self(this);
    m_sender(testEventRequest(*m_project, m_hostPort), testEventBody(), [self](int status, const QString &error) {
        if (!self)
            return;
        self->m_sendTest->setEnabled(self->m_state != State::Deleted);
        if (status >= 200 && status < 300)
            self->m_testResult->setText(tr("Collector accepted the test event (%1).").arg(status));
        else if (status > 0)
            self->m_testResult->setText(tr("Collector answered %1: %2").arg(status).arg(error));
        else
            self->m_testResult->setText(tr("Could not reach the collector: %1").arg(error));
        self->checkForEvents();
    });
}

bool ConnectDialog::rotateKey()
{
    if (!m_project || !m_projects)
        return false;
    if (!m_confirm(tr("Rotate key"),
            tr("Give \"%1\" a new key?\n\nServices still using the current DSN will be "
               "refused until they are given the new one.")
                .arg(m_project->name)))
        return false;
    const std::optional<Project> rotated = m_projects->rotateKey(m_project->id);
    if (!rotated)
        return false;
    m_project = rotated;
    showProject();
    emit keyRotated(rotated->id);
    return true;
}

bool ConnectDialog::deleteProject()
{
    if (!m_project || !m_projects)
        return false;
    if (!m_confirm(tr("Delete project"),
            tr("Delete \"%1\" with all its issues and events?\n\nIts DSN stops "
               "working at once. This cannot be undone.")
                .arg(m_project->name)))
        return false;
    const qint64 id = m_project->id;
    if (!m_projects->remove(id))
        return false;
    setState(State::Deleted);
    m_dsn->clear();
    m_snippets->setEnabled(false);
    emit projectDeleted(id);
    return true;
}

void ConnectDialog::onBatchCommitted(const BatchSummary &summary)
{
    if (m_project && m_state == State::Waiting && summary.touchedProjectIds.contains(m_project->id))
        checkForEvents();
}

void ConnectDialog::checkForEvents()
{
    if (!m_project || m_state != State::Waiting || !m_db)
        return;
    // One indexed LIMIT 1 read every half second while the dialog waits: cheap enough for the GUI thread.
    const Query query = restrictedToProject(Query(), m_project->id);
    const QList<EventRow> events = EventQueries(*m_db).search(query, 1, 0, 0, false);
    if (!events.isEmpty()) {
        setState(State::Received);
        emit firstEventReceived(m_project->id);
    }
}

void ConnectDialog::setState(State state)
{
    m_state = state;
    switch (state) {
    case State::NoProject:
        m_status->clear();
        break;
    case State::Waiting:
        m_status->setText(tr("Waiting for the first event…"));
        m_status->setStyleSheet(QString());
        m_poll->start();
        break;
    case State::Received:
        m_status->setText(tr("✓ Events are arriving: %1 is connected.").arg(m_project->name));
        m_status->setStyleSheet(QStringLiteral("color: #2e7d32; font-weight: 600;"));
        m_poll->stop();
        break;
    case State::Deleted:
        m_status->setText(tr("Project deleted; its DSN no longer works."));
        m_status->setStyleSheet(QStringLiteral("color: #d32f2f;"));
        m_poll->stop();
        break;
    }
    const bool live = state == State::Waiting || state == State::Received;
    m_sendTest->setEnabled(live);
    m_rotate->setEnabled(live);
    m_delete->setEnabled(live);
}

void ConnectDialog::copyToClipboard(const QString &text)
{
    if (!text.isEmpty())
        QApplication::clipboard()->setText(text);
}

} // namespace faultline
