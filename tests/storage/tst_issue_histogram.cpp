// Bucketing an issue's events over time (one issue and a page of issues in
// one query), the ranges the UI asks for, and the releases/environments seen.
#include "storage_test_helpers.h"

#include "storage/issue_histogram.h"

using namespace faultline;
using namespace faultline::test;

namespace {
constexpr qint64 kHour = HistogramRange::kHourMs;
constexpr qint64 kDay = HistogramRange::kDayMs;
// 2023-11-14 22:00:00 UTC, on an hour boundary; "now" is 30 minutes later.
constexpr qint64 kBase = 1'699'999'200'000;
constexpr qint64 kNow = kBase + 30 * 60'000;
} // namespace

class TestIssueHistogram : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void rangesEndAtNow();
    void hourlyBucketsOfOneIssue();
    void manyIssuesInOneQuery();
    void dailyBucketsAndOutOfRange();
    void releasesAndEnvironments();

private:
    QTemporaryDir m_dir;
    std::unique_ptr<Database> m_db;
    qint64 m_busy = 0; // events this hour ×3, 2 h ago ×2, 5 days ago ×1, 40 days ago ×1
    qint64 m_quiet = 0; // one event 23 h ago
    qint64 m_idle = 0; // none in range (one 3 days before the first bucket of 30)
};

