// Alerts that reach people, end to end: captured events go through the real
// writer; the engine, fed by its batchCommitted signal, posts to a local HTTP
// receiver or mails a local SMTP sink. Rules, quiet period, rate limit,
// retries with back-off and the stored record of every delivery.
#include "alerts/alert_engine.h"
#include "alerts/smtp_sink.h"
#include "storage/issue_queries.h"
#include "storage/project_store.h"
#include "support/http_receiver.h"
#include "ui/ui_test_data.h"

#include <QJsonArray>
#include <QSignalSpy>

using namespace faultline;
using namespace faultline::test;

namespace {

constexpr qint64 kStartMs = 1'760'000'000'000;

} // namespace

class TestAlertEngine : public QObject {
    Q_OBJECT

private slots:
    void init();
    void cleanup();
    void newIssuePostsSlackJson();
    void levelAndEnvironmentFilter();
    void eachProjectByItsOwnRules();
    void retriesWithBackOffThenSucceeds();
    void clientErrorFailsAtOnceAndIsRecorded();
    void regressionAlertsOnceInTheQuietPeriod();
    void escalationAfterTheThreshold();
    void rateLimitRecordsWhatItHeldBack();
    void emailThroughTheSmtpSink();
    void starttlsRequiredButNotOffered();

private:
    AlertRule webhookRule(WebhookFormat format = WebhookFormat::Json) const;
    qint64 addRule(const AlertRule &rule);
    void mailThrough(const SmtpSink &sink, SmtpSecurity security, const QString &recipients); // server + email rule
    bool writeEvent(const QString &fixture, int copy);
    QList<AlertDelivery> deliveries() const;
    void settle(); // waits until no delivery is in flight

    std::unique_ptr<UiTestDatabase> m_db;
    std::unique_ptr<Database> m_conn;
    std::unique_ptr<AlertEngine> m_engine;
    std::unique_ptr<HttpReceiver> m_receiver;
    qint64 m_nowMs = kStartMs;
    int m_written = 0;
};

void TestAlertEngine::init()
{
    m_db = std::make_unique<UiTestDatabase>();
    QVERIFY(m_db->start());
    m_conn = Database::open(m_db->path(), Database::Mode::ReadWrite, nullptr);
    QVERIFY(m_conn);
    m_receiver = std::make_unique<HttpReceiver>();
    QVERIFY(m_receiver->listen());
    m_nowMs = kStartMs;
    m_written = 0;
    AlertOptions options;
    options.retryDelaysMs = { 10, 20, 40 };
    options.requestTimeoutMs = 5'000;
    options.clock = [this]() { return m_nowMs; };
    m_engine = std::make_unique<AlertEngine>(m_db->path(), options);
    connect(m_db->writer(), &EventWriter::batchCommitted, m_engine.get(), &AlertEngine::onBatchCommitted,
        Qt::QueuedConnection);
}

void TestAlertEngine::cleanup()
{
    m_engine.reset();
    m_receiver.reset();
    m_conn.reset();
    m_db.reset();
}

AlertRule TestAlertEngine::webhookRule(WebhookFormat format) const
{
    AlertRule rule;
    rule.projectId = 1;
    rule.name = QStringLiteral("team hook");
    rule.format = format;
    rule.target = m_receiver->baseUrl() + QStringLiteral("/hook");
    return rule;
}

qint64 TestAlertEngine::addRule(const AlertRule &rule) { return SqliteAlertStore(*m_conn).saveRule(rule); }

void TestAlertEngine::mailThrough(const SmtpSink &sink, SmtpSecurity security, const QString &recipients)
{
    QVERIFY(SqliteAlertStore(*m_conn).setSmtpServer(SmtpServer { QStringLiteral("127.0.0.1"), sink.port(), security,
        QStringLiteral("ann"), QStringLiteral("s3cret"), QStringLiteral("faultline@example.com"), QString() }));
    AlertRule rule;
    rule.projectId = 1;
    rule.channel = AlertChannel::Email;
    rule.target = recipients;
    QVERIFY(addRule(rule) > 0);
}

