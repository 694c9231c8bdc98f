// Live updates on PostgreSQL (#18) on a throw-away server: the listener hears
// a collector's committed batch and a desktop's status change through the
// triggers of schema version 20, hears nothing of a rolled-back transaction,
// folds a burst of commits into a few signals, says so when the server goes
// away and again when it is back, and never prints a password.
#include "storage_test_helpers.h"

#include "storage/postgres/pg_batch_writer.h"
#include "storage/postgres/pg_change_listener.h"
#include "storage/postgres/pg_issue_status_writer.h"
#include "support/pg_number.h"
#include "support/postgres_database.h"

#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTest>

using namespace faultline;
using namespace faultline::test;

namespace {

constexpr qint64 kNow = 1'780'000'000'000; // June 2026
constexpr int kHeardWithinMs = 5000; // generous for a loaded CI machine; the window's promise is a second

// Every kind the spy's changed() signals carried, in order.
QStringList kindsHeard(const QSignalSpy &spy)
{
    QStringList kinds;
    for (const QList<QVariant> &signal : spy)
        kinds += signal.at(0).toStringList();
    return kinds;
}

// Waits until a changed() signal carried `kind`.
bool waitForKind(QSignalSpy &spy, const QString &kind)
{
    QElapsedTimer waited;
    waited.start();
    while (!kindsHeard(spy).contains(kind)) {
        if (waited.elapsed() > kHeardWithinMs || !spy.wait(int(kHeardWithinMs - waited.elapsed())))
            return kindsHeard(spy).contains(kind);
    }
    return true;
}

} // namespace

class TestPgChangeListener : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void hearsACommittedBatch();
    void hearsAStatusChange();
    void hearsNothingOfARolledBackTransaction();
    void foldsABurstIntoFewSignals();
    void sayWhenTheServerIsGoneAndBack();
    void anUnreachableServerIsReportedWithoutThePassword();

private:
    std::unique_ptr<PgChangeListener> listening(const QString &uri);
    PgResult<PgBatchResult> writeEvent(const QString &name);

    PostgresCluster m_cluster;
    QString m_uri;
    std::unique_ptr<PgConnection> m_db;
    qint64 m_project = 0; // a project of its own per test: the tests share one database
};

void TestPgChangeListener::initTestCase()
{
    qRegisterMetaType<QStringList>();
    QString failed;
    m_db = startMigrated(m_cluster, QStringLiteral("live"), &failed);
    QVERIFY2(m_db, qPrintable(failed));
    m_uri = m_cluster.uri(QStringLiteral("live"));
}

void TestPgChangeListener::init()
{
    if (!m_db->isConnected())
        QVERIFY(m_db->reconnect());
    const QString name = QString::fromLatin1(QTest::currentTestFunction());
    m_project = pgNumber(*m_db,
        QStringLiteral("INSERT INTO projects(name, public_key, created_ms) VALUES ($1, $1, 0) RETURNING id"),
        { PgParam::text(name) });
    QVERIFY(m_project > 0);
}

// A listener whose LISTEN is in effect: what commits from now on is heard.
std::unique_ptr<PgChangeListener> TestPgChangeListener::listening(const QString &uri)
{
    auto listener = std::make_unique<PgChangeListener>(uri);
    QSignalSpy ready(listener.get(), &PgChangeListener::listening);
    listener->start();
    if (!ready.wait(kHeardWithinMs))
        return nullptr;
    return listener;
}

PgResult<PgBatchResult> TestPgChangeListener::writeEvent(const QString &name)
{
    const IncomingEvent event = makeEvent(name, name, QStringLiteral("Error ") + name, kNow, m_project);
    PgBatchWriter writer(*m_db);
    return writer.write({ &event });
}

void TestPgChangeListener::hearsACommittedBatch()
{
    auto listener = listening(m_uri);
    QVERIFY(listener);
    QSignalSpy changed(listener.get(), &PgChangeListener::changed);
    auto written = writeEvent(QStringLiteral("batch"));
    QVERIFY2(written, qPrintable(written.error().message));
    QVERIFY(waitForKind(changed, QStringLiteral("events")));
    QVERIFY(kindsHeard(changed).contains(QStringLiteral("issues"))); // its issue was counted in the same commit
    QVERIFY(!kindsHeard(changed).contains(QStringLiteral("projects")));
}

void TestPgChangeListener::hearsAStatusChange()
{
    auto written = writeEvent(QStringLiteral("status"));
    QVERIFY2(written, qPrintable(written.error().message));
    auto listener = listening(m_uri);
    QVERIFY(listener);
    QSignalSpy changed(listener.get(), &PgChangeListener::changed);
    PgIssueStatusWriter statuses(*m_db);
    QString error;
    StatusChange resolve;
    resolve.status = IssueStatus::Resolved;
    QCOMPARE(statuses.apply({ written->outcomes[0].issueId }, resolve, kNow, nullptr, &error), 1);
    QVERIFY(waitForKind(changed, QStringLiteral("issues")));
    QCOMPARE(kindsHeard(changed), QStringList { QStringLiteral("issues") }); // one commit, one kind, one signal
}

