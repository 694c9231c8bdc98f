// The issue list's free text stays exact while events move and age out, on
// both backends (test_backend.h). On PostgreSQL the list finds issues through
// the words each issue keeps (issue_words, migrations 22 and 25) and then one of its
// events: words that stay behind when their events leave (a split, retention)
// must not make the old issue match, words of events that arrive (a merge,
// a split's new issue) must make the new one match, an issue with thousands
// of words is found by each, and digits are matched as before. Titles are
// matched as substrings as they are now (issue_texts, kept by a trigger).
#include "storage_test_helpers.h"
#include "test_backend.h"

#include "model/query/query_parser.h"
#include "storage/postgres/pg_migrations.h"
#include "storage/postgres/pg_query_params.h"
#include "storage/postgres/pg_retention.h"
#include "storage/project_settings.h"
#include "storage/retention.h"
#include "storage/store_readers.h"

#include <QJsonArray>
#include <QSet>

using namespace faultline;
using namespace faultline::test;

namespace {

const qint64 kNow = 1'800'000'000'000;
const qint64 kDay = 24 * 60 * 60 * 1000;

using Ids = QSet<qint64>;

// `count` distinct words of letters only ("qaab", "qaac"…), from `first` on: digits would be cut off.
QString letterWords(int first, int count)
{
    QStringList words;
    for (int n = first; n < first + count; ++n) {
        QString word = QStringLiteral("q");
        for (int rest = n, letters = 0; letters < 3; ++letters, rest /= 26)
            word += QChar(u'a' + rest % 26);
        words.append(word);
    }
    return words.join(u' ');
}

} // namespace

class TestIssueTextSearch : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void mergeAndSplitMoveTheWords();
    void wordsOfAgedOutEventsFindNothing();
    void anIssueWithManyWordsIsFound();
    void digitsMatchAsBefore();
    void aTitleIsMatchedAsItIsNow();
    void adjacentWordsAreKeptAsPairs();
    void issuesStoredBeforeTheWordsAreFound();
    void aWordInMostTitlesIsCheckedIssueByIssue();

private:
    Ids issuesMatching(StorageBackend &store, const QString &text);
    qint64 writeOne(const QString &location, const IncomingEvent &event);
    // PostgreSQL: 1 when issues_with_words() (migration 25) nominates `issue` for the words tsquery `query`.
    qint64 nominates(const QString &location, qint64 issue, const char *query);

    TestBackend m_backend;
};

void TestIssueTextSearch::initTestCase() { QVERIFY2(m_backend.start(), qPrintable(m_backend.error())); }

qint64 TestIssueTextSearch::nominates(const QString &location, qint64 issue, const char *query)
{
    return m_backend.scalar(location,
        QStringLiteral("SELECT count(*) FROM issues_with_words(?::tsquery) n WHERE n = ?"),
        { QString::fromLatin1(query), issue });
}

Ids TestIssueTextSearch::issuesMatching(StorageBackend &store, const QString &text)
{
    const auto query = parseQuery(text);
    if (!query.ok()) {
        qWarning() << "query does not parse:" << text;
        return { -1 };
    }
    QString error;
    const auto rows = store.issues().list(IssueListRequest { query.value(), IssueSort::LastSeen, 0, 0, kNow }, &error);
    if (!error.isEmpty()) {
        qWarning() << text << error;
        return { -2 };
    }
    Ids ids;
    for (const auto &row : rows)
        ids.insert(row.id);
    if (store.issues().count(query.value(), kNow, &error) != rows.size())
        ids.insert(-3); // the count disagrees with the list
    return ids;
}

qint64 TestIssueTextSearch::writeOne(const QString &location, const IncomingEvent &event)
{
    const auto outcomes = writeAll(location, { event });
    return outcomes.size() == 1 && outcomes[0].committed ? outcomes[0].issueId : 0;
}

