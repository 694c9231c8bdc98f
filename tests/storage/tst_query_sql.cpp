// Searches against a real database: every kind of term picks the right issues
// and events, and hostile text is only ever text. Through the backend-neutral
// readers, on both backends (test_backend.h); the query → SQL functions themselves
// are checked for both dialects.
#include "storage_test_helpers.h"
#include "test_backend.h"

#include "model/query/query_parser.h"
#include "storage/project_store.h"
#include "storage/query_sql.h"
#include "storage/store_readers.h"

#include <QJsonArray>
#include <QSet>

using namespace faultline;
using namespace faultline::test;

namespace {

const qint64 kNow = 1'800'000'000'000;
const qint64 kMinute = 60'000;
const qint64 kHour = 60 * kMinute;

using Names = QSet<QString>;

} // namespace

class TestQuerySql : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void issues_data();
    void issues();
    void events_data();
    void events();
    void hostileInputLeavesTheDatabaseAlone();
    void ftsQuoting();
    void likeEscaping();
    void postgresDialect();

private:
    Names issueFingerprints(const QString &text);
    Names eventIds(const QString &text, int limit = 0);

    TestBackend m_backend;
    QString m_path;
    std::unique_ptr<StorageBackend> m_store;
    QHash<qint64, QString> m_fingerprintByIssue;
};

void TestQuerySql::initTestCase()
{
    QVERIFY2(m_backend.start(), qPrintable(m_backend.error()));
    m_path = m_backend.freshDatabase(QStringLiteral("query"));
    QVERIFY2(!m_path.isEmpty(), qPrintable(m_backend.error()));
    m_store = m_backend.open(m_path);
    QVERIFY(m_store);
    const qint64 shop = m_store->projects().add(QStringLiteral("shop"))->id;
    QCOMPARE(shop, 2);

    auto zero = makeEvent(QStringLiteral("e1"), QStringLiteral("zero"),
        QStringLiteral("ZeroDivisionError: division by zero"), kNow - 48 * kHour, 1, [](QJsonObject &json) {
            json.insert(QStringLiteral("release"), "1.0");
            json.insert(QStringLiteral("environment"), "production");
            json.insert(QStringLiteral("tags"), QJsonObject { { "browser", "Firefox" }, { "user.email", "a@b.c" } });
            const QJsonObject frame { { "function", "divide" }, { "vars", QJsonObject { { "x", "1" } } } };
            json.insert(QStringLiteral("exception"),
                QJsonObject { { "values",
                    QJsonArray { QJsonObject { { "type", "ZeroDivisionError" }, { "value", "division by zero" },
                        { "stacktrace", QJsonObject { { "frames", QJsonArray { frame } } } } } } } });
        });

    auto key = makeEvent(QStringLiteral("e2"), QStringLiteral("key"), QStringLiteral("KeyError: 'user_id'"),
        kNow - 30 * kMinute, 1, [](QJsonObject &json) {
            json.insert(QStringLiteral("level"), "warning");
            json.insert(QStringLiteral("release"), "2.0");
            json.insert(QStringLiteral("environment"), "staging");
            json.insert(QStringLiteral("tags"), QJsonObject { { "browser", "Chrome" } });
        });

    // The title is the exception's, the message another text.
    auto percent = makeEvent(QStringLiteral("e3"), QStringLiteral("percent"),
        QStringLiteral("price \"quoted\" NEAR limit*"), kNow - 2 * kHour, shop, [](QJsonObject &json) {
            json.insert(QStringLiteral("level"), "info");
            json.insert(QStringLiteral("http_status"), 500);
            json.insert(QStringLiteral("exception"),
                QJsonObject {
                    { "values", QJsonArray { QJsonObject { { "value", "Discount 50%_off failed; DROP TABLE" } } } } });
        });

    auto valid = makeEvent(QStringLiteral("e4"), QStringLiteral("valid"), QStringLiteral("ValidationError"),
        kNow - 10 * kMinute, shop, [](QJsonObject &json) {
            json.insert(QStringLiteral("validation_errors"),
                QJsonArray { QJsonObject {
                    { "loc", QJsonArray { "body", "email" } }, { "msg", "bad" }, { "type", "value_error" } } });
            json.insert(QStringLiteral("http_status"), 422);
        });

    auto unicode = makeEvent(QStringLiteral("e5"), QStringLiteral("unicode"), QStringLiteral("Ünïcødé 日本語 failure"),
        kNow - 5 * 24 * kHour, 1, [](QJsonObject &json) { json.insert(QStringLiteral("level"), "fatal"); });

    auto zeroAgain = makeEvent(QStringLiteral("e6"), QStringLiteral("zero"),
        QStringLiteral("ZeroDivisionError: division by zero"), kNow - kHour, 1, [](QJsonObject &json) {
            json.insert(QStringLiteral("release"), "1.1");
            json.insert(QStringLiteral("environment"), "production");
            json.insert(QStringLiteral("tags"), QJsonObject { { "browser", "Safari" } });
        });

    const QList<IncomingEvent> all = { zero, key, percent, valid, unicode, zeroAgain };
    const auto outcomes = writeAll(m_path, all);
    QCOMPARE(outcomes.size(), all.size());
    for (int i = 0; i < all.size(); ++i) {
        QVERIFY2(outcomes[i].committed, qPrintable(outcomes[i].error));
        m_fingerprintByIssue.insert(outcomes[i].issueId, all[i].issue.fingerprint);
    }
    QString error;
    QCOMPARE(m_store->statuses().apply(
                 { outcomes[1].issueId }, StatusChange { IssueStatus::Resolved, {}, 0, 0 }, kNow, nullptr, &error),
        1);
}

