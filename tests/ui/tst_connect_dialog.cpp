// The Connect dialog against a real database with the real writer running:
// creating a project, its DSN and snippets, the test event request, rotating
// the key, deleting, and the switch to "connected" when the first event of
// that project is committed (by the writer's signal, and by polling alone).
#include "ui_test_data.h"

#include "model/event_parser.h"
#include "storage/project_store.h"
#include "storage/statement.h"
#include "storage/storage_gateway.h"
#include "ui/app_settings.h"
#include "ui/connect_dialog.h"

#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTimer>

using namespace faultline;
using namespace faultline::test;

namespace {

const QString kHostPort = QStringLiteral("127.0.0.1:8990");

std::optional<Project> storedProject(const QString &dbPath, qint64 id)
{
    QString error;
    auto db = Database::open(dbPath, Database::Mode::ReadOnly, &error);
    if (!db)
        return std::nullopt;
    const StorageResult<Project> project = ProjectStore(*db).byId(id);
    return project ? std::optional(*project) : std::nullopt;
}

// What the Create button does, waited for: the new project's id, or 0 when it was refused.
qint64 create(ConnectDialog &dialog, const QString &name)
{
    QSignalSpy created(&dialog, &ConnectDialog::projectCreated);
    QSignalSpy failed(&dialog, &ConnectDialog::actionFailed);
    if (!dialog.createProject(name))
        return 0;
    if (!QTest::qWaitFor([&] { return !created.isEmpty() || !failed.isEmpty(); }))
        return 0;
    return created.isEmpty() ? 0 : created.first().at(0).toLongLong();
}

QPushButton *button(QWidget &parent, const QString &text)
{
    for (QPushButton *candidate : parent.findChildren<QPushButton *>())
        if (candidate->text() == text)
            return candidate;
    return nullptr;
}

} // namespace

class TestConnectDialog : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void creatingAProjectShowsItsDsn();
    void namesMustBeNewAndNonEmpty();
    void snippetsCarryTheDsn();
    void agentSnippetStartsFaultlineMcpOnThisDatabase();
    void testEventIsAStoreRequestWithTheKey();
    void rotatingChangesKeyAndDsn();
    void firstEventTurnsToConnected();
    void pollingAloneNoticesTheFirstEvent();
    void existingProjectWithEventsIsConnected();
    void deletingRemovesTheProject();
    void aLockedDatabaseIsNotATakenName();

private:
    ConnectDialog *newDialog();

    UiTestDatabase m_data;
    std::unique_ptr<StorageGateway> m_storage;
    std::vector<std::unique_ptr<ConnectDialog>> m_dialogs;
};

void TestConnectDialog::initTestCase()
{
    QVERIFY(m_data.start());
    m_storage = std::make_unique<StorageGateway>(m_data.path());
}

ConnectDialog *TestConnectDialog::newDialog()
{
    m_dialogs.push_back(std::make_unique<ConnectDialog>(*m_storage, kHostPort));
    ConnectDialog *dialog = m_dialogs.back().get();
    dialog->setConfirm([](const QString &, const QString &) { return true; });
    dialog->setSender([](const QNetworkRequest &, const QByteArray &, std::function<void(int, const QString &)>) {});
    return dialog;
}

void TestConnectDialog::creatingAProjectShowsItsDsn()
{
    ConnectDialog *dialog = newDialog();
    QSignalSpy created(dialog, &ConnectDialog::projectCreated);
    dialog->show();
    // Through the widgets, as a user would.
    auto *name = dialog->findChild<QLineEdit *>(QStringLiteral("serviceName"));
    QVERIFY(name && name->isVisible());
    QTest::keyClicks(name, QStringLiteral("billing"));
    QPushButton *create = button(*dialog, QStringLiteral("Create"));
    QVERIFY(create);
    QTest::mouseClick(create, Qt::LeftButton);
    QVERIFY(!create->isEnabled()); // while the storage writer adds it
    QVERIFY(created.wait());
    QCOMPARE(created.count(), 1);
    QVERIFY(create->isEnabled());
    const qint64 id = created.first().at(0).toLongLong();
    const std::optional<Project> stored = storedProject(m_data.path(), id);
    QVERIFY(stored);
    QCOMPARE(stored->name, QStringLiteral("billing"));
    const QString expected = QStringLiteral("http://%1@%2/%3").arg(stored->publicKey, kHostPort).arg(id);
    QCOMPARE(dialog->dsn(), expected);
    auto *shown = dialog->findChild<QLineEdit *>(QStringLiteral("dsn"));
    QVERIFY(shown && shown->isVisible() && shown->isReadOnly());
    QCOMPARE(shown->text(), expected);
    QCOMPARE(dialog->state(), ConnectDialog::State::Waiting);
    QCOMPARE(dialog->statusText(), QStringLiteral("Waiting for the first event…"));

    dialog->resize(760, 560);
    const QString dir = qEnvironmentVariable("FAULTLINE_SCREENSHOT_DIR");
    if (!dir.isEmpty())
        QVERIFY(dialog->grab().save(dir + QStringLiteral("/connect_dialog.png")));
}

