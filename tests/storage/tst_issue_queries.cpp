// Listing, sorting and paging issues; "event N of M"; triage status changes.
// Through the backend-neutral readers, on both backends (test_backend.h).
#include "storage_test_helpers.h"
#include "test_backend.h"

#include "model/query/query_parser.h"
#include "storage/project_store.h"
#include "storage/store_readers.h"

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
    void byIdTellsAbsentFromUnreadable();

private:
    int setStatus(const QList<qint64> &ids, IssueStatus status);
    qint64 count(const QString &query);
    QList<IssueRow> list(const IssueListRequest &request);

    TestBackend m_backend;
    std::unique_ptr<StorageBackend> m_store;
    QList<qint64> m_issueIds; // issue i: i+1 events, first seen at base+i minutes
};

void TestIssueQueries::initTestCase()
{
    QVERIFY2(m_backend.start(), qPrintable(m_backend.error()));
    const QString path = m_backend.freshDatabase(QStringLiteral("issues"));
    QVERIFY2(!path.isEmpty(), qPrintable(m_backend.error()));
    m_store = m_backend.open(path);
    QVERIFY(m_store);
    const qint64 shop = m_store->projects().add(QStringLiteral("shop"))->id;
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

int TestIssueQueries::setStatus(const QList<qint64> &ids, IssueStatus status)
{
    QString error;
    const int changed = m_store->statuses().apply(ids, StatusChange { status, {}, 0, 0 }, 0, nullptr, &error);
    if (changed < 0)
        qWarning() << error;
    return changed;
}

qint64 TestIssueQueries::count(const QString &query)
{
    QString error;
    const qint64 n = m_store->issues().count(parseQuery(query).value(), 0, &error);
    if (!error.isEmpty())
        qWarning() << error;
    return n;
}

QList<IssueRow> TestIssueQueries::list(const IssueListRequest &request)
{
    QString error;
    const QList<IssueRow> rows = m_store->issues().list(request, &error);
    if (!error.isEmpty())
        qWarning() << error;
    return rows;
}

void TestIssueQueries::byIdTellsAbsentFromUnreadable()
{
    const IssueReader &issues = m_store->issues();
    QCOMPARE(issues.byId(m_issueIds.first())->id, m_issueIds.first());
    const StorageResult<IssueRow> absent = issues.byId(987'654);
    QCOMPARE(absent.error().kind, StorageError::Kind::NotFound);
    QCOMPARE(issueReadFailure(absent.error(), 987'654), QStringLiteral("no issue 987654"));

    // A read that cannot run is not "no such issue": here the table is not where it should be.
    QTemporaryDir dir;
    auto broken = openOrFail(dir.filePath(QStringLiteral("broken.db")));
    QVERIFY(broken);
    QString error;
    QVERIFY2(execSql(broken->handle(), "ALTER TABLE issues RENAME TO issues_elsewhere", &error), qPrintable(error));
    const StorageResult<IssueRow> unreadable = IssueQueries(*broken).byId(1);
    QVERIFY(!unreadable);
    QVERIFY(unreadable.error().kind != StorageError::Kind::NotFound);
    const QString said = issueReadFailure(unreadable.error(), 1);
    QVERIFY2(said.startsWith(QLatin1String("reading issue 1 failed: ")) && said.contains(QLatin1String("issues")),
        qPrintable(said));
}

void TestIssueQueries::pagesCoverEveryIssueOnce()
{
    QSet<qint64> seen;
    QList<int> sizes;
    for (int offset = 0; offset < 30; offset += 10) {
        IssueListRequest request;
        request.limit = 10;
        request.offset = offset;
        const auto page = list(request);
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
    QCOMPARE(list(all).size(), 25);
}

void TestIssueQueries::sortOrders()
{
    IssueListRequest request;
    request.limit = 0;
    for (IssueSort sort : { IssueSort::LastSeen, IssueSort::FirstSeen, IssueSort::Count }) {
        request.sort = sort;
        const auto rows = list(request);
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
    QCOMPARE(list(request).first().id, m_issueIds.last());
    request.sort = IssueSort::Count;
    const auto top = list(request).first();
    QCOMPARE(top.count, 7); // 1 + 6 repeats
    QCOMPARE(
        top.title, QStringLiteral("Issue %1").arg(top.id == m_issueIds[5] ? 5 : (top.id == m_issueIds[12] ? 12 : 19)));
}

void TestIssueQueries::countMatchesTheFilter()
{
    QCOMPARE(count(QString()), 25);
    QCOMPARE(count(QStringLiteral("project:shop")), 5);
    QCOMPARE(count(QStringLiteral("\"Issue 7\"")), 1);
    IssueListRequest request;
    request.query = parseQuery(QStringLiteral("project:shop")).value();
    request.limit = 2;
    request.offset = 4;
    QCOMPARE(list(request).size(), 1);
}

void TestIssueQueries::eventsOfAnIssueNewestFirst()
{
    const EventReader &events = m_store->events();
    QString error;
    const qint64 issue = m_issueIds[5]; // 1 + 6 events
    QCOMPARE(events.countForIssue(issue, &error), 7);
    const auto firstPage = events.forIssue(issue, 3, 0, true, &error);
    QCOMPARE(firstPage.size(), 3);
    QCOMPARE(testEventName(firstPage[0].eventId), QStringLiteral("again-5-5"));
    QCOMPARE(testEventName(firstPage[1].eventId), QStringLiteral("again-5-4"));
    QVERIFY(!firstPage[0].rawJson.isEmpty());
    const auto last = events.forIssue(issue, 1, 6, true, &error);
    QCOMPARE(last.size(), 1);
    QCOMPARE(testEventName(last[0].eventId), QStringLiteral("first-5")); // event 7 of 7
    QVERIFY(events.forIssue(issue, 1, 7, true, &error).isEmpty());
    QCOMPARE(events.forIssue(issue, 0, 0, false, &error).size(), 7);
    QVERIFY(events.forIssue(issue, 0, 0, false, &error)[0].rawJson.isEmpty());
    QVERIFY2(error.isEmpty(), qPrintable(error));
}

void TestIssueQueries::setStatusOnSeveralIssues()
{
    QCOMPARE(setStatus({ m_issueIds[20], m_issueIds[21], m_issueIds[22] }, IssueStatus::Ignored), 3);
    QCOMPARE(setStatus({ m_issueIds[20], m_issueIds[21] }, IssueStatus::Ignored), 0); // already so
    QCOMPARE(count(QStringLiteral("is:ignored")), 3);
    QCOMPARE(setStatus({ m_issueIds[22], 999999 }, IssueStatus::Resolved), 1);
    QCOMPARE(m_store->issues().byId(m_issueIds[22])->status, QStringLiteral("resolved"));
    QCOMPARE(setStatus({ m_issueIds[20], m_issueIds[21], m_issueIds[22] }, IssueStatus::Unresolved), 3);
    QCOMPARE(count(QStringLiteral("is:unresolved")), 25);
}

void TestIssueQueries::unresolvedCountsPerProject()
{
    QCOMPARE(setStatus({ m_issueIds[0] }, IssueStatus::Resolved), 1);
    QString error;
    const auto counts = m_store->issues().unresolvedCountsByProject(0, &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QCOMPARE(counts.value(1), 20);
    QCOMPARE(counts.value(2), 4);
    QVERIFY(!counts.contains(3));
    QCOMPARE(setStatus({ m_issueIds[0] }, IssueStatus::Unresolved), 1);
}

QTEST_GUILESS_MAIN(TestIssueQueries)
#include "tst_issue_queries.moc"