Names TestQuerySql::issueFingerprints(const QString &text)
{
    const auto query = parseQuery(text);
    if (!query.ok()) {
        qWarning() << "query does not parse:" << text << query.errors().first().msg;
        return { QStringLiteral("<parse error>") };
    }
    QString error;
    IssueListRequest request { query.value(), IssueSort::LastSeen, 0, 0, kNow };
    const auto rows = m_store->issues().list(request, &error);
    if (!error.isEmpty())
        return { QStringLiteral("<sql error: %1>").arg(error) };
    Names names;
    for (const auto &row : rows)
        names.insert(m_fingerprintByIssue.value(row.id));
    if (m_store->issues().count(query.value(), kNow, &error) != rows.size())
        names.insert(QStringLiteral("<count disagrees>"));
    return names;
}

Names TestQuerySql::eventIds(const QString &text, int limit)
{
    const auto query = parseQuery(text);
    if (!query.ok())
        return { QStringLiteral("<parse error>") };
    QString error;
    const auto rows = m_store->events().search(query.value(), limit, 0, kNow, false, &error);
    if (!error.isEmpty())
        return { QStringLiteral("<sql error: %1>").arg(error) };
    Names ids;
    for (const auto &row : rows)
        ids.insert(testEventName(row.eventId));
    return ids;
}

