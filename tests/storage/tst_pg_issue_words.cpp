// The issues' words as the PostgreSQL batch writer adds them (#18, migration
// 25) on a throw-away server: the words of a stored batch are exactly those
// the server's own event_words() finds in its events, the ASCII ones worked out
// by the writer and the others by the server; a batch that rolled back sends
// its words again; and a writer sends an issue only the words it has not
// added to it before.
#include "storage_test_helpers.h"

#include "storage/postgres/pg_batch_writer.h"
#include "storage/postgres/pg_issue_words.h"
#include "support/pg_number.h"
#include "support/postgres_database.h"

#include <QSet>
#include <QTest>

using namespace faultline;
using namespace faultline::test;

namespace {

constexpr qint64 kNow = 1'780'000'000'000; // June 2026

using IssueWords = QSet<QPair<qint64, QString>>;

IssueWords rowsOf(PgConnection &db, const QString &sql, qint64 projectId)
{
    IssueWords words;
    auto rows = db.exec(sql, { PgParam::integer(projectId) });
    if (!rows)
        qFatal("%s", qPrintable(rows.error().message));
    for (int row = 0; row < rows->rowCount(); ++row)
        words.insert({ rows->int64(row, 0), rows->text(row, 1) });
    return words;
}

EventColumns textColumns(const char *title)
{
    EventColumns columns;
    columns.title = title;
    columns.receivedMs = kNow;
    return columns;
}

} // namespace

class TestPgIssueWords : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void aBatchGetsTheWordsTheServerFinds();
    void aRolledBackBatchSendsItsWordsAgain();
    void onlyWordsNewToTheIssueAreSent();

private:
    qint64 writeIssue(const char *title); // a stored event's issue
    bool hasWord(qint64 issueId, const char *word);
    PgStatus addInTransaction(PgIssueWords &words, const EventColumns &columns, qint64 issueId, bool commit);

    PostgresCluster m_cluster;
    std::unique_ptr<PgConnection> m_db;
    qint64 m_project = 0; // a project of its own per test: the tests share one database
};

void TestPgIssueWords::initTestCase()
{
    QString failed;
    m_db = startMigrated(m_cluster, QStringLiteral("words"), &failed);
    QVERIFY2(m_db, qPrintable(failed));
}

void TestPgIssueWords::init()
{
    const QString name = QString::fromLatin1(QTest::currentTestFunction());
    m_project = pgNumber(*m_db,
        QStringLiteral("INSERT INTO projects(name, public_key, created_ms) VALUES ($1, $1, 0) RETURNING id"),
        { PgParam::text(name) });
    QVERIFY(m_project > 0);
}

qint64 TestPgIssueWords::writeIssue(const char *title)
{
    const IncomingEvent event = makeEvent(
        QString::fromLatin1(title), QString::fromLatin1(title), QString::fromLatin1(title), kNow, m_project);
    PgBatchWriter writer(*m_db);
    auto written = writer.write({ &event });
    if (!written)
        qFatal("%s", qPrintable(written.error().message));
    return written->outcomes[0].issueId;
}

bool TestPgIssueWords::hasWord(qint64 issueId, const char *word)
{
    return pgNumber(*m_db, QStringLiteral("SELECT count(*) FROM issue_words WHERE issue_id = $1 AND word = $2"),
               { PgParam::integer(issueId), PgParam::text(QString::fromLatin1(word)) })
        == 1;
}

PgStatus TestPgIssueWords::addInTransaction(
    PgIssueWords &words, const EventColumns &columns, qint64 issueId, bool commit)
{
    words.startBatch();
    words.add(columns, 0, issueId);
    if (PgStatus begun = m_db->begin(); !begun)
        return begun;
    if (PgStatus written = words.write(*m_db); !written) {
        m_db->rollback();
        return written;
    }
    if (!commit) {
        m_db->rollback();
        return PgDone {};
    }
    if (PgStatus committed = m_db->commit(); !committed)
        return committed;
    words.committed();
    return PgDone {};
}

void TestPgIssueWords::aBatchGetsTheWordsTheServerFinds()
{
    // Every captured SDK's event, and one whose text the server folds by ICU (the writer leaves it to the server).
    QList<IncomingEvent> events = acceptedFixtureEvents(kNow, m_project);
    QVERIFY2(events.size() >= 20, qPrintable(QStringLiteral("only %1 fixtures").arg(events.size())));
    events.append(makeEvent(QStringLiteral("umlaut"), QStringLiteral("umlaut"),
        QStringLiteral("Überweisung an Müller fehlgeschlagen"), kNow, m_project));
    QList<const IncomingEvent *> batch;
    for (const IncomingEvent &event : events)
        batch.append(&event);
    PgBatchWriter writer(*m_db);
    auto written = writer.write(batch);
    QVERIFY2(written, qPrintable(written.error().message));

    const IssueWords stored = rowsOf(*m_db,
        QStringLiteral("SELECT w.issue_id, w.word FROM issue_words w JOIN issues i ON i.id = w.issue_id "
                       "WHERE i.project_id = $1"),
        m_project);
    const IssueWords serverOwn = rowsOf(*m_db,
        QStringLiteral("SELECT DISTINCT e.issue_id, w FROM events e, unnest(event_words(e.search)) w "
                       "WHERE e.project_id = $1"),
        m_project);
    QVERIFY(serverOwn.size() > 100);
    QCOMPARE(stored - serverOwn, IssueWords {});
    QCOMPARE(serverOwn - stored, IssueWords {});
    QVERIFY(stored.contains({ written->outcomes.constLast().issueId, QStringLiteral("uberweisung") }));
}

void TestPgIssueWords::aRolledBackBatchSendsItsWordsAgain()
{
    const qint64 issue = writeIssue("Ledger sync stalled");
    PgIssueWords words;
    QVERIFY(addInTransaction(words, textColumns("gamma delta"), issue, false));
    QVERIFY(!hasWord(issue, "gamma"));
    // The retry of that batch: nothing of it counts as added.
    QVERIFY(addInTransaction(words, textColumns("gamma delta"), issue, true));
    QVERIFY(hasWord(issue, "gamma"));
    QVERIFY(hasWord(issue, "gamma0delta"));
}

void TestPgIssueWords::onlyWordsNewToTheIssueAreSent()
{
    const qint64 issue = writeIssue("Ledger sync stalled");
    PgIssueWords words;
    QVERIFY(addInTransaction(words, textColumns("gamma delta"), issue, true));
    // Taken away behind the writer's back, to see what it sends next.
    QVERIFY(m_db->exec(QStringLiteral("DELETE FROM issue_words WHERE issue_id = $1"), { PgParam::integer(issue) }));
    QVERIFY(addInTransaction(words, textColumns("gamma delta"), issue, true));
    QVERIFY(!hasWord(issue, "gamma")); // the same text: nothing sent
    QVERIFY(addInTransaction(words, textColumns("gamma delta epsilon"), issue, true));
    QVERIFY(hasWord(issue, "epsilon"));
    QVERIFY(hasWord(issue, "delta0epsilon"));
    QVERIFY(!hasWord(issue, "gamma")); // known to this writer, so not sent again
    // Another issue has none of them yet.
    const qint64 other = writeIssue("Cache miss");
    QVERIFY(addInTransaction(words, textColumns("gamma delta"), other, true));
    QVERIFY(hasWord(other, "gamma"));
}

QTEST_GUILESS_MAIN(TestPgIssueWords)
#include "tst_pg_issue_words.moc"