void TestConnectDialog::namesMustBeNewAndNonEmpty()
{
    ConnectDialog *dialog = newDialog();
    QVERIFY(!dialog->createProject(QStringLiteral("   ")));
    QCOMPARE(dialog->createError(), QStringLiteral("Give the service a name."));
    QVERIFY(create(*dialog, QStringLiteral("orders-api")) > 0);
    ConnectDialog *again = newDialog();
    QCOMPARE(create(*again, QStringLiteral("orders-api")), 0);
    QCOMPARE(again->createError(), QStringLiteral("A project named \"orders-api\" exists already."));
    QVERIFY(!again->project());
    QCOMPARE(again->state(), ConnectDialog::State::NoProject);
}

void TestConnectDialog::snippetsCarryTheDsn()
{
    ConnectDialog *dialog = newDialog();
    QVERIFY(create(*dialog, QStringLiteral("snippets")));
    const QString dsn = dialog->dsn();
    QCOMPARE(dialog->snippetTitles(),
        (QStringList { QStringLiteral("Django"), QStringLiteral("DRF"), QStringLiteral("Python"),
            QStringLiteral("Node"), QStringLiteral("curl"), QStringLiteral("Coding agent") }));
    for (const QString &title :
        { QStringLiteral("Django"), QStringLiteral("DRF"), QStringLiteral("Python"), QStringLiteral("Node") })
        QVERIFY2(dialog->snippet(title).contains(QStringLiteral("\"%1\"").arg(dsn)), qPrintable(title));
    QVERIFY(dialog->snippet(QStringLiteral("Django")).contains(QStringLiteral("def process_exception")));
    QVERIFY(dialog->snippet(QStringLiteral("Django")).contains(QStringLiteral("filename=\"500.html\"")));
    QVERIFY(dialog->snippet(QStringLiteral("DRF")).contains(QStringLiteral("\"status_code\": status")));
    QVERIFY(dialog->snippet(QStringLiteral("Node")).contains(QStringLiteral("require(\"@sentry/node\")")));
    const QString curl = dialog->snippet(QStringLiteral("curl"));
    QVERIFY(curl.contains(QStringLiteral("Authorization: Bearer %1").arg(dialog->project()->publicKey)));
    QVERIFY(curl.contains(QStringLiteral("http://%1/api/events").arg(kHostPort)));
    QVERIFY(!curl.contains(QStringLiteral("{KEY}")) && !curl.contains(QStringLiteral("{HOSTPORT}")));
}

// The JSON blocks of the "Coding agent" tab, in order (each starts at a line "{" and ends at "}").
static QList<QJsonObject> jsonBlocks(const QString &text)
{
    QList<QJsonObject> blocks;
    QStringList current;
    for (const QString &line : text.split(u'\n')) {
        if (line == u"{" || !current.isEmpty())
            current.append(line);
        if (line == u"}") {
            blocks.append(QJsonDocument::fromJson(current.join(u'\n').toUtf8()).object());
            current.clear();
        }
    }
    return blocks;
}