void TestQuerySql::issues_data()
{
    QTest::addColumn<QString>("query");
    QTest::addColumn<Names>("expected");
    const Names everything { "zero", "key", "percent", "valid", "unicode" };

    QTest::newRow("empty") << "" << everything;
    QTest::newRow("is:resolved") << "is:resolved" << Names { "key" };
    QTest::newRow("is:unresolved") << "is:unresolved" << Names { "zero", "percent", "valid", "unicode" };
    QTest::newRow("-is:resolved") << "-is:resolved" << Names { "zero", "percent", "valid", "unicode" };
    QTest::newRow("is:ignored") << "is:ignored" << Names {};
    QTest::newRow("level:error") << "level:error" << Names { "zero", "valid" };
    QTest::newRow("level:>=error") << "level:>=error" << Names { "zero", "valid", "unicode" };
    QTest::newRow("level:<warning") << "level:<warning" << Names { "percent" };
    QTest::newRow("level:>fatal") << "level:>fatal" << Names {};
    QTest::newRow("project name") << "project:shop" << Names { "percent", "valid" };
    QTest::newRow("project any case") << "service:SHOP" << Names { "percent", "valid" };
    QTest::newRow("project id") << "project:2" << Names { "percent", "valid" };
    QTest::newRow("not project") << "!project:shop" << Names { "zero", "key", "unicode" };
    QTest::newRow("release of an older event") << "release:1.0" << Names { "zero" };
    QTest::newRow("release of a newer event") << "release:1.1" << Names { "zero" };
    QTest::newRow("environment") << "environment:staging" << Names { "key" };
    QTest::newRow("tag:") << "tag:browser=Firefox" << Names { "zero" };
    QTest::newRow("key:value tag") << "browser:Chrome" << Names { "key" };
    QTest::newRow("dotted tag") << "user.email:a@b.c" << Names { "zero" };
    QTest::newRow("tag value is exact") << "browser:Chrom" << Names {};
    QTest::newRow("has tag") << "has:browser" << Names { "zero", "key" };
    QTest::newRow("has not tag") << "-has:browser" << Names { "percent", "valid", "unicode" };
    QTest::newRow("has:locals") << "has:locals" << Names { "zero" };
    QTest::newRow("has:validation") << "has:validation" << Names { "valid" };
    QTest::newRow("field by last segment") << "field:email" << Names { "valid" };
    QTest::newRow("field by path") << "field:body.email" << Names { "valid" };
    QTest::newRow("field partial") << "field:mail" << Names {};
    QTest::newRow("field wildcard is literal") << "field:%" << Names {};
    QTest::newRow("status exact") << "status:500" << Names { "percent" };
    QTest::newRow("status class") << "status:4xx" << Names { "valid" };
    QTest::newRow("status none") << "status:404" << Names {};
    QTest::newRow("new within a day") << "age:-24h" << Names { "key", "percent", "valid" };
    QTest::newRow("older than a day") << "age:+24h" << Names { "zero", "unicode" };
    QTest::newRow("seen in 90 minutes") << "last_seen:-90m" << Names { "zero", "key", "valid" };
    QTest::newRow("not seen for 3 days") << "last_seen:+3d" << Names { "unicode" };
    QTest::newRow("word") << "division" << Names { "zero" };
    QTest::newRow("word prefix") << "zerodiv" << Names { "zero" };
    QTest::newRow("substring of the title") << "Divis" << Names { "zero" };
    QTest::newRow("phrase") << "\"division by\"" << Names { "zero" };
    QTest::newRow("phrase order matters") << "\"by division\"" << Names {};
    QTest::newRow("message word via events") << "quoted" << Names { "percent" };
    QTest::newRow("negated word") << "-division" << Names { "key", "percent", "valid", "unicode" };
    QTest::newRow("combined") << "is:unresolved level:error project:default" << Names { "zero" };
    QTest::newRow("percent is literal") << "%" << Names { "percent" };
    QTest::newRow("underscore is literal") << "_" << Names { "percent", "key" };
    QTest::newRow("both wildcards") << "50%_off" << Names { "percent" };
    QTest::newRow("SQL in a phrase") << "\"'; DROP TABLE issues; --\"" << Names {};
    QTest::newRow("SQL words as text") << "\"DROP TABLE\"" << Names { "percent" };
    QTest::newRow("semicolon") << "failed;" << Names { "percent" };
    QTest::newRow("FTS NEAR is a word") << "NEAR" << Names { "percent" };
    QTest::newRow("FTS NEAR group") << "NEAR(price" << Names {};
    QTest::newRow("FTS star is a character") << "limit*" << Names { "percent" };
    QTest::newRow("embedded quote") << "price\"quoted" << Names { "percent" };
    QTest::newRow("FTS column filter") << "title:x" << Names {};
    QTest::newRow("FTS caret") << "^price" << Names { "percent" };
    QTest::newRow("only a star") << "*" << Names {};
    QTest::newRow("CJK") << "日本語" << Names { "unicode" };
    QTest::newRow("diacritics folded by FTS") << "ünïcødé" << Names { "unicode" };
    QTest::newRow("plain ascii finds accented") << "unic" << Names { "unicode" };
}

void TestQuerySql::issues()
{
    QFETCH(QString, query);
    QFETCH(Names, expected);
    QCOMPARE(issueFingerprints(query), expected);
}