void TestIssueTextSearch::mergeAndSplitMoveTheWords()
{
    const QString location = m_backend.freshDatabase(QStringLiteral("moves"));
    QVERIFY2(!location.isEmpty(), qPrintable(m_backend.error()));
    const qint64 alpha = writeOne(location, makeEvent("a", "alpha", "Checkout failed: alphaword quota", kNow - kDay));
    const qint64 bravo = writeOne(location, makeEvent("b", "bravo", "Refund failed: bravoword limit", kNow - kDay));
    QVERIFY(alpha && bravo && alpha != bravo);
    auto store = m_backend.open(location);
    QVERIFY(store);
    QCOMPARE(issuesMatching(*store, "bravoword"), Ids { bravo });

    QString error;
    const auto merged = store->merger().merge({ alpha, bravo }, alpha, kNow, &error);
    QVERIFY2(merged, qPrintable(error));
    QCOMPARE(issuesMatching(*store, "bravoword"), Ids { alpha });
    QCOMPARE(issuesMatching(*store, "\"failed bravoword\""), Ids { alpha });

    const QList<StoredGroupingKey> keys = store->merger().keys(alpha, &error);
    QCOMPARE(keys.size(), 2); // oldest first: alpha's own, then bravo's
    const auto split = store->merger().split(alpha, keys[1].hash, kNow, &error);
    QVERIFY2(split, qPrintable(error));
    const qint64 apart = split->newIssueId;
    // The words went with bravo's event; alpha keeps its own only.
    QCOMPARE(issuesMatching(*store, "bravoword"), Ids { apart });
    QCOMPARE(issuesMatching(*store, "refund failed"), Ids { apart });
    QCOMPARE(issuesMatching(*store, "alphaword"), Ids { alpha });
    QCOMPARE(issuesMatching(*store, "failed"), (Ids { alpha, apart }));
    QCOMPARE(issuesMatching(*store, "-bravoword"), Ids { alpha });
}

void TestIssueTextSearch::wordsOfAgedOutEventsFindNothing()
{
    const QString location = m_backend.freshDatabase(QStringLiteral("aged"));
    QVERIFY2(!location.isEmpty(), qPrintable(m_backend.error()));
    // One issue: an event three months old with a word of its own, one from today.
    const auto outcomes = writeAll(location,
        { makeEvent("old", "aging", "Sync stalled: ancientword", kNow - 90 * kDay),
            makeEvent("new", "aging", "Sync stalled: recentword", kNow - kDay) });
    QCOMPARE(outcomes.size(), 2);
    const qint64 issue = outcomes[0].issueId;
    QCOMPARE(outcomes[1].issueId, issue);
    auto store = m_backend.open(location);
    QVERIFY(store);
    QCOMPARE(issuesMatching(*store, "ancientword"), Ids { issue });

    ProjectSettings settings = ProjectSettings::defaults(1);
    settings.maxAgeDays = 30;
    QVERIFY(store->limits().set(settings));
    if (m_backend.isPostgres()) {
        auto connection = PgConnection::open(location);
        QVERIFY(connection);
        const auto pruned = prunePostgresPartitions(*connection.value(), kNow);
        QVERIFY2(pruned, qPrintable(pruned.error().message));
        QCOMPARE(pruned->eventsDeleted(), 1);
    } else {
        auto db = openOrFail(location);
        QVERIFY(db);
        QCOMPARE(Retention(*db).prune(settings, kNow).eventsDeleted, 1);
    }
    QCOMPARE(m_backend.scalar(location, QStringLiteral("SELECT count(*) FROM events")), 1);
    QCOMPARE(issuesMatching(*store, "ancientword"), Ids {});
    QCOMPARE(issuesMatching(*store, "\"stalled ancientword\""), Ids {});
    QCOMPARE(issuesMatching(*store, "recentword"), Ids { issue });
}