void TestConnectDialog::agentSnippetStartsFaultlineMcpOnThisDatabase()
{
    ConnectDialog *dialog = newDialog();
    QVERIFY(create(*dialog, QStringLiteral("agents")));
    const QString text = dialog->snippet(QStringLiteral("Coding agent"));
    const QString db = QFileInfo(m_data.path()).absoluteFilePath();
    QVERIFY(text.contains(QStringLiteral("claude mcp add faultline -- ")));
    const QList<QJsonObject> blocks = jsonBlocks(text);
    QCOMPARE(blocks.size(), 3);
    const QJsonObject desktop = blocks[0]["mcpServers"].toObject()["faultline"].toObject();
    QCOMPARE(desktop["command"].toString(), QCoreApplication::applicationFilePath());
    QCOMPARE(desktop["args"].toArray(), (QJsonArray { "mcp", "--db", db }));
    const QJsonObject vscode = blocks[1]["servers"].toObject()["faultline"].toObject();
    QCOMPARE(vscode["type"].toString(), QStringLiteral("stdio"));
    QCOMPARE(vscode["args"].toArray(), (QJsonArray { "mcp", "--db", db }));
    const QJsonObject http = blocks[2]["mcpServers"].toObject()["faultline"].toObject();
    QCOMPARE(http["url"].toString(), QStringLiteral("http://%1/mcp").arg(kHostPort));
    QCOMPARE(http["headers"].toObject()["Authorization"].toString(),
        QStringLiteral("Bearer ") + dialog->project()->publicKey);

    const QString dir = qEnvironmentVariable("FAULTLINE_SCREENSHOT_DIR");
    if (!dir.isEmpty()) {
        auto *tabs = dialog->findChild<QTabWidget *>();
        QVERIFY(tabs);
        tabs->setCurrentIndex(tabs->count() - 1);
        dialog->resize(760, 560);
        dialog->show();
        QVERIFY(dialog->grab().save(dir + QStringLiteral("/connect_dialog_agent.png")));
        dialog->resize(1000, 700);
        QVERIFY(dialog->grab().save(dir + QStringLiteral("/connect_dialog_agent_1000x700.png")));
        dialog->setPalette(darkPalette());
        QVERIFY(dialog->grab().save(dir + QStringLiteral("/connect_dialog_agent_dark.png")));
    }
}

void TestConnectDialog::testEventIsAStoreRequestWithTheKey()
{
    ConnectDialog *dialog = newDialog();
    QVERIFY(create(*dialog, QStringLiteral("test-event")));
    QNetworkRequest sent;
    QByteArray body;
    std::function<void(int, const QString &)> answer;
    dialog->setSender(
        [&](const QNetworkRequest &request, const QByteArray &payload, std::function<void(int, const QString &)> done) {
            sent = request;
            body = payload;
            answer = std::move(done);
        });
    QPushButton *send = button(*dialog, QStringLiteral("Send test event"));
    QVERIFY(send);
    send->click();
    QVERIFY(answer);
    const Project project = *dialog->project();
    QCOMPARE(sent.url(), QUrl(QStringLiteral("http://%1/api/%2/store/").arg(kHostPort).arg(project.id)));
    QVERIFY(sent.rawHeader("X-Sentry-Auth").startsWith("Sentry sentry_key=" + project.publicKey.toUtf8() + ","));
    QVERIFY(sent.rawHeader("X-Sentry-Auth").contains("sentry_version=7"));
    // The body is an event Faultline's own parser accepts.
    const Result<Event> event = parseEventJson(body);
    QVERIFY(event.ok());
    QCOMPARE(event->message, QStringLiteral("Test event from Faultline's Connect dialog"));
    QCOMPARE(event->eventId.size(), 32);
    QVERIFY(!send->isEnabled()); // until the answer comes
    answer(200, QString());
    QVERIFY(send->isEnabled());
}

void TestConnectDialog::rotatingChangesKeyAndDsn()
{
    ConnectDialog *dialog = newDialog();
    QVERIFY(create(*dialog, QStringLiteral("rotating")));
    const Project before = *dialog->project();
    const QString oldDsn = dialog->dsn();

    dialog->setConfirm([](const QString &, const QString &) { return false; });
    QVERIFY(!dialog->rotateKey());
    QCOMPARE(dialog->dsn(), oldDsn);

    dialog->setConfirm([](const QString &, const QString &) { return true; });
    QSignalSpy rotated(dialog, &ConnectDialog::keyRotated);
    QVERIFY(dialog->rotateKey());
    QVERIFY(rotated.wait());
    const std::optional<Project> stored = storedProject(m_data.path(), before.id);
    QVERIFY(stored);
    QVERIFY(stored->publicKey != before.publicKey);
    QCOMPARE(dialog->project()->publicKey, stored->publicKey);
    QCOMPARE(dialog->dsn(), ProjectStore::dsn(*stored, kHostPort));
    QVERIFY(dialog->dsn() != oldDsn);
    QVERIFY(dialog->snippet(QStringLiteral("Python")).contains(dialog->dsn()));
    QVERIFY(!dialog->snippet(QStringLiteral("Python")).contains(oldDsn));
}

void TestConnectDialog::firstEventTurnsToConnected()
{
    ConnectDialog *dialog = newDialog();
    QVERIFY(create(*dialog, QStringLiteral("live")));
    connect(
        m_data.writer(), &EventWriter::batchCommitted, dialog, &ConnectDialog::onBatchCommitted, Qt::QueuedConnection);
    QSignalSpy received(dialog, &ConnectDialog::firstEventReceived);
    // Another project's event changes nothing.
    QVERIFY(m_data.write({ fixtureIncoming(QStringLiteral("python_message_store"), 1'760'000'000'000, 0, 1) }));
    QCoreApplication::processEvents();
    QCOMPARE(dialog->state(), ConnectDialog::State::Waiting);

    QVERIFY(m_data.write(
        { fixtureIncoming(QStringLiteral("python_exception_store"), 1'760'000'000'000, 0, dialog->project()->id) }));
    QTRY_COMPARE(dialog->state(), ConnectDialog::State::Received);
    QCOMPARE(received.count(), 1);
    QVERIFY(dialog->statusText().contains(QStringLiteral("live is connected")));
}