void TestQuerySql::events_data()
{
    QTest::addColumn<QString>("query");
    QTest::addColumn<int>("limit");
    QTest::addColumn<Names>("expected");
    QTest::newRow("all") << "" << 0 << Names { "e1", "e2", "e3", "e4", "e5", "e6" };
    QTest::newRow("newest two") << "" << 2 << Names { "e5", "e6" }; // by arrival order
    QTest::newRow("release is per event") << "release:1.1" << 0 << Names { "e6" };
    QTest::newRow("tag is per event") << "browser:Firefox" << 0 << Names { "e1" };
    QTest::newRow("has tag") << "has:browser" << 0 << Names { "e1", "e2", "e6" };
    QTest::newRow("received within 90 minutes") << "last_seen:-90m" << 0 << Names { "e2", "e4", "e6" };
    QTest::newRow("issue first seen long ago") << "age:+24h" << 0 << Names { "e1", "e5", "e6" };
    QTest::newRow("issue status") << "is:resolved" << 0 << Names { "e2" };
    QTest::newRow("level") << "level:>=error" << 0 << Names { "e1", "e4", "e5", "e6" };
    QTest::newRow("project") << "project:shop" << 0 << Names { "e3", "e4" };
    QTest::newRow("text") << "division" << 0 << Names { "e1", "e6" };
    QTest::newRow("text in message") << "NEAR" << 0 << Names { "e3" };
    QTest::newRow("text literal percent") << "%" << 0 << Names { "e3" };
    QTest::newRow("status") << "status:5xx" << 0 << Names { "e3" };
    QTest::newRow("field") << "field:email" << 0 << Names { "e4" };
    QTest::newRow("has locals") << "has:locals" << 0 << Names { "e1" };
    QTest::newRow("negated") << "-project:shop -division" << 0 << Names { "e2", "e5" };
}

void TestQuerySql::events()
{
    QFETCH(QString, query);
    QFETCH(int, limit);
    QFETCH(Names, expected);
    QCOMPARE(eventIds(query, limit), expected);
}

void TestQuerySql::hostileInputLeavesTheDatabaseAlone()
{
    for (const QString &text :
        { QStringLiteral("'; DROP TABLE issues; --"), QStringLiteral("release:'); DELETE FROM events; --"),
            QStringLiteral("tag:x=' OR 1=1 --"), QStringLiteral("\" OR \"\" = \""), QStringLiteral("a OR b NOT c AND"),
            QStringLiteral("NEAR(\"a\" \"b\", 3)"), QStringLiteral("{title}: x"), QStringLiteral("\\") }) {
        const auto query = parseQuery(text);
        if (!query.ok())
            continue; // refused by the parser is fine too
        QString error;
        m_store->issues().list(IssueListRequest { query.value(), IssueSort::Count, 0, 0, kNow }, &error);
        QVERIFY2(error.isEmpty(), qPrintable(text + QStringLiteral(" → ") + error));
        m_store->events().search(query.value(), 0, 0, kNow, false, &error);
        QVERIFY2(error.isEmpty(), qPrintable(text + QStringLiteral(" → ") + error));
    }
    QCOMPARE(m_backend.scalar(m_path, QStringLiteral("SELECT count(*) FROM issues")), 5);
    QCOMPARE(m_backend.scalar(m_path, QStringLiteral("SELECT count(*) FROM events")), 6);
    // Injected OR 1=1 must not widen a tag match.
    QCOMPARE(issueFingerprints(QStringLiteral("tag:x=' OR 1=1 --")), Names {});
}

void TestQuerySql::ftsQuoting()
{
    QCOMPARE(ftsString(QStringLiteral("NEAR"), false), QStringLiteral("\"NEAR\"*"));
    QCOMPARE(ftsString(QStringLiteral("a\"b"), true), QStringLiteral("\"a\"\"b\""));
    QCOMPARE(ftsString(QStringLiteral("*"), false), QString());
    QCOMPARE(ftsString(QStringLiteral("%;"), true), QString());
}

void TestQuerySql::likeEscaping()
{
    QCOMPARE(likeContains(QStringLiteral("50%_\\x")), QStringLiteral("%50\\%\\_\\\\x%"));
}

