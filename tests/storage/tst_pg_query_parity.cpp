// The query language on both backends (#18): the same fixture events,
// prepared as the collector prepares them (IncomingEvent::prepare), written
// into SQLite by the EventWriter and into PostgreSQL by the PgBatchWriter,
// then searched through the same IssueReader / EventReader interfaces with
// every key of the language. Both must answer with the same issues (by
// fingerprint, in the same order for the time sorts), the same events and the
// same counts. Where they cannot agree on some input, the comment at
// kQueries says so (and docs/ARCHITECTURE.md).
#include "parity_corpus.h"
#include "storage_test_helpers.h"

#include "model/query/query_parser.h"
#include "storage/backend.h"
#include "storage/postgres/pg_backend.h"
#include "storage/postgres/pg_batch_writer.h"
#include "storage/store_readers.h"
#include "support/fixture_events.h"
#include "support/postgres_cluster.h"

#include <QTest>

using namespace faultline;
using namespace faultline::test;

namespace {

// What each search finds on one backend.
struct Answer {
    QStringList issuesByLastSeen; // fingerprints, in list order
    QStringList issuesByFirstSeen;
    QStringList issuesByCount; // sorted: equal counts tie on ids, which the backends hand out in their own order
    QList<qint64> issueCounts; // the count column in list order (by count)
    qint64 counted = -1; // IssueReader::count
    QStringList events; // event ids, newest first
};

QStringList fingerprints(const IssueReader &issues, const QList<IssueRow> &rows)
{
    QStringList list;
    for (const IssueRow &row : rows)
        list.append(issues.fingerprint(row.id) + u' ' + row.title);
    return list;
}

Answer answer(StorageBackend &backend, const Query &query)
{
    Answer result;
    QString error;
    IssueListRequest request { query, IssueSort::LastSeen, 0, 0, kNow };
    result.issuesByLastSeen = fingerprints(backend.issues(), backend.issues().list(request, &error));
    request.sort = IssueSort::FirstSeen;
    result.issuesByFirstSeen = fingerprints(backend.issues(), backend.issues().list(request, &error));
    request.sort = IssueSort::Count;
    const QList<IssueRow> byCount = backend.issues().list(request, &error);
    result.issuesByCount = fingerprints(backend.issues(), byCount);
    result.issuesByCount.sort();
    for (const IssueRow &row : byCount)
        result.issueCounts.append(row.count);
    result.counted = backend.issues().count(query, kNow, &error);
    for (const EventRow &row : backend.events().search(query, 0, 0, kNow, false, &error))
        result.events.append(row.eventId);
    if (!error.isEmpty())
        qWarning() << backend.displayName() << error;
    return result;
}

} // namespace

class TestPgQueryParity : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void sameAnswersOnBothBackends_data();
    void sameAnswersOnBothBackends();
    void theCorpusExercisesTheQueries();

private:
    PostgresCluster m_cluster;
    QTemporaryDir m_dir;
    std::unique_ptr<StorageBackend> m_sqlite;
    std::unique_ptr<StorageBackend> m_postgres;
    int m_nonEmpty = 0;
    int m_queries = 0;
};

void TestPgQueryParity::initTestCase()
{
    QVERIFY2(m_cluster.startWithDatabase(QStringLiteral("parity")), qPrintable(m_cluster.error()));
    const QList<IncomingEvent> events = parityCorpus();

    const QString failed = writeToBothBackends(events, m_dir.filePath(QStringLiteral("parity.db")),
        m_cluster.uri(QStringLiteral("parity")), &m_sqlite, &m_postgres);
    QVERIFY2(failed.isEmpty(), qPrintable(failed));

    // Triage, the same on both through the same interface: resolve one issue, ignore another.
    for (StorageBackend *backend : { m_sqlite.get(), m_postgres.get() }) {
        QString error;
        QHash<QString, qint64> byTitle;
        for (const IssueRow &issue :
            backend->issues().list(IssueListRequest { {}, IssueSort::LastSeen, 0, 0, kNow }, &error))
            byTitle.insert(issue.title, issue.id);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        const auto idOf = [&](const QString &prefix) {
            for (auto it = byTitle.cbegin(); it != byTitle.cend(); ++it)
                if (it.key().startsWith(prefix))
                    return it.value();
            return qint64(0);
        };
        const qint64 resolved = idOf(QStringLiteral("KeyError"));
        const qint64 ignored = idOf(QStringLiteral("AttributeError"));
        QVERIFY(resolved > 0 && ignored > 0);
        StatusChange resolve;
        resolve.status = IssueStatus::Resolved;
        QCOMPARE(backend->statuses().apply({ resolved }, resolve, kNow, nullptr, &error), 1);
        StatusChange ignore;
        ignore.status = IssueStatus::Ignored;
        ignore.until = StatusChange::Until::Events;
        ignore.events = 10;
        QCOMPARE(backend->statuses().apply({ ignored }, ignore, kNow, nullptr, &error), 1);
    }
}