void TestConnectDialog::pollingAloneNoticesTheFirstEvent()
{
    ConnectDialog *dialog = newDialog();
    QVERIFY(create(*dialog, QStringLiteral("polled")));
    QVERIFY(m_data.write(
        { fixtureIncoming(QStringLiteral("node_exception_envelope"), 1'760'000'000'000, 0, dialog->project()->id) }));
    QCOMPARE(dialog->state(), ConnectDialog::State::Waiting); // nobody told it yet
    QTRY_COMPARE(dialog->state(), ConnectDialog::State::Received);
}

void TestConnectDialog::existingProjectWithEventsIsConnected()
{
    ConnectDialog *dialog = newDialog();
    const std::optional<Project> project = storedProject(m_data.path(), 1);
    QVERIFY(project);
    dialog->forProject(*project); // the default project got an event above
    QCOMPARE(dialog->state(), ConnectDialog::State::Waiting); // until the storage reader answers
    QTRY_COMPARE(dialog->state(), ConnectDialog::State::Received);
    QCOMPARE(dialog->project()->name, QStringLiteral("default"));
}

void TestConnectDialog::deletingRemovesTheProject()
{
    ConnectDialog *dialog = newDialog();
    QVERIFY(create(*dialog, QStringLiteral("doomed")));
    const qint64 id = dialog->project()->id;
    dialog->setConfirm([](const QString &, const QString &) { return false; });
    QVERIFY(!dialog->deleteProject());
    QVERIFY(storedProject(m_data.path(), id));

    dialog->setConfirm([](const QString &, const QString &question) { return question.contains(u"doomed"); });
    QSignalSpy deleted(dialog, &ConnectDialog::projectDeleted);
    QVERIFY(dialog->deleteProject());
    QVERIFY(deleted.wait());
    QCOMPARE(deleted.count(), 1);
    QVERIFY(!storedProject(m_data.path(), id));
    QCOMPARE(dialog->state(), ConnectDialog::State::Deleted);
    QVERIFY(dialog->dsn().isEmpty() || !button(*dialog, QStringLiteral("Send test event"))->isEnabled());
    const QString dir = qEnvironmentVariable("FAULTLINE_SCREENSHOT_DIR");
    if (!dir.isEmpty()) {
        dialog->resize(760, 560);
        dialog->show();
        QVERIFY(dialog->grab().save(dir + QStringLiteral("/connect_dialog_deleted.png")));
    }
}

// Creating while the collector's writer holds the lock past the timeout: the dialog says the
// database is busy (it used to say the name exists already), and the GUI thread never waited.
void TestConnectDialog::aLockedDatabaseIsNotATakenName()
{
    ConnectDialog *dialog = newDialog();
    dialog->show();
    auto holder = Database::open(m_data.path(), Database::Mode::ReadWrite, nullptr);
    QVERIFY(holder);
    QVERIFY(execSql(holder->handle(), "BEGIN IMMEDIATE"));
    QSignalSpy failed(dialog, &ConnectDialog::actionFailed);
    QVERIFY(dialog->createProject(QStringLiteral("during-a-flood")));
    bool guiRan = false;
    QTimer::singleShot(0, dialog, [&guiRan] { guiRan = true; });
    QTRY_VERIFY(guiRan); // the event loop runs while the writer waits for the lock
    QVERIFY(failed.isEmpty());
    // The lock timeout counts 1 ms tries; on a loaded machine they take longer than 1 ms each.
    QVERIFY(failed.wait(60000));
    QVERIFY(execSql(holder->handle(), "ROLLBACK"));
    QVERIFY2(dialog->createError().contains(u"busy"), qPrintable(dialog->createError()));
    QVERIFY(!dialog->createError().contains(u"exists already"));
    const QString dir = qEnvironmentVariable("FAULTLINE_SCREENSHOT_DIR");
    if (!dir.isEmpty())
        QVERIFY(dialog->grab().save(dir + QStringLiteral("/connect_dialog_busy.png")));
    QVERIFY(create(*dialog, QStringLiteral("during-a-flood")) > 0); // once the lock is free
}

QTEST_MAIN(TestConnectDialog)
#include "tst_connect_dialog.moc"
