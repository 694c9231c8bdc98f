// Listing, sorting and paging issues; "event N of M"; triage status changes.
#include "storage_test_helpers.h"

#include "model/query/query_parser.h"
#include "storage/event_queries.h"
#include "storage/issue_queries.h"
#include "storage/project_store.h"

#include <QSet>

using namespace faultline;
using namespace faultline::test;

class TestIssueQueries : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void pagesCoverEveryIssueOnce();
    void sortOrders();
    void countMatchesTheFilter();
    void eventsOfAnIssueNewestFirst();
    void setStatusOnSeveralIssues();
    void unresolvedCountsPerProject();

private:
    QTemporaryDir m_dir;
    std::unique_ptr<Database> m_db;
    QList<qint64> m_issueIds; // issue i: i+1 events, first seen at base+i minutes
};

void TestIssueQueries::initTestCase()
{
    const QString path = m_dir.filePath(QStringLiteral("i.db"));
    m_db = openOrFail(path);
    QVERIFY(m_db);
    const qint64 shop = ProjectStore(*m_db).add(QStringLiteral("shop"))->id;
    const qint64 base = 1'700'000'000'000;
    QList<IncomingEvent> events;
    for (int i = 0; i < 25; ++i) {
        // Issue i is first seen at minute i, and seen again (25 - i) % 7 times later.
        events.append(makeEvent(QStringLiteral("first-%1").arg(i), QStringLiteral("fp%1").arg(i),
            QStringLiteral("Issue %1").arg(i), base + i * 60'000, i < 5 ? shop : 1));
    }
    for (int i = 0; i < 25; ++i)
        for (int k = 0; k < (25 - i) % 7; ++k)
            events.append(makeEvent(QStringLiteral("again-%1-%2").arg(i).arg(k), QStringLiteral("fp%1").arg(i),
                QStringLiteral("Issue %1").arg(i), base + 3'600'000 + i * 1000 + k, i < 5 ? shop : 1));
    const auto outcomes = writeAll(path, events);
    QCOMPARE(outcomes.size(), events.size());
    for (int i = 0; i < 25; ++i) {
        QVERIFY(outcomes[i].committed);
        m_issueIds.append(outcomes[i].issueId);
    }
}

void TestIssueQueries::pagesCoverEveryIssueOnce()
{
    IssueQueries issues(*m_db);
    QSet<qint64> seen;
    QList<int> sizes;
    for (int offset = 0; offset < 30; offset += 10) {
        IssueListRequest request;
        request.limit = 10;
        request.offset = offset;
        const auto page = issues.list(request);
        sizes.append(int(page.size()));
        for (const auto &row : page) {
            QVERIFY2(!seen.contains(row.id), "pages overlap");
            seen.insert(row.id);
        }
    }
    QCOMPARE(sizes, (QList<int> { 10, 10, 5 }));
    QCOMPARE(seen.size(), 25);
    IssueListRequest all;
    all.limit = 0;
    QCOMPARE(issues.list(all).size(), 25);
}

void TestIssueQueries::sortOrders()
{
    IssueQueries issues(*m_db);
    IssueListRequest request;
    request.limit = 0;
    for (IssueSort sort : { IssueSort::LastSeen, IssueSort::FirstSeen, IssueSort::Count }) {
        request.sort = sort;
        const auto rows = issues.list(request);
        QCOMPARE(rows.size(), 25);
        for (int i = 1; i < rows.size(); ++i) {
            const auto &a = rows[i - 1];
            const auto &b = rows[i];
            switch (sort) {
            case IssueSort::LastSeen:
                QVERIFY(a.lastSeenMs >= b.lastSeenMs);
                break;
            case IssueSort::FirstSeen:
                QVERIFY(a.firstSeenMs >= b.firstSeenMs);
                break;
            case IssueSort::Count:
                QVERIFY(a.count >= b.count);
                break;
            }
        }
    }
    request.sort = IssueSort::FirstSeen;
    QCOMPARE(issues.list(request).first().id, m_issueIds.last());
    request.sort = IssueSort::Count;
    const auto top = issues.list(request).first();
    QCOMPARE(top.count, 7); // 1 + 6 repeats
    QCOMPARE(
        top.title, QStringLiteral("Issue %1").arg(top.id == m_issueIds[5] ? 5 : (top.id == m_issueIds[12] ? 12 : 19)));
}

void TestIssueQueries::countMatchesTheFilter()
{
    IssueQueries issues(*m_db);
    QCOMPARE(issues.count(Query {}), 25);
    QCOMPARE(issues.count(parseQuery(QStringLiteral("project:shop")).value()), 5);
    QCOMPARE(issues.count(parseQuery(QStringLiteral("\"Issue 7\"")).value()), 1);
    IssueListRequest request;
    request.query = parseQuery(QStringLiteral("project:shop")).value();
    request.limit = 2;
    request.offset = 4;
    QCOMPARE(issues.list(request).size(), 1);
}

void TestIssueQueries::eventsOfAnIssueNewestFirst()
{
    EventQueries events(*m_db);
    const qint64 issue = m_issueIds[5]; // 1 + 6 events
    QCOMPARE(events.countForIssue(issue), 7);
    const auto firstPage = events.forIssue(issue, 3, 0);
    QCOMPARE(firstPage.size(), 3);
    QCOMPARE(testEventName(firstPage[0].eventId), QStringLiteral("again-5-5"));
    QCOMPARE(testEventName(firstPage[1].eventId), QStringLiteral("again-5-4"));
    QVERIFY(!firstPage[0].rawJson.isEmpty());
    const auto last = events.forIssue(issue, 1, 6);
    QCOMPARE(last.size(), 1);
    QCOMPARE(testEventName(last[0].eventId), QStringLiteral("first-5")); // event 7 of 7
    QVERIFY(events.forIssue(issue, 1, 7).isEmpty());
    QCOMPARE(events.forIssue(issue, 0, 0, false).size(), 7);
    QVERIFY(events.forIssue(issue, 0, 0, false)[0].rawJson.isEmpty());
}

void TestIssueQueries::setStatusOnSeveralIssues()
{
    IssueQueries issues(*m_db);
    QCOMPARE(issues.setStatus({ m_issueIds[20], m_issueIds[21], m_issueIds[22] }, IssueStatus::Ignored), 3);
    QCOMPARE(issues.setStatus({ m_issueIds[20], m_issueIds[21] }, IssueStatus::Ignored), 0); // already so
    QCOMPARE(issues.count(parseQuery(QStringLiteral("is:ignored")).value()), 3);
    QCOMPARE(issues.setStatus({ m_issueIds[22], 999999 }, IssueStatus::Resolved), 1);
    QCOMPARE(issues.byId(m_issueIds[22])->status, QStringLiteral("resolved"));
    QCOMPARE(issues.setStatus({ m_issueIds[20], m_issueIds[21], m_issueIds[22] }, IssueStatus::Unresolved), 3);
    QCOMPARE(issues.count(parseQuery(QStringLiteral("is:unresolved")).value()), 25);
}

void TestIssueQueries::unresolvedCountsPerProject()
{
    IssueQueries issues(*m_db);
    QCOMPARE(issues.setStatus({ m_issueIds[0] }, IssueStatus::Resolved), 1);
    const auto counts = issues.unresolvedCountsByProject();
    QCOMPARE(counts.value(1), 20);
    QCOMPARE(counts.value(2), 4);
    QVERIFY(!counts.contains(3));
    QCOMPARE(issues.setStatus({ m_issueIds[0] }, IssueStatus::Unresolved), 1);
}

QTEST_GUILESS_MAIN(TestIssueQueries)
#include "tst_issue_queries.moc"