void TestIssueTextSearch::anIssueWithManyWordsIsFound()
{
    const QString location = m_backend.freshDatabase(QStringLiteral("wordy"));
    QVERIFY2(!location.isEmpty(), qPrintable(m_backend.error()));
    const qint64 quiet = writeOne(location, makeEvent("quiet", "quiet", "Cache miss: qaaa", kNow - kDay));
    // 400 words, then 800 more in two events of a later batch (PostgreSQL kept 1,000 per issue before version 25).
    const qint64 wordy = writeOne(location, makeEvent("w1", "wordy", letterWords(0, 400), kNow - kDay));
    const auto later = writeAll(location,
        { makeEvent("w2", "wordy", letterWords(400, 400), kNow - kDay),
            makeEvent("w3", "wordy", letterWords(800, 400) + QStringLiteral(" lastword"), kNow - kDay) });
    QVERIFY(quiet && wordy && quiet != wordy);
    QCOMPARE(later.size(), 2);
    QCOMPARE(later[1].issueId, wordy);
    auto store = m_backend.open(location);
    QVERIFY(store);
    QCOMPARE(issuesMatching(*store, "lastword"), Ids { wordy });
    QCOMPARE(issuesMatching(*store, letterWords(1100, 1)), Ids { wordy });
    QCOMPARE(issuesMatching(*store, letterWords(5, 1)), Ids { wordy });
    QCOMPARE(issuesMatching(*store, "qaaa"), (Ids { quiet, wordy }));
    QCOMPARE(issuesMatching(*store, "nowhereword"), Ids {});
    QCOMPARE(issuesMatching(*store, "-lastword"), Ids { quiet });
    // A later event of the issue, then one that takes the title (matched on its own).
    QCOMPARE(writeOne(location, makeEvent("w4", "wordy", QStringLiteral("afterword qaab"), kNow - kDay)), wordy);
    QCOMPARE(writeOne(location, makeEvent("w5", "wordy", QStringLiteral("closing note"), kNow - kDay)), wordy);
    QCOMPARE(issuesMatching(*store, "afterword"), Ids { wordy });
    QCOMPARE(issuesMatching(*store, "\"afterword qaab\""), Ids { wordy });
    QCOMPARE(issuesMatching(*store, "\"afterword qaaa\""), Ids {});
    QCOMPARE(issuesMatching(*store, "afterw"), Ids { wordy });
    if (!m_backend.isPostgres())
        return;
    // What this test is about: every word of the issue (the first batch's, the later ones') is in issue_words,
    // which answers for the issue without reading its events.
    QCOMPARE(nominates(location, wordy, "'qaaa' & 'lastword' & 'afterword0qaab' & 'afterw':*"), 1);
    QCOMPARE(nominates(location, wordy, "'afterword0qaaa'"), 0);
    QCOMPARE(nominates(location, wordy, "'afterw'"), 0); // a word, not a prefix
    QCOMPARE(nominates(location, wordy, "'nowhereword':*"), 0);
}

void TestIssueTextSearch::digitsMatchAsBefore()
{
    const QString location = m_backend.freshDatabase(QStringLiteral("digits"));
    QVERIFY2(!location.isEmpty(), qPrintable(m_backend.error()));
    // The numbers in a chained exception's value only: not in the title the list also matches (ILIKE).
    const qint64 order = writeOne(
        location, makeEvent("d", "order", "ValueError: lookup failed", kNow - kDay, 1, [](QJsonObject &json) {
            json.insert(QStringLiteral("message"), QString());
            json.insert(QStringLiteral("exception"),
                QJsonObject { { "values",
                    QJsonArray { QJsonObject { { "type", "LookupError" }, { "value", "Order 12345 for user42" } },
                        QJsonObject { { "type", "ValueError" }, { "value", "lookup failed" } } } } });
        }));
    const qint64 other = writeOne(location, makeEvent("o", "other", "Order lookup slow for user", kNow - kDay));
    QVERIFY(order && other && order != other);
    auto store = m_backend.open(location);
    QVERIFY(store);
    QCOMPARE(issuesMatching(*store, "12345"), Ids { order });
    QCOMPARE(issuesMatching(*store, "123"), Ids { order });
    QCOMPARE(issuesMatching(*store, "user42"), Ids { order });
    QCOMPARE(issuesMatching(*store, "user4"), Ids { order });
    QCOMPARE(issuesMatching(*store, "\"user42\""), Ids { order });
    QCOMPARE(issuesMatching(*store, "\"user4\""), Ids {});
    QCOMPARE(issuesMatching(*store, "user43"), Ids {});
    QCOMPARE(issuesMatching(*store, "42"), Ids {});
    QCOMPARE(issuesMatching(*store, "order1"), Ids {});
    QCOMPARE(issuesMatching(*store, "order 12345"), Ids { order });
    QCOMPARE(issuesMatching(*store, "order 123456"), Ids {});
    QCOMPARE(issuesMatching(*store, "12345 for user"), Ids { order });
    QCOMPARE(issuesMatching(*store, "user"), (Ids { order, other }));
}