void TestIssueHistogram::initTestCase()
{
    const QString path = m_dir.filePath(QStringLiteral("h.db"));
    m_db = openOrFail(path);
    QVERIFY(m_db);
    QList<IncomingEvent> events;
    auto add
        = [&events](const QString &fingerprint, qint64 receivedMs, const QString &release, const QString &environment) {
              events.append(makeEvent(QStringLiteral("e%1").arg(events.size()), fingerprint, fingerprint, receivedMs, 1,
                  [&](QJsonObject &json) {
                      json.insert(QStringLiteral("release"), release);
                      json.insert(QStringLiteral("environment"), environment);
                  }));
          };
    add(QStringLiteral("busy"), kBase + 1'000, QStringLiteral("shop@1.2"), QStringLiteral("production"));
    add(QStringLiteral("busy"), kBase + 2'000, QStringLiteral("shop@1.2"), QStringLiteral("production"));
    add(QStringLiteral("busy"), kBase + 29 * 60'000, QStringLiteral("shop@1.3"), QStringLiteral("staging"));
    add(QStringLiteral("busy"), kBase - 2 * kHour + 5, QStringLiteral("shop@1.1"), QStringLiteral("production"));
    add(QStringLiteral("busy"), kBase - 2 * kHour + 10, QString(), QStringLiteral("production"));
    add(QStringLiteral("busy"), kBase - 5 * kDay, QStringLiteral("shop@1.0"), QString());
    add(QStringLiteral("busy"), kBase - 40 * kDay, QStringLiteral("shop@0.9"), QString());
    add(QStringLiteral("quiet"), kBase - 23 * kHour, QString(), QString());
    add(QStringLiteral("idle"), kBase - 33 * kDay, QString(), QString());
    const auto outcomes = writeAll(path, events);
    QCOMPARE(outcomes.size(), events.size());
    for (const WriteOutcome &outcome : outcomes)
        QVERIFY(outcome.committed);
    m_busy = outcomes.first().issueId;
    m_quiet = outcomes.at(7).issueId;
    m_idle = outcomes.at(8).issueId;
    QVERIFY(m_busy != m_quiet && m_quiet != m_idle);
}

void TestIssueHistogram::rangesEndAtNow()
{
    const HistogramRange hours = HistogramRange::lastHours(kNow);
    QCOMPARE(hours.buckets, 24);
    QCOMPARE(hours.bucketMs, kHour);
    QCOMPARE(hours.startMs, kBase - 23 * kHour);
    QVERIFY(hours.endMs() > kNow && hours.endMs() - kNow <= kHour); // the current hour is the last bucket

    const HistogramRange days = HistogramRange::lastDays(kNow);
    QCOMPARE(days.buckets, 30);
    QCOMPARE(days.startMs % kDay, 0);
    QVERIFY(days.endMs() > kNow && days.endMs() - kNow <= kDay);

    QCOMPARE(HistogramRange::forIssue(kNow - 3 * kHour, kNow), hours);
    QCOMPARE(HistogramRange::forIssue(kNow - 2 * kDay, kNow), days);
}

void TestIssueHistogram::hourlyBucketsOfOneIssue()
{
    const IssueHistogramQueries queries(*m_db);
    QString error;
    const Histogram histogram = queries.forIssue(m_busy, HistogramRange::lastHours(kNow), &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QList<qint64> expected(24, 0);
    expected[23] = 3;
    expected[21] = 2;
    QCOMPARE(histogram.counts, expected);
    QCOMPARE(histogram.total(), 5);
    QCOMPARE(histogram.peak(), 3);

    const Histogram quiet = queries.forIssue(m_quiet, HistogramRange::lastHours(kNow));
    QCOMPARE(quiet.total(), 1);
    QCOMPARE(quiet.counts.first(), 1); // 23 h before the current hour: the oldest bucket
}

void TestIssueHistogram::manyIssuesInOneQuery()
{
    const IssueHistogramQueries queries(*m_db);
    const HistogramRange range = HistogramRange::lastHours(kNow);
    QString error;
    const auto all = queries.forIssues({ m_busy, m_quiet, m_idle, 999'999 }, range, &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QCOMPARE(all.size(), 4);
    QCOMPARE(all.value(m_busy), queries.forIssue(m_busy, range).counts);
    QCOMPARE(all.value(m_quiet), queries.forIssue(m_quiet, range).counts);
    QCOMPARE(all.value(m_idle), QList<qint64>(24, 0));
    QCOMPARE(all.value(999'999), QList<qint64>(24, 0)); // unknown ids get zeros, not a missing entry
    QVERIFY(queries.forIssues({}, range).isEmpty());
}

void TestIssueHistogram::dailyBucketsAndOutOfRange()
{
    const IssueHistogramQueries queries(*m_db);
    const HistogramRange range = HistogramRange::lastDays(kNow);
    const Histogram histogram = queries.forIssue(m_busy, range);
    QCOMPARE(histogram.counts.size(), 30);
    QCOMPARE(histogram.total(), 6); // the event 40 days ago is outside the range
    QCOMPARE(histogram.counts.last(), 5); // today (UTC): this hour and two hours ago
    QCOMPARE(histogram.counts.at(24), 1); // five days ago
    QCOMPARE(queries.forIssue(m_idle, range).total(), 0);
}

void TestIssueHistogram::releasesAndEnvironments()
{
    const IssueHistogramQueries queries(*m_db);
    QString error;
    const IssueFacets facets = queries.facets(m_busy, 20, &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QStringList releases;
    for (const FacetValue &release : facets.releases)
        releases.append(release.value);
    QCOMPARE(releases,
        (QStringList { QStringLiteral("shop@1.3"), QStringLiteral("shop@1.2"), QStringLiteral("shop@1.1"),
            QStringLiteral("shop@1.0"), QStringLiteral("shop@0.9") })); // newest first, empty left out
    QCOMPARE(facets.releases.at(1).events, 2);
    QCOMPARE(facets.releases.first().lastSeenMs, kBase + 29 * 60'000);
    QCOMPARE(facets.environments.size(), 2);
    QCOMPARE(facets.environments.at(0).value, QStringLiteral("staging"));
    QCOMPARE(facets.environments.at(1).value, QStringLiteral("production"));
    QCOMPARE(facets.environments.at(1).events, 4);
    QCOMPARE(queries.facets(m_busy, 2).releases.size(), 2);
    QVERIFY(queries.facets(m_quiet).releases.isEmpty());
}

QTEST_MAIN(TestIssueHistogram)
#include "tst_issue_histogram.moc"
