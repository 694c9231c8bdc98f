// An issue's summary (tag distribution, users, events per release, first and
// last release) from the writer's counters, checked against counts worked out
// by hand for real SDK events (Python, Node, Django) grouped into one issue
// and written in two batches; and the searches that find them (user:, browser:…).
// Through the backend-neutral readers, on both backends (test_backend.h).
#include "storage_test_helpers.h"
#include "test_backend.h"

#include "support/fixture_events.h"

#include "model/event_parser.h"
#include "model/query/query_parser.h"
#include "storage/store_readers.h"

#include <QJsonDocument>

using namespace faultline;
using namespace faultline::test;

namespace {

constexpr qint64 kStart = 1'700'000'000'000;
const char *const kChromeAgent
    = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36";

// A fixture's event with a few fields replaced, prepared as the collector prepares it,
// every one in the same issue.
IncomingEvent fixtureIncoming(
    const QString &fixture, int n, const QString &release, const QString &environment, const QJsonObject &user = {})
{
    QJsonObject json = fixtureEventJson(fixture);
    json.insert(QStringLiteral("event_id"), QStringLiteral("%1").arg(n + 1, 32, 16, QLatin1Char('0')));
    json.insert(QStringLiteral("release"), release);
    json.insert(QStringLiteral("environment"), environment);
    if (!user.isEmpty())
        json.insert(QStringLiteral("user"), user);
    if (fixture == u"django_request_store") { // as a browser would have called the view
        QJsonObject request = json.value(QStringLiteral("request")).toObject();
        request.insert(QStringLiteral("headers"),
            QJsonObject { { QStringLiteral("User-Agent"), QString::fromLatin1(kChromeAgent) } });
        json.insert(QStringLiteral("request"), request);
    }
    IncomingEvent incoming = preparedEvent(json, kStart + n * 60'000);
    incoming.issue.fingerprint = QStringLiteral("one-issue");
    return incoming;
}

QStringList values(const TagDistribution *tag)
{
    QStringList list;
    if (tag)
        for (const TagValueCount &value : tag->top)
            list.append(QStringLiteral("%1=%2").arg(value.value).arg(value.events));
    return list;
}

} // namespace

class TestIssueSummary : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void countsMatchTheHandCount();
    void usersAndReleases();
    void briefsForTheIssueList();
    void searchByUserAndDerivedTags_data();
    void searchByUserAndDerivedTags();

private:
    IssueSummary summary(int topValues);

    TestBackend m_backend;
    QString m_path;
    std::unique_ptr<StorageBackend> m_store;
    qint64 m_issue = 0;
};

void TestIssueSummary::initTestCase()
{
    QVERIFY2(m_backend.start(), qPrintable(m_backend.error()));
    m_path = m_backend.freshDatabase(QStringLiteral("summary"));
    QVERIFY2(!m_path.isEmpty(), qPrintable(m_backend.error()));
    m_store = m_backend.open(m_path);
    QVERIFY(m_store);
    const QJsonObject bob { { QStringLiteral("id"), QStringLiteral("7") },
        { QStringLiteral("email"), QStringLiteral("bob@example.com") } };
    QList<IncomingEvent> first;
    QList<IncomingEvent> second;
    int n = 0;
    // Python (jane u-1, pyhost, CPython 3.11.2, tags feature/tenant): 4 in 1.0 production.
    for (int i = 0; i < 4; ++i, ++n)
        first.append(fixtureIncoming(
            QStringLiteral("python_rich_event_store"), n, QStringLiteral("1.0"), QStringLiteral("production")));
    // The same from bob: 1 in the first batch, 2 in the second, all 1.1 production.
    first.append(fixtureIncoming(
        QStringLiteral("python_rich_event_store"), n++, QStringLiteral("1.1"), QStringLiteral("production"), bob));
    for (int i = 0; i < 2; ++i, ++n)
        second.append(fixtureIncoming(
            QStringLiteral("python_rich_event_store"), n, QStringLiteral("1.1"), QStringLiteral("production"), bob));
    // Node (n-1, host vm, node v20.20.2, Debian 12.11, component=worker): 2 in 1.1 staging.
    for (int i = 0; i < 2; ++i, ++n)
        second.append(fixtureIncoming(
            QStringLiteral("node_exception_envelope"), n, QStringLiteral("1.1"), QStringLiteral("staging")));
    // Django (ip 10.1.2.3 only, host vm, CPython, Chrome from the User-Agent): 1 in 1.2 staging, last.
    second.append(
        fixtureIncoming(QStringLiteral("django_request_store"), n++, QStringLiteral("1.2"), QStringLiteral("staging")));
    for (const auto &batch : { first, second }) {
        const QList<WriteOutcome> outcomes = writeAll(m_path, batch);
        QCOMPARE(outcomes.size(), batch.size());
        for (const WriteOutcome &outcome : outcomes) {
            QVERIFY(outcome.committed);
            QVERIFY(m_issue == 0 || m_issue == outcome.issueId);
            m_issue = outcome.issueId;
        }
    }
    // A retried send is not counted twice.
    QCOMPARE(writeAll(m_path, { second.last() }).value(0).committed, true);
}

IssueSummary TestIssueSummary::summary(int topValues)
{
    QString error;
    const IssueSummary read = m_store->issues().summary(m_issue, topValues, &error);
    if (!error.isEmpty())
        qWarning() << error;
    return read;
}