void TestIssueTextSearch::aTitleIsMatchedAsItIsNow()
{
    const QString location = m_backend.freshDatabase(QStringLiteral("retitled"));
    QVERIFY2(!location.isEmpty(), qPrintable(m_backend.error()));
    const qint64 issue = writeOne(location, makeEvent("s", "ledger", "Ledger sync stalled", kNow - 2 * kDay));
    QVERIFY(issue);
    auto store = m_backend.open(location);
    QVERIFY(store);
    // Substrings that are no word of the text: only the title's match finds them.
    QCOMPARE(issuesMatching(*store, "\"sync stall\""), Ids { issue });
    QCOMPARE(issuesMatching(*store, "\"sync abort\""), Ids {});

    QCOMPARE(writeOne(location, makeEvent("t", "ledger", "Ledger sync aborted", kNow - kDay)), issue);
    QCOMPARE(issuesMatching(*store, "\"sync abort\""), Ids { issue });
    QCOMPARE(issuesMatching(*store, "\"sync stall\""), Ids {});
    QCOMPARE(issuesMatching(*store, "stalled"), Ids { issue }); // the first event's word
}

void TestIssueTextSearch::adjacentWordsAreKeptAsPairs()
{
    if (!m_backend.isPostgres())
        QSKIP("PostgreSQL's issue_words; SQLite's search index is its own");
    const QString location = m_backend.freshDatabase(QStringLiteral("pairs"));
    QVERIFY2(!location.isEmpty(), qPrintable(m_backend.error()));
    const qint64 issue = writeOne(location, makeEvent("p", "pairs", "Customer sync failed for order42 today", kNow));
    QVERIFY(issue);
    const auto kept = [&](const char *query) { return nominates(location, issue, query); };
    QCOMPARE(kept("'customer0sync' & 'sync0failed' & 'failed0for' & 'for0order' & 'order0today'"), 1);
    QCOMPARE(kept("'customer0failed'"), 0); // not side by side
    QCOMPARE(kept("'sync0customer'"), 0); // not in this order
    auto store = m_backend.open(location);
    QVERIFY(store);
    QCOMPARE(issuesMatching(*store, "\"sync failed\""), Ids { issue });
    QCOMPARE(issuesMatching(*store, "\"order4 today\""), Ids {}); // "order4" is no prefix inside a phrase
    QCOMPARE(issuesMatching(*store, "\"order42 today\""), Ids { issue });
    QCOMPARE(issuesMatching(*store, "\"customer failed\""), Ids {});
}

void TestIssueTextSearch::issuesStoredBeforeTheWordsAreFound()
{
    if (!m_backend.isPostgres())
        QSKIP("PostgreSQL's migration 22; SQLite's search index is its own");
    const QString location = m_backend.freshDatabase(QStringLiteral("backfill"));
    QVERIFY2(!location.isEmpty(), qPrintable(m_backend.error()));
    const qint64 issue = writeOne(location, makeEvent("e", "early", "Import choked on legacyword", kNow - kDay));
    // Past the 1,000 words an issue keeps: migration 23 must fill its overflow rows from its events. The
    // next event takes the title, so that only those rows hold `finalword`.
    const qint64 wordy
        = writeOne(location, makeEvent("w", "wordy", letterWords(0, 1100) + QStringLiteral(" finalword"), kNow - kDay));
    QCOMPARE(writeOne(location, makeEvent("x", "wordy", QStringLiteral("Short title"), kNow - kDay)), wordy);
    QVERIFY(issue && wordy && issue != wordy);
    auto connection = PgConnection::open(location);
    QVERIFY(connection);
    PgConnection &db = *connection.value();
    // Back to version 21, the events kept: as a database that Faultline wrote before this version.
    QVERIFY(
        db.execScript("DROP STATISTICS issue_facets_key_value; DROP INDEX issue_facets_by_value_issue; "
                      "CREATE INDEX issue_facets_by_value ON issue_facets(key, value); "
                      "DROP FUNCTION issues_with_words(tsquery); DROP FUNCTION collect_issue_words() CASCADE; "
                      "DROP FUNCTION add_issue_words(bigint[], text[], bigint[], bigint[]); "
                      "DROP FUNCTION event_words(tsvector); DROP FUNCTION issue_word(text); DROP TABLE issue_words; "
                      "DROP FUNCTION copy_issue_text() CASCADE; DROP TABLE issue_texts; "
                      "DELETE FROM schema_migrations WHERE version >= 22;"));
    const auto migrated = migratePostgres(db);
    QVERIFY2(migrated, qPrintable(migrated.error().message));
    QCOMPARE(migrated.value(), latestPostgresSchemaVersion());
    QCOMPARE(nominates(location, issue, "'legacyword' & 'import'"), 1);
    auto store = m_backend.open(location);
    QVERIFY(store);
    QCOMPARE(issuesMatching(*store, "legacyword"), Ids { issue });
    QCOMPARE(issuesMatching(*store, "choked on"), Ids { issue });
    QCOMPARE(issuesMatching(*store, "choked off"), Ids {});
    QCOMPARE(issuesMatching(*store, "\"port chok\""), Ids { issue }); // the title's substring
    QCOMPARE(nominates(location, issue, "'on0legacyword'"), 1); // the pairs too
    QCOMPARE(nominates(location, wordy, "'finalword'"), 1); // past version 22's 1,000 words: its overflow rows
    QCOMPARE(issuesMatching(*store, "finalword"), Ids { wordy });
    QCOMPARE(issuesMatching(*store, letterWords(5, 1)), Ids { wordy });
}

