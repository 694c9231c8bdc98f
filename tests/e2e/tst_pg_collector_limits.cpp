// Stored per-project limits on PostgreSQL (#18), end to end: `faultline
// projects limits ID --rate-limit N --db postgresql://…` stores a project's
// limit, and a `faultline --headless` collector on that database, started
// afterwards, answers that project's events over the limit with 429 while
// another project without a limit of its own takes all of its events.
#include "storage/postgres/pg_connection.h"
#include "support/cli_run.h"
#include "support/faultline_process.h"
#include "support/fixture_replay.h"
#include "support/http_client.h"
#include "support/pg_number.h"
#include "support/postgres_cluster.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace faultline;
using namespace faultline::test;

namespace {

const QString kFixture = QStringLiteral("python_message_store"); // captured from sentry-sdk

} // namespace

class TestPgCollectorLimits : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void aStoredRateLimitIsEnforced();

private:
    // The captured request for `project`, with another event id of the same length.
    QByteArray request(const QJsonObject &project, int n) const;

    PostgresCluster m_cluster;
    QString m_uri;
};

void TestPgCollectorLimits::initTestCase()
{
    QVERIFY2(m_cluster.startWithDatabase(QStringLiteral("limits")), qPrintable(m_cluster.error()));
    m_uri = m_cluster.uri(QStringLiteral("limits"));
}

QByteArray TestPgCollectorLimits::request(const QJsonObject &project, int n) const
{
    QByteArray request = replayRequest(kFixture, project.value(QStringLiteral("id")).toInteger(),
        project.value(QStringLiteral("public_key")).toString(), BodyForm::Decompressed);
    request.replace(fixtureEventId(kFixture).toLatin1(),
        QStringLiteral("%1%2")
            .arg(project.value(QStringLiteral("id")).toInt())
            .arg(n, 31, 10, QLatin1Char('0'))
            .toLatin1());
    return request;
}

void TestPgCollectorLimits::aStoredRateLimitIsEnforced()
{
    QList<QJsonObject> projects;
    for (const QString &name : { QStringLiteral("limited"), QStringLiteral("free") }) {
        const Run added = runCli({ QStringLiteral("projects"), QStringLiteral("add"), name, QStringLiteral("--db"),
            m_uri, QStringLiteral("--json") });
        QVERIFY2(added.code == 0, qPrintable(added.err));
        projects.append(QJsonDocument::fromJson(added.out).object());
    }
    const QString limitedId = QString::number(projects[0].value(QStringLiteral("id")).toInt());
    const Run limited = runCli({ QStringLiteral("projects"), QStringLiteral("limits"), limitedId,
        QStringLiteral("--rate-limit"), QStringLiteral("2"), QStringLiteral("--db"), m_uri, QStringLiteral("--json") });
    QVERIFY2(limited.code == 0, qPrintable(limited.err));
    QCOMPARE(QJsonDocument::fromJson(limited.out).object().value(QStringLiteral("events_per_minute")).toInt(), 2);

    FaultlineProcess collector(FAULTLINE_BINARY, m_uri);
    QVERIFY2(collector.start(), qPrintable(collector.log()));
    QList<int> statuses[2];
    for (int n = 0; n < 3; ++n)
        for (int p = 0; p < 2; ++p)
            statuses[p].append(sendRaw(collector.port(), request(projects[p], n)).status);
    QCOMPARE(statuses[0], (QList<int> { 200, 200, 429 }));
    QCOMPARE(statuses[1], (QList<int> { 200, 200, 200 }));
    QVERIFY2(collector.waitForLog(QStringLiteral("429 project %1 is over its rate limit").arg(limitedId)),
        qPrintable(collector.log()));
    collector.terminate();

    auto connection = PgConnection::open(m_uri);
    QVERIFY2(connection, qPrintable(connection.error().message));
    for (int p = 0; p < 2; ++p)
        QCOMPARE(pgNumber(*connection.value(), QStringLiteral("SELECT count(*) FROM events WHERE project_id = $1"),
                     { PgParam::integer(projects[p].value(QStringLiteral("id")).toInteger()) }),
            p == 0 ? 2 : 3);
}

QTEST_GUILESS_MAIN(TestPgCollectorLimits)
#include "tst_pg_collector_limits.moc"