// PostgreSQL's form of the same search (#18), which the @postgres run of this test and
// tst_pg_query_parity run.
void TestQuerySql::postgresDialect()
{
    // Tokens split where the search column splits them; the last a prefix unless quoted; tsquery
    // syntax (& | ! : * ( ) quotes) in the text is a separator, never an operator.
    QCOMPARE(pgTsQuery(QStringLiteral("py_client.py"), false), QStringLiteral("'py' <-> 'client' <-> 'py':*"));
    QCOMPARE(pgTsQuery(QStringLiteral("division by zero"), true), QStringLiteral("'division' <-> 'by' <-> 'zero'"));
    QCOMPARE(pgTsQuery(QStringLiteral("a'|!b:*"), false), QStringLiteral("'a' <-> 'b':*"));
    QCOMPARE(pgTsQuery(QStringLiteral("Überweisung"), false), QStringLiteral("'Überweisung':*"));
    QCOMPARE(pgTsQuery(QStringLiteral("%;*"), false), QString());
    // An issue's words keep nothing from a word's first digit on, and the pairs of adjacent words
    // (migration 22).
    QCOMPARE(pgIssueWordsQuery(QStringLiteral("customer failed"), false),
        QStringLiteral("'customer' & 'failed':* & 'customer0failed':*"));
    QCOMPARE(pgIssueWordsQuery(QStringLiteral("division by zero"), true),
        QStringLiteral("'division' & 'by' & 'division0by' & 'zero' & 'by0zero'"));
    QCOMPARE(pgIssueWordsQuery(QStringLiteral("order12 failed"), true),
        QStringLiteral("'order':* & 'failed' & 'order0failed'"));
    QCOMPARE(pgIssueWordsQuery(QStringLiteral("order12345 404 x"), true), QStringLiteral("'order':* & 'x'"));
    QCOMPARE(pgIssueWordsQuery(QStringLiteral("Überweisung"), false), QStringLiteral("'Überweisung':*"));
    QCOMPARE(pgIssueWordsQuery(QStringLiteral("404 2fa"), false), QString()); // the events alone answer
    QCOMPARE(pgIssueWordsQuery(QStringLiteral("e\u0301t\u00e9 ok"), false), QString()); // a combining mark
    QCOMPARE(pgIssueWordsQuery(QStringLiteral("\u0661\u0662 ok"), false), QString()); // Arabic-Indic digits

    QCOMPARE(pgPlaceholders(QStringLiteral("a = ? AND b LIKE ? ESCAPE '\\' AND c IN (?, ?) AND d = '?'"), 3),
        QStringLiteral("a = $3 AND b LIKE $4 ESCAPE '\\' AND c IN ($5, $6) AND d = '?'"));

    const auto query = parseQuery(QStringLiteral("project:Api divis level:<debug"));
    QVERIFY(query.ok());
    const SqlFilter issues = issueFilterSql(query.value(), 0, SqlDialect::Postgres);
    QVERIFY2(issues.where.contains(QLatin1String("lower(name) = lower(?)")), qPrintable(issues.where));
    QVERIFY(issues.where.contains(QLatin1String("t.title ILIKE ? ESCAPE")));
    QVERIFY(issues.where.contains(QLatin1String("ts_match_vq(f.search, to_tsquery('simple', search_fold(?)))")));
    QVERIFY(issues.where.contains(QLatin1String("issues_with_words(to_tsquery('simple', search_fold(?)))")));
    QVERIFY(!issues.where.contains(QLatin1String("%1"))); // the words query went in
    QCOMPARE(issues.values.size(), qsizetype(issues.where.count(u'?'))); // the one project's name, then the text
    QVERIFY(issues.where.contains(QLatin1String("(FALSE)"))); // no level is below debug
    QVERIFY(!issues.where.contains(QLatin1String("INDEXED BY")));
    QCOMPARE(issues.values.last(), QVariant(QStringLiteral("'divis':*")));
    QCOMPARE(issueFilterSql(Query {}, 0, SqlDialect::Postgres).where, QStringLiteral("TRUE"));
    QCOMPARE(issueFilterSql(Query {}, 0).where, QStringLiteral("1"));
}

QTEST_GUILESS_MAIN(TestQuerySql)
#include "tst_query_sql.moc"