void TestIssueTextSearch::aWordInMostTitlesIsCheckedIssueByIssue()
{
    const QString location = m_backend.freshDatabase(QStringLiteral("broad"));
    QVERIFY2(!location.isEmpty(), qPrintable(m_backend.error()));
    const qint64 checkout = writeOne(location, makeEvent("a", "checkout", "Checkout failed: quota", kNow - kDay));
    const qint64 refund = writeOne(location, makeEvent("b", "refund", "Refund failed: limit", kNow - kDay));
    const qint64 customer = writeOne(location, makeEvent("c", "sync", "Sync failed for customer", kNow - kDay));
    const qint64 exporter = writeOne(location, makeEvent("g", "export", "Export failed", kNow - kDay));
    const qint64 retried
        = writeOne(location, makeEvent("d", "retry", "Retry budget spent", kNow - kDay, 1, [](QJsonObject &json) {
              json.insert(QStringLiteral("transaction"), QStringLiteral("jobs.failed_jobs in run"));
          }));
    // The word was in the first event's title only: the issue's words and that event still hold it.
    const qint64 import = writeOne(location, makeEvent("e1", "import", "Import failed: disk full", kNow - 2 * kDay));
    QCOMPARE(writeOne(location, makeEvent("e2", "import", "Import stalled", kNow - kDay)), import);
    const qint64 cache = writeOne(location, makeEvent("f", "cache", "Cache miss", kNow - kDay));
    QVERIFY(checkout && refund && customer && exporter && retried && import && cache);
    auto store = m_backend.open(location);
    QVERIFY(store);
    const Ids failed { checkout, refund, customer, exporter, retried, import };
    QCOMPARE(issuesMatching(*store, "failed"), failed);
    QCOMPARE(issuesMatching(*store, "FAILED"), failed);
    QCOMPARE(issuesMatching(*store, "-failed"), Ids { cache });
    QCOMPARE(issuesMatching(*store, "customer failed"), Ids { customer });
    QCOMPARE(issuesMatching(*store, "failed customer"), Ids { customer });
    QCOMPARE(issuesMatching(*store, "failed stalled"), Ids { import });
    QCOMPARE(issuesMatching(*store, "failed disk"), Ids { import });
    QCOMPARE(issuesMatching(*store, "failed -quota"), (failed - Ids { checkout }));
    QCOMPARE(issuesMatching(*store, "failed_jobs"), Ids { retried });
    QCOMPARE(issuesMatching(*store, "\"failed for\""), Ids { customer });
    if (!m_backend.isPostgres())
        return;
    // What this test is about on PostgreSQL: `failed`, in most titles and culprits, is checked on each
    // issue's own columns, not as the set of every issue; `customer` still as the set its index finds.
    auto connection = PgConnection::open(location);
    QVERIFY(connection);
    const auto checkedByRow = [&](const char *text) {
        const auto filter = pgIssueFilter(*connection.value(), parseQuery(text).value(), kNow);
        return filter ? int(filter->where.count(QStringLiteral("issues.title ILIKE"))) : -1;
    };
    QCOMPARE(checkedByRow("failed"), 1);
    QCOMPARE(checkedByRow("customer"), 0);
    QCOMPARE(checkedByRow("customer failed"), 1);
    QCOMPARE(checkedByRow("failed -quota sync"), 1);
}

QTEST_GUILESS_MAIN(TestIssueTextSearch)
#include "tst_issue_text_search.moc"