void TestIssueSummary::countsMatchTheHandCount()
{
    const IssueSummary summary = this->summary(10);
    QCOMPARE(values(summary.tag(QStringLiteral("release"))), QStringList({ "1.1=5", "1.0=4", "1.2=1" }));
    QCOMPARE(values(summary.tag(QStringLiteral("environment"))), QStringList({ "production=7", "staging=3" }));
    QCOMPARE(values(summary.tag(QStringLiteral("user"))),
        QStringList({ "id:u-1=4", "id:7=3", "id:n-1=2", "ip:10.1.2.3=1" }));
    QCOMPARE(values(summary.tag(QStringLiteral("server_name"))), QStringList({ "pyhost=7", "vm=3" }));
    QCOMPARE(values(summary.tag(QStringLiteral("runtime"))), QStringList({ "CPython 3.11.2=8", "node v20.20.2=2" }));
    QCOMPARE(values(summary.tag(QStringLiteral("os"))), QStringList({ "Debian 12.11=2" }));
    QCOMPARE(values(summary.tag(QStringLiteral("browser"))), QStringList({ "Chrome 120=1" }));
    QCOMPARE(values(summary.tag(QStringLiteral("feature"))), QStringList({ "checkout=7" }));
    QCOMPARE(values(summary.tag(QStringLiteral("component"))), QStringList({ "worker=2" }));
    const TagDistribution *user = summary.tag(QStringLiteral("user"));
    QVERIFY(user && user->derived);
    QCOMPARE(user->events, 10);
    QCOMPARE(user->distinctValues, 4);
    QVERIFY(!summary.tag(QStringLiteral("user.email"))); // searched, not listed
    // The panel's order: release, environment, user, server_name, browser, os, runtime, then custom tags.
    QStringList keys;
    for (const TagDistribution &tag : summary.tags)
        keys.append(tag.key);
    QCOMPARE(
        keys.mid(0, 7), QStringList({ "release", "environment", "user", "server_name", "browser", "os", "runtime" }));
    QVERIFY(keys.indexOf(QStringLiteral("component")) > keys.indexOf(QStringLiteral("runtime")));

    // topValues cuts each key, distinct counts stay whole.
    const IssueSummary top1 = this->summary(1);
    QCOMPARE(values(top1.tag(QStringLiteral("user"))), QStringList({ "id:u-1=4" }));
    QCOMPARE(top1.tag(QStringLiteral("user"))->distinctValues, 4);
}

void TestIssueSummary::usersAndReleases()
{
    const IssueSummary summary = this->summary(10);
    QCOMPARE(summary.users, 4);
    QCOMPARE(summary.firstRelease, QStringLiteral("1.0"));
    QCOMPARE(summary.lastRelease, QStringLiteral("1.2"));
    QCOMPARE(summary.releases.size(), 3);
    QCOMPARE(summary.releases.at(0).value, QStringLiteral("1.0")); // oldest first seen first
    QCOMPARE(summary.releases.at(0).firstSeenMs, kStart);
    QCOMPARE(summary.releases.at(0).lastSeenMs, kStart + 3 * 60'000);
    QCOMPARE(summary.releases.at(1).value, QStringLiteral("1.1"));
    QCOMPARE(summary.releases.at(1).firstSeenMs, kStart + 4 * 60'000); // the first batch's bob
    QCOMPARE(summary.releases.at(1).lastSeenMs, kStart + 8 * 60'000); // the second batch's last node event
    QCOMPARE(summary.releases.at(2).events, 1);
}

void TestIssueSummary::briefsForTheIssueList()
{
    QString error;
    const QHash<qint64, IssueBrief> briefs = m_store->issues().briefs({ m_issue, 999 }, &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QCOMPARE(briefs.value(m_issue).users, 4);
    QCOMPARE(briefs.value(m_issue).firstRelease, QStringLiteral("1.0"));
    QCOMPARE(briefs.value(m_issue).lastRelease, QStringLiteral("1.2"));
    QCOMPARE(briefs.value(999).users, 0);
}

void TestIssueSummary::searchByUserAndDerivedTags_data()
{
    QTest::addColumn<QString>("query");
    QTest::addColumn<int>("events");
    QTest::newRow("any identity") << "user:10.1.2.3" << 1;
    QTest::newRow("email of a user whose tag is his id") << "user.email:bob@example.com" << 3;
    QTest::newRow("Sentry's user tag") << "user:id:u-1" << 4;
    QTest::newRow("ip_address spelling") << "user.ip_address:10.0.0.1" << 4;
    QTest::newRow("username") << "user.username:jane" << 4;
    QTest::newRow("no such user") << "user:nobody" << 0;
    QTest::newRow("browser from the User-Agent") << "browser:\"Chrome 120\"" << 1;
    QTest::newRow("runtime") << "runtime:\"node v20.20.2\"" << 2;
    QTest::newRow("server_name") << "server_name:pyhost" << 7;
    QTest::newRow("negated") << "!server_name:pyhost" << 3;
    QTest::newRow("ip of a user who has an id") << "user.ip:10.0.0.1" << 4;
    QTest::newRow("custom tag still") << "component:worker" << 2;
    QTest::newRow("has:user") << "has:user" << 10;
    QTest::newRow("like wildcards are literal") << "user:4_" << 0;
}

void TestIssueSummary::searchByUserAndDerivedTags()
{
    QFETCH(QString, query);
    QFETCH(int, events);
    const auto parsed = parseQuery(query);
    QVERIFY2(parsed.ok(), qPrintable(query));
    QString error;
    const QList<EventRow> rows = m_store->events().searchInIssue(m_issue, parsed.value(), 0, 0, 0, false, &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QCOMPARE(rows.size(), events);
    // The issue list finds the issue through its counters whenever one of its events matches.
    IssueListRequest request;
    request.query = parsed.value();
    const QList<IssueRow> issues = m_store->issues().list(request, &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    if (!query.startsWith(u'!'))
        QCOMPARE(issues.size(), events > 0 ? 1 : 0);
}

QTEST_GUILESS_MAIN(TestIssueSummary)
#include "tst_issue_summary.moc"
