#include "ui/connect_dialog.h"

#include "storage/event_queries.h"
#include "storage/postgres/pg_uri.h"
#include "storage/storage_error_text.h"
#include "storage/storage_gateway.h"
#include "ui/connect_snippets.h"

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

QPlainTextEdit *codeView(const QString &text, QWidget *parent)
{
    auto *view = new QPlainTextEdit(text, parent);
    view->setReadOnly(true);
    view->setLineWrapMode(QPlainTextEdit::NoWrap);
    view->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    return view;
}

} // namespace

ConnectDialog::ConnectDialog(StorageGateway &storage, QString collectorHostPort, QWidget *parent)
    : QDialog(parent)
    , m_storage(storage)
    , m_hostPort(std::move(collectorHostPort))
    , m_poll(new QTimer(this))
{
    setWindowTitle(tr("Connect a service"));
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
    m_actionError = new QLabel(projectPage);
    m_actionError->setObjectName(QStringLiteral("actionError"));
    m_actionError->setStyleSheet(QStringLiteral("color: #d32f2f;"));
    m_actionError->setWordWrap(true);
    m_actionError->setTextFormat(Qt::PlainText);
    m_actionError->hide(); // takes no room until a rotate or delete fails
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
    projectLayout->addWidget(m_actionError);
    projectLayout->addLayout(actions);
    m_pages->addWidget(projectPage);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_pages);
    resize(760, 560);
}

void ConnectDialog::forProject(const Project &project)
{
    m_project = project;
    showProject();
    setState(State::Waiting);
    checkForEvents(); // an existing project may have events already
}

bool ConnectDialog::createProject(const QString &name)
{
    const QString trimmed = name.trimmed();
    if (trimmed.isEmpty()) {
        m_createError->setText(tr("Give the service a name."));
        m_createError->setToolTip({});
        return false;
    }
    if (m_busy)
        return false;
    setBusy(true);
    m_storage.write([trimmed](StorageBackend &backend) { return backend.projects().add(trimmed); }, this,
        [this, trimmed](const StorageResult<Project> &added) {
            setBusy(false);
            if (!added) {
                const bool taken = added.error().kind == StorageError::Kind::Constraint;
                m_createError->setText(taken
                        ? tr("A project named \"%1\" exists already.").arg(trimmed)
                        : tr("The project was not created: %1.").arg(storageErrorShortText(added.error())));
                m_createError->setToolTip(taken ? QString() : storageErrorText(added.error()));
                emit actionFailed(m_createError->text());
                return;
            }
            m_createError->clear();
            m_createError->setToolTip({});
            m_project = *added;
            showProject();
            setState(State::Waiting);
            emit projectCreated(added->id);
        });
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
    for (const auto &[title, text] : connectSnippets(*m_project, m_hostPort, agentDatabase()))
        m_snippets->addTab(codeView(text, m_snippets), title);
    m_snippets->setCurrentIndex(std::max(0, current));
    m_pages->setCurrentIndex(1);
}

QString ConnectDialog::agentDatabase() const
{
    // A URI is shown without its password (the agent's libpq finds it in ~/.pgpass or PGPASSWORD).
    return m_storage.isPostgres() ? connectionStringForLog(m_storage.path())
                                  : QFileInfo(m_storage.path()).absoluteFilePath();
}

QString ConnectDialog::dsn() const { return m_project ? ProjectStore::dsn(*m_project, m_hostPort) : QString(); }

QString ConnectDialog::statusText() const { return m_status->text(); }

QString ConnectDialog::createError() const { return m_createError->text(); }

QString ConnectDialog::actionError() const { return m_actionError->text(); }

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
    if (!m_project || m_busy)
        return false;
    if (!m_confirm(tr("Rotate key"),
            tr("Give \"%1\" a new key?\n\nServices still using the current DSN will be "
               "refused until they are given the new one.")
                .arg(m_project->name)))
        return false;
    setBusy(true);
    const qint64 id = m_project->id;
    m_storage.write([id](StorageBackend &backend) { return backend.projects().rotateKey(id); }, this,
        [this](const StorageResult<Project> &rotated) {
            setBusy(false);
            if (!rotated) {
                showActionError(tr("The key was not changed: %1."), storageErrorText(rotated.error()));
                return;
            }
            m_project = *rotated;
            showProject();
            emit keyRotated(rotated->id);
        });
    return true;
}

bool ConnectDialog::deleteProject()
{
    if (!m_project || m_busy)
        return false;
    if (!m_confirm(tr("Delete project"),
            tr("Delete \"%1\" with all its issues and events?\n\nIts DSN stops "
               "working at once. This cannot be undone.")
                .arg(m_project->name)))
        return false;
    setBusy(true);
    const qint64 id = m_project->id;
    // A whole project's events may take a while to delete: on the storage writer, never here.
    m_storage.write([id](StorageBackend &backend) { return backend.projects().remove(id); }, this,
        [this, id](const StorageResult<void> &removed) {
            setBusy(false);
            if (!removed) {
                showActionError(tr("The project was not deleted: %1."), storageErrorText(removed.error()));
                return;
            }
            setState(State::Deleted);
            m_dsn->clear();
            m_snippets->setEnabled(false);
            emit projectDeleted(id);
        });
    return true;
}

void ConnectDialog::onBatchCommitted(const BatchSummary &summary)
{
    if (m_project && m_state == State::Waiting && summary.touchedProjectIds.contains(m_project->id))
        checkForEvents();
}

void ConnectDialog::checkForEvents()
{
    if (!m_project || m_state != State::Waiting)
        return;
    if (m_checking) {
        m_checkAgain = true; // a batch committed while the last look ran: look once more after it
        return;
    }
    m_checking = true;
    // One indexed LIMIT 1 read on the storage reader: a flood holding the lock never freezes the dialog.
    const Query query = restrictedToProject(Query(), m_project->id);
    const qint64 projectId = m_project->id;
    m_storage.read(
        [query](StorageBackend &backend) {
            QString error;
            return !backend.events().search(query, 1, 0, 0, false, &error).isEmpty();
        },
        this,
        [this, projectId](const StorageResult<bool> &found) {
            m_checking = false;
            if (!m_project || m_project->id != projectId || m_state != State::Waiting)
                return;
            if (found.ok() && *found) {
                setState(State::Received);
                emit firstEventReceived(projectId);
            } else if (std::exchange(m_checkAgain, false)) {
                checkForEvents();
            }
        });
}

void ConnectDialog::setBusy(bool busy)
{
    m_busy = busy;
    m_create->setEnabled(!busy);
    if (busy) {
        m_actionError->clear();
        m_actionError->hide();
    }
    const bool live = !busy && (m_state == State::Waiting || m_state == State::Received);
    m_rotate->setEnabled(live);
    m_delete->setEnabled(live);
}

void ConnectDialog::showActionError(const QString &sentence, const QString &error)
{
    m_actionError->setText(sentence.arg(shortErrorText(error)));
    m_actionError->setToolTip(error);
    m_actionError->show();
    emit actionFailed(m_actionError->text());
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
