// Bucketing an issue's events over time (one issue and a page of issues in
// one query), the ranges the UI asks for, and the releases/environments seen.
// The buckets through the backend-neutral readers, on both backends (test_backend.h).
#include "storage_test_helpers.h"
#include "test_backend.h"

#include "storage/issue_histogram.h"
#include "storage/sqlite_backend.h"
#include "storage/store_readers.h"

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
    Histogram histogram(qint64 issueId, const HistogramRange &range);

    TestBackend m_backend;
    std::unique_ptr<StorageBackend> m_store;
    qint64 m_busy = 0; // events this hour ×3, 2 h ago ×2, 5 days ago ×1, 40 days ago ×1
    qint64 m_quiet = 0; // one event 23 h ago
    qint64 m_idle = 0; // none in range (one 3 days before the first bucket of 30)
};

void TestIssueHistogram::initTestCase()
{
    QVERIFY2(m_backend.start(), qPrintable(m_backend.error()));
    const QString path = m_backend.freshDatabase(QStringLiteral("histogram"));
    QVERIFY2(!path.isEmpty(), qPrintable(m_backend.error()));
    m_store = m_backend.open(path);
    QVERIFY(m_store);
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

Histogram TestIssueHistogram::histogram(qint64 issueId, const HistogramRange &range)
{
    QString error;
    const Histogram read = m_store->events().histogram(issueId, range, &error);
    if (!error.isEmpty())
        qWarning() << error;
    return read;
}

void TestIssueHistogram::hourlyBucketsOfOneIssue()
{
    const Histogram histogram = this->histogram(m_busy, HistogramRange::lastHours(kNow));
    QList<qint64> expected(24, 0);
    expected[23] = 3;
    expected[21] = 2;
    QCOMPARE(histogram.counts, expected);
    QCOMPARE(histogram.total(), 5);
    QCOMPARE(histogram.peak(), 3);

    const Histogram quiet = this->histogram(m_quiet, HistogramRange::lastHours(kNow));
    QCOMPARE(quiet.total(), 1);
    QCOMPARE(quiet.counts.first(), 1); // 23 h before the current hour: the oldest bucket
}

void TestIssueHistogram::manyIssuesInOneQuery()
{
    const IssueReader &issues = m_store->issues();
    const HistogramRange range = HistogramRange::lastHours(kNow);
    QString error;
    const auto all = issues.trends({ m_busy, m_quiet, m_idle, 999'999 }, range, &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QCOMPARE(all.size(), 4);
    QCOMPARE(all.value(m_busy), histogram(m_busy, range).counts);
    QCOMPARE(all.value(m_quiet), histogram(m_quiet, range).counts);
    QCOMPARE(all.value(m_idle), QList<qint64>(24, 0));
    QCOMPARE(all.value(999'999), QList<qint64>(24, 0)); // unknown ids get zeros, not a missing entry
    QVERIFY(issues.trends({}, range, &error).isEmpty());
}

void TestIssueHistogram::dailyBucketsAndOutOfRange()
{
    const HistogramRange range = HistogramRange::lastDays(kNow);
    const Histogram histogram = this->histogram(m_busy, range);
    QCOMPARE(histogram.counts.size(), 30);
    QCOMPARE(histogram.total(), 6); // the event 40 days ago is outside the range
    QCOMPARE(histogram.counts.last(), 5); // today (UTC): this hour and two hours ago
    QCOMPARE(histogram.counts.at(24), 1); // five days ago
    QCOMPARE(this->histogram(m_idle, range).total(), 0);
}

void TestIssueHistogram::releasesAndEnvironments()
{
    if (m_backend.isPostgres())
        QSKIP("IssueHistogramQueries::facets is SQLite's alone; on both backends the summary "
              "(tst_issue_summary) reads an issue's releases and environments");
    const IssueHistogramQueries queries(static_cast<SqliteBackend &>(*m_store).database());
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