// Every key of the language, negation, free text (words, prefixes, phrases,
// punctuation, case, non-ASCII), is:, level comparisons, dates, tags, users.
void TestPgQueryParity::sameAnswersOnBothBackends_data()
{
    QTest::addColumn<QString>("query");
    const char *const queries[] = { "", "is:unresolved", "is:resolved", "is:ignored", "is:for_review", "is:regressed",
        "level:error", "level:>=warning", "level:<error", "!level:error", "-level:warning", "release:myapp@1.2.3",
        "release:myapp@2.0.0", "-release:myapp@1.2.3", "environment:production", "!environment:staging",
        "feature:checkout", "tag:feature=export", "component:billing", "has:feature", "has:tenant", "user:42",
        "user.email:bob@example.com", "user.email:carol@example.com", "user:id:7", "has:user", "has:browser",
        "browser:Chrome", "has:locals", "has:validation", "field:quantity", "status:500", "status:4xx", "age:-24h",
        "age:+48h", "last_seen:-1h", "last_seen:+5d", "project:default", "project:1", "project:DEFAULT", "project:nope",
        "division", "DIVISION", "divis", "\"division by zero\"", "\"by zero\"", "\"zero by\"", "!\"by zero\"",
        "-division", "ZeroDivisionError", "zerodiv", "order 3003", "'missing_key'", "py_client.py", "<module>",
        "sentry_sdk.add", "payment retry", "Überweisung", "überweisung", "uberweisung", "ÜBERWEISUNG", "Konto",
        "nosuchwordanywhere", "50%", "a_b", "level:error division -is:resolved",
        "is:unresolved release:myapp@1.2.3 "
        "environment:staging has:user" };
    for (const char *query : queries)
        QTest::newRow(query) << QString::fromUtf8(query);
}

void TestPgQueryParity::sameAnswersOnBothBackends()
{
    QFETCH(QString, query);
    const auto parsed = parseQuery(query);
    QVERIFY2(parsed.ok(), qPrintable(query));
    const Answer sqlite = answer(*m_sqlite, parsed.value());
    const Answer postgres = answer(*m_postgres, parsed.value());
    qInfo().noquote() << QStringLiteral("%1 | issues %2 / %3 | events %4 / %5")
                             .arg(query.leftJustified(42))
                             .arg(sqlite.counted)
                             .arg(postgres.counted)
                             .arg(sqlite.events.size())
                             .arg(postgres.events.size());
    ++m_queries;
    if (sqlite.counted > 0 || !sqlite.events.isEmpty())
        ++m_nonEmpty;
    QCOMPARE(postgres.issuesByLastSeen, sqlite.issuesByLastSeen);
    QCOMPARE(postgres.issuesByFirstSeen, sqlite.issuesByFirstSeen);
    QCOMPARE(postgres.issuesByCount, sqlite.issuesByCount);
    QCOMPARE(postgres.issueCounts, sqlite.issueCounts);
    QCOMPARE(postgres.counted, sqlite.counted);
    QCOMPARE(postgres.counted, qint64(sqlite.issuesByLastSeen.size()));
    QCOMPARE(postgres.events, sqlite.events);
}

// A parity of empty answers proves nothing: most queries must find something.
void TestPgQueryParity::theCorpusExercisesTheQueries()
{
    QVERIFY2(m_nonEmpty >= m_queries * 3 / 4, qPrintable(QStringLiteral("%1 of %2").arg(m_nonEmpty).arg(m_queries)));
}

QTEST_GUILESS_MAIN(TestPgQueryParity)
#include "tst_pg_query_parity.moc"