bool TestAlertEngine::writeEvent(const QString &fixture, int copy)
{
    // The engine hears of the batch through a queued connection: wait until it has checked the rules,
    // so "nothing was sent" means the engine decided so, not that it had not looked yet.
    QSignalSpy evaluated(m_engine.get(), &AlertEngine::batchEvaluated);
    if (!m_db->write({ fixtureIncoming(fixture, m_nowMs + ++m_written, copy) }))
        return false;
    return evaluated.count() > 0 || evaluated.wait(5'000);
}

QList<AlertDelivery> TestAlertEngine::deliveries() const { return SqliteAlertStore(*m_conn).deliveries(0, 100); }

void TestAlertEngine::settle() { QTRY_COMPARE_WITH_TIMEOUT(m_engine->inFlight(), 0, 10'000); }

void TestAlertEngine::newIssuePostsSlackJson()
{
    const qint64 ruleId = addRule(webhookRule(WebhookFormat::Slack));
    QVERIFY(ruleId > 0);
    QVERIFY(writeEvent(QStringLiteral("python_exception_store"), 0));
    QTRY_COMPARE_WITH_TIMEOUT(m_receiver->requests().size(), 1, 10'000);
    settle();
    const ReceivedRequest request = m_receiver->requests().first();
    QCOMPARE(request.method, QByteArray("POST"));
    QCOMPARE(request.target, QByteArray("/hook"));
    QCOMPARE(request.header("Content-Type"), QByteArray("application/json"));
    const QJsonObject body = QJsonDocument::fromJson(request.body).object();
    QCOMPARE(
        body.value("text").toString(), QStringLiteral("New issue in default: ZeroDivisionError: division by zero"));
    const QString markdown
        = body.value("blocks").toArray().first().toObject().value("text").toObject().value("text").toString();
    QVERIFY2(markdown.contains(QLatin1String("environment staging")), qPrintable(markdown));

    const QList<AlertDelivery> list = deliveries();
    QCOMPARE(list.size(), 1);
    QCOMPARE(list.first().ruleId, ruleId);
    QCOMPARE(list.first().state, DeliveryState::Sent);
    QCOMPARE(list.first().attempts, 1);
    QCOMPARE(list.first().detail, QStringLiteral("HTTP 200"));
    QCOMPARE(list.first().trigger, AlertTrigger::NewIssue);

    // Another event of the same issue is not news.
    QVERIFY(writeEvent(QStringLiteral("python_exception_store"), 1));
    settle();
    QCOMPARE(m_receiver->requests().size(), 1);
}

void TestAlertEngine::levelAndEnvironmentFilter()
{
    AlertRule fatalOnly = webhookRule();
    fatalOnly.minLevel = QStringLiteral("fatal");
    addRule(fatalOnly);
    AlertRule production = webhookRule();
    production.environment = QStringLiteral("production");
    addRule(production);
    AlertRule staging = webhookRule();
    staging.name = QStringLiteral("staging errors");
    staging.environment = QStringLiteral("staging");
    addRule(staging);
    QVERIFY(writeEvent(QStringLiteral("python_exception_store"), 0)); // error, staging
    QVERIFY(writeEvent(QStringLiteral("python_message_store"), 0)); // warning, staging: below "error"
    QTRY_COMPARE_WITH_TIMEOUT(m_receiver->requests().size(), 1, 10'000);
    settle();
    QCOMPARE(m_receiver->requests().size(), 1);
    const QJsonObject body = QJsonDocument::fromJson(m_receiver->requests().first().body).object();
    QCOMPARE(body.value("trigger").toString(), QStringLiteral("new_issue"));
    QCOMPARE(body.value("issue").toObject().value("environment").toString(), QStringLiteral("staging"));
    QCOMPARE(body.value("issue").toObject().value("level").toString(), QStringLiteral("error"));
    QCOMPARE(deliveries().first().ruleName, QStringLiteral("staging errors"));
}

// The engine reads every project's rules once per batch: an issue is judged by its own
// project's rules only.
void TestAlertEngine::eachProjectByItsOwnRules()
{
    const StorageResult<Project> shop = ProjectStore(*m_conn).add(QStringLiteral("shop"));
    QVERIFY(shop);
    AlertRule shopRule = webhookRule();
    shopRule.projectId = shop->id;
    shopRule.name = QStringLiteral("shop hook");
    shopRule.target = m_receiver->baseUrl() + QStringLiteral("/shop");
    QVERIFY(addRule(shopRule) > 0);
    AlertRule defaultRule = webhookRule();
    defaultRule.name = QStringLiteral("default hook");
    defaultRule.target = m_receiver->baseUrl() + QStringLiteral("/default");
    QVERIFY(addRule(defaultRule) > 0);

    QVERIFY(writeEvent(QStringLiteral("python_exception_store"), 0)); // the default project
    QSignalSpy evaluated(m_engine.get(), &AlertEngine::batchEvaluated);
    QVERIFY(m_db->write({ fixtureIncoming(QStringLiteral("go_exception_store"), m_nowMs + 10, 0, shop->id) }));
    QVERIFY(evaluated.count() > 0 || evaluated.wait(5'000));
    QTRY_COMPARE_WITH_TIMEOUT(m_receiver->requests().size(), 2, 10'000);
    settle();
    QCOMPARE(m_receiver->requests().size(), 2);
    QSet<QByteArray> targets;
    for (const ReceivedRequest &request : m_receiver->requests())
        targets.insert(request.target);
    QCOMPARE(targets, (QSet<QByteArray> { "/default", "/shop" }));
    QStringList rules;
    for (const AlertDelivery &delivery : deliveries())
        rules.append(delivery.ruleName);
    rules.sort();
    QCOMPARE(rules, (QStringList { QStringLiteral("default hook"), QStringLiteral("shop hook") }));
}

void TestAlertEngine::retriesWithBackOffThenSucceeds()
{
    addRule(webhookRule(WebhookFormat::Discord));
    m_receiver->queue({ 503, "Service Unavailable", {}, "down for maintenance" });
    m_receiver->queue({ 429, "Too Many Requests", {}, {} });
    QVERIFY(writeEvent(QStringLiteral("python_exception_store"), 0));
    QTRY_COMPARE_WITH_TIMEOUT(m_receiver->requests().size(), 3, 10'000);
    settle();
    const AlertDelivery delivery = deliveries().first();
    QCOMPARE(delivery.state, DeliveryState::Sent);
    QCOMPARE(delivery.attempts, 3);
    // Discord: content plus an embed titled with the issue.
    const QJsonObject body = QJsonDocument::fromJson(m_receiver->requests().last().body).object();
    QCOMPARE(body.value("content").toString(), QStringLiteral("**New issue** in **default**"));
    QCOMPARE(body.value("embeds").toArray().first().toObject().value("title").toString(),
        QStringLiteral("ZeroDivisionError: division by zero"));
}

void TestAlertEngine::clientErrorFailsAtOnceAndIsRecorded()
{
    addRule(webhookRule());
    m_receiver->setDefaultResponse({ 404, "Not Found", {}, "no such hook" });
    QSignalSpy finished(m_engine.get(), &AlertEngine::deliveryFinished);
    QVERIFY(writeEvent(QStringLiteral("python_exception_store"), 0));
    QVERIFY(finished.wait(10'000));
    settle();
    QCOMPARE(m_receiver->requests().size(), 1);
    const AlertDelivery delivery = deliveries().first();
    QCOMPARE(delivery.state, DeliveryState::Failed);
    QCOMPARE(delivery.attempts, 1);
    QCOMPARE(delivery.detail, QStringLiteral("HTTP 404: no such hook"));

    // Nothing listening: retried through every back-off step, then failed.
    AlertRule dead = webhookRule();
    auto *closed = new HttpReceiver;
    QVERIFY(closed->listen());
    dead.target = closed->baseUrl();
    delete closed;
    SqliteAlertStore(*m_conn).removeRule(deliveries().first().ruleId);
    addRule(dead);
    QVERIFY(writeEvent(QStringLiteral("django_request_store"), 0));
    QTRY_VERIFY_WITH_TIMEOUT(deliveries().first().state == DeliveryState::Failed, 10'000);
    QCOMPARE(deliveries().first().attempts, 4);
    QVERIFY2(deliveries().first().detail.contains(QLatin1String("refused")), qPrintable(deliveries().first().detail));
}

void TestAlertEngine::regressionAlertsOnceInTheQuietPeriod()
{
    AlertRule rule = webhookRule();
    rule.onNewIssue = false;
    rule.quietMinutes = 30;
    addRule(rule);
    QVERIFY(writeEvent(QStringLiteral("python_exception_store"), 0));
    settle();
    QCOMPARE(m_receiver->requests().size(), 0);
    const qint64 issueId = IssueQueries(*m_conn).list(IssueListRequest {}).first().id;
    QCOMPARE(IssueQueries(*m_conn).setStatus({ issueId }, IssueStatus::Resolved), 1);
    QVERIFY(writeEvent(QStringLiteral("python_exception_store"), 1));
    QTRY_COMPARE_WITH_TIMEOUT(m_receiver->requests().size(), 1, 10'000);
    settle();
    QCOMPARE(QJsonDocument::fromJson(m_receiver->requests().first().body).object().value("trigger").toString(),
        QStringLiteral("regression"));
    // Resolved and back again ten minutes later: still in the quiet period.
    m_nowMs += 10 * 60'000;
    QCOMPARE(IssueQueries(*m_conn).setStatus({ issueId }, IssueStatus::Resolved), 1);
    QVERIFY(writeEvent(QStringLiteral("python_exception_store"), 2));
    settle();
    QCOMPARE(m_receiver->requests().size(), 1);
    // After it: alerted again.
    m_nowMs += 30 * 60'000;
    QCOMPARE(IssueQueries(*m_conn).setStatus({ issueId }, IssueStatus::Resolved), 1);
    QVERIFY(writeEvent(QStringLiteral("python_exception_store"), 3));
    QTRY_COMPARE_WITH_TIMEOUT(m_receiver->requests().size(), 2, 10'000);
}

void TestAlertEngine::escalationAfterTheThreshold()
{
    AlertRule rule = webhookRule();
    rule.onNewIssue = false;
    rule.onEscalation = true;
    rule.escalationEvents = 3;
    rule.escalationMinutes = 60;
    addRule(rule);
    for (int copy = 0; copy < 2; ++copy)
        QVERIFY(writeEvent(QStringLiteral("python_exception_store"), copy));
    settle();
    QCOMPARE(m_receiver->requests().size(), 0);
    QVERIFY(writeEvent(QStringLiteral("python_exception_store"), 2));
    QTRY_COMPARE_WITH_TIMEOUT(m_receiver->requests().size(), 1, 10'000);
    const QJsonObject body = QJsonDocument::fromJson(m_receiver->requests().first().body).object();
    QCOMPARE(body.value("trigger").toString(), QStringLiteral("escalation"));
    QCOMPARE(body.value("issue").toObject().value("recent_events").toInt(), 3);
    QVERIFY(writeEvent(QStringLiteral("python_exception_store"), 3)); // quiet period
    settle();
    QCOMPARE(m_receiver->requests().size(), 1);
}

void TestAlertEngine::rateLimitRecordsWhatItHeldBack()
{
    AlertRule rule = webhookRule();
    rule.maxPerHour = 1;
    addRule(rule);
    QVERIFY(writeEvent(QStringLiteral("python_exception_store"), 0));
    QVERIFY(writeEvent(QStringLiteral("django_request_store"), 0));
    settle();
    QCOMPARE(m_receiver->requests().size(), 1);
    const QList<AlertDelivery> list = deliveries();
    QCOMPARE(list.size(), 2);
    QCOMPARE(list.first().state, DeliveryState::Suppressed); // newest first
    QCOMPARE(list.first().detail, QStringLiteral("rate limit: 1 alerts in the last hour"));
    QCOMPARE(list.last().state, DeliveryState::Sent);
}

void TestAlertEngine::emailThroughTheSmtpSink()
{
    SmtpSink sink;
    QVERIFY(sink.listen());
    mailThrough(sink, SmtpSecurity::None, QStringLiteral("dev@example.com, ops@example.com"));
    QVERIFY(writeEvent(QStringLiteral("python_exception_store"), 0));
    QTRY_COMPARE_WITH_TIMEOUT(sink.messages.size(), 1, 10'000);
    settle();
    QCOMPARE(sink.commands.mid(1),
        (QStringList { QStringLiteral("AUTH PLAIN ") + QString::fromLatin1(QByteArray("\0ann\0s3cret", 11).toBase64()),
            QStringLiteral("MAIL FROM:<faultline@example.com>"), QStringLiteral("RCPT TO:<dev@example.com>"),
            QStringLiteral("RCPT TO:<ops@example.com>"), QStringLiteral("DATA"), QStringLiteral("QUIT") }));
    QVERIFY(sink.commands.first().startsWith(QLatin1String("EHLO ")));
    const QByteArray message = sink.messages.first();
    QVERIFY(message.contains("Subject: New issue in default: ZeroDivisionError: division by zero\r\n"));
    QVERIFY(message.contains("To: dev@example.com, ops@example.com\r\n"));
    const QByteArray encoded = message.mid(message.indexOf("\r\n\r\n") + 4).replace("\r\n", "");
    const QString text = QString::fromUtf8(QByteArray::fromBase64(encoded));
    QVERIFY2(text.contains(QLatin1String("Environment: staging")), qPrintable(text));
    QCOMPARE(deliveries().first().state, DeliveryState::Sent);
    QCOMPARE(deliveries().first().detail, QStringLiteral("accepted by 127.0.0.1"));
}

void TestAlertEngine::starttlsRequiredButNotOffered()
{
    SmtpSink sink;
    QVERIFY(sink.listen());
    mailThrough(sink, SmtpSecurity::StartTls, QStringLiteral("dev@example.com"));
    QVERIFY(writeEvent(QStringLiteral("python_exception_store"), 0));
    QTRY_VERIFY_WITH_TIMEOUT(!deliveries().isEmpty() && deliveries().first().state == DeliveryState::Failed, 10'000);
    QCOMPARE(deliveries().first().detail, QStringLiteral("the server does not offer STARTTLS"));
    // The password never went out in clear.
    QCOMPARE(sink.commands.size(), 1);
    QVERIFY(sink.commands.first().startsWith(QLatin1String("EHLO ")));
}

QTEST_MAIN(TestAlertEngine)
#include "tst_alert_engine.moc"