void TestPgChangeListener::hearsNothingOfARolledBackTransaction()
{
    auto listener = listening(m_uri);
    QVERIFY(listener);
    QSignalSpy changed(listener.get(), &PgChangeListener::changed);
    QVERIFY(m_db->begin());
    QVERIFY(m_db->exec(QStringLiteral("UPDATE issues SET title = title")));
    QVERIFY(m_db->exec(QStringLiteral("DELETE FROM events WHERE false"))); // a statement trigger fires on no rows too
    m_db->rollback();
    // A commit of another kind after it: once that is heard, whatever the
    // rolled-back transaction could have sent would have arrived before it.
    QVERIFY(
        m_db->exec(QStringLiteral("UPDATE projects SET name = name WHERE id = $1"), { PgParam::integer(m_project) }));
    QVERIFY(waitForKind(changed, QStringLiteral("projects")));
    QCOMPARE(kindsHeard(changed), QStringList { QStringLiteral("projects") });
}

void TestPgChangeListener::foldsABurstIntoFewSignals()
{
    auto listener = listening(m_uri);
    QVERIFY(listener);
    QSignalSpy changed(listener.get(), &PgChangeListener::changed);
    QElapsedTimer elapsed;
    elapsed.start();
    constexpr int kCommits = 40;
    for (int i = 0; i < kCommits; ++i) {
        auto written = writeEvent(QStringLiteral("burst-%1").arg(i));
        QVERIFY2(written, qPrintable(written.error().message));
    }
    QVERIFY(
        m_db->exec(QStringLiteral("UPDATE projects SET name = name WHERE id = $1"), { PgParam::integer(m_project) }));
    QVERIFY(waitForKind(changed, QStringLiteral("projects")));
    // At most one signal per coalescing interval, from the first commit to the last one heard.
    const qint64 bound = elapsed.elapsed() / PgChangeListener::kCoalesce.count() + 1;
    QVERIFY2(changed.count() <= bound,
        qPrintable(QStringLiteral("%1 signals in %2 ms for %3 commits")
                       .arg(changed.count())
                       .arg(elapsed.elapsed())
                       .arg(kCommits + 1)));
    QVERIFY(changed.count() < kCommits);
}

void TestPgChangeListener::sayWhenTheServerIsGoneAndBack()
{
    auto listener = listening(m_uri);
    QVERIFY(listener);
    QSignalSpy lost(listener.get(), &PgChangeListener::connectionLost);
    QSignalSpy back(listener.get(), &PgChangeListener::reconnected);
    QSignalSpy changed(listener.get(), &PgChangeListener::changed);
    QVERIFY2(m_cluster.stop(), qPrintable(m_cluster.error()));
    QVERIFY(lost.wait(kHeardWithinMs));
    QCOMPARE(lost.count(), 1);
    QVERIFY(back.isEmpty());
    QVERIFY2(m_cluster.startAgain(), qPrintable(m_cluster.error()));
    // The back-off may have grown while the server was away: at most 10 s.
    QVERIFY(back.wait(int(PgChangeListener::kLongestRetry.count()) + kHeardWithinMs));
    QCOMPARE(lost.count(), 1); // one outage, said once however many attempts it took
    QVERIFY(m_db->reconnect());
    QVERIFY(
        m_db->exec(QStringLiteral("UPDATE projects SET name = name WHERE id = $1"), { PgParam::integer(m_project) }));
    QVERIFY(waitForKind(changed, QStringLiteral("projects"))); // listening again, not only connected
}

void TestPgChangeListener::anUnreachableServerIsReportedWithoutThePassword()
{
    // A socket directory that does not exist: refused at once, every time.
    const QString uri = QStringLiteral("postgresql://faultline:s3cret-word@/live?host=/nonexistent/faultline-test");
    PgChangeListener listener(uri);
    QSignalSpy lost(&listener, &PgChangeListener::connectionLost);
    listener.start();
    QVERIFY(lost.wait(kHeardWithinMs));
    const QString reason = lost.at(0).at(0).toString();
    QVERIFY2(!reason.contains(QLatin1String("s3cret-word")), qPrintable(reason));
    QVERIFY2(reason.contains(QLatin1String("faultline:***@")), qPrintable(reason)); // says where, masked
    listener.stop(); // while it waits out its back-off: returns at once, nothing more is emitted
    QCOMPARE(lost.count(), 1);
}

QTEST_MAIN(TestPgChangeListener)
#include "tst_pg_change_listener.moc"
