// What the window's issue detail reads (#18), on both backends: the same
// fixture events written into SQLite and PostgreSQL, then, issue by issue
// (matched by fingerprint), the event count, "event N of M" (forIssue at each
// offset, newerInIssue back), the Events tab's search, the chart's histogram,
// each event's grouping key and pages, and the issue's summary must agree.
#include "parity_corpus.h"

#include "model/query/query_parser.h"
#include "storage/store_readers.h"
#include "support/example_pages.h"
#include "support/postgres_cluster.h"

#include <QTest>

using namespace faultline;
using namespace faultline::test;

namespace {

Attachment attachment(const QString &filename, const QString &contentType, const QByteArray &data)
{
    return IncomingEvent::prepareAttachment(
        Attachment { filename, contentType, QStringLiteral("event.attachment"), data }, 0);
}

// The corpus with pages: two on the first event (and a log that is no page), one on the last.
QList<IncomingEvent> corpusWithPages()
{
    QList<IncomingEvent> events = parityCorpus();
    events.first().attachments = { attachment(QStringLiteral("500.html"), QStringLiteral("text/html"),
                                       exampleServicePage(QStringLiteral("500.html"), QStringLiteral("first"))),
        attachment(QStringLiteral("server.log"), QStringLiteral("text/plain"), "a log, not a page"),
        attachment(QStringLiteral("retry.htm"), QString(),
            exampleServicePage(QStringLiteral("500.html"), QStringLiteral("retry"))) };
    events.last().attachments = { attachment(QStringLiteral("404.html"), QStringLiteral("text/html"),
        exampleServicePage(QStringLiteral("404.html"), QStringLiteral("last"))) };
    return events;
}

// An issue's events as both backends must list them: what a user can see of each.
QStringList eventLines(const QList<EventRow> &rows)
{
    QStringList lines;
    for (const EventRow &row : rows)
        lines.append(QStringLiteral("%1 %2 %3 %4 %5 %6 raw:%7")
                         .arg(row.eventId)
                         .arg(row.receivedMs)
                         .arg(row.level, row.release, row.environment, row.title)
                         .arg(QString::fromLatin1(row.rawJson.toBase64().left(64))));
    return lines;
}

QStringList summaryLines(const IssueSummary &summary)
{
    QStringList lines {
        QStringLiteral("users %1 first %2 last %3").arg(summary.users).arg(summary.firstRelease, summary.lastRelease)
    };
    for (const TagValueCount &release : summary.releases)
        lines.append(
            QStringLiteral("release %1 %2 %3").arg(release.value).arg(release.events).arg(release.firstSeenMs));
    for (const TagDistribution &tag : summary.tags) {
        QStringList top;
        for (const TagValueCount &value : tag.top)
            top.append(QStringLiteral("%1=%2").arg(value.value).arg(value.events));
        lines.append(QStringLiteral("tag %1 %2 %3: %4")
                         .arg(tag.key)
                         .arg(tag.events)
                         .arg(tag.distinctValues)
                         .arg(top.join(u' ')));
    }
    return lines;
}

QString pageLine(const EventPage &page)
{
    return QStringLiteral("%1 %2 %3 %4 %5 data:%6")
        .arg(page.filename, page.contentType)
        .arg(page.statusCode)
        .arg(page.size)
        .arg(page.sha256, QString::fromLatin1(page.data.toBase64()));
}

QString groupingLine(const std::optional<StoredGroupingKey> &key)
{
    if (!key)
        return QStringLiteral("none");
    return QStringLiteral("%1 %2 %3 %4 parts:%5")
        .arg(key->hash, key->strategy, key->linkedBy, describeGrouping(key->explanation))
        .arg(key->explanation.parts.size());
}

} // namespace

class TestPgIssueEvents : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void eachIssueReadsTheSame_data();
    void eachIssueReadsTheSame();
    void theCorpusExercisesTheReads();
    void anUnknownIssueHasNothing();

private:
    PostgresCluster m_cluster;
    QTemporaryDir m_dir;
    std::unique_ptr<StorageBackend> m_sqlite;
    std::unique_ptr<StorageBackend> m_postgres;
    QHash<QString, qint64> m_sqliteIds; // by fingerprint
    QHash<QString, qint64> m_postgresIds;
    int m_multiEventIssues = 0;
    int m_pagesWithData = 0;
    int m_groupingKeys = 0;
    qint64 m_chartedEvents = 0;
};

void TestPgIssueEvents::initTestCase()
{
    QVERIFY2(m_cluster.startWithDatabase(QStringLiteral("detail")), qPrintable(m_cluster.error()));
    const QString failed = writeToBothBackends(corpusWithPages(), m_dir.filePath(QStringLiteral("detail.db")),
        m_cluster.uri(QStringLiteral("detail")), &m_sqlite, &m_postgres);
    QVERIFY2(failed.isEmpty(), qPrintable(failed));
    for (auto [backend, ids] :
        { std::pair { m_sqlite.get(), &m_sqliteIds }, std::pair { m_postgres.get(), &m_postgresIds } }) {
        QString error;
        for (const IssueRow &issue :
            backend->issues().list(IssueListRequest { {}, IssueSort::LastSeen, 0, 0, kNow }, &error))
            ids->insert(backend->issues().fingerprint(issue.id), issue.id);
        QVERIFY2(error.isEmpty(), qPrintable(error));
    }
    QVERIFY(m_sqliteIds.size() >= 15);
    QCOMPARE(QSet<QString>(m_postgresIds.keyBegin(), m_postgresIds.keyEnd()),
        QSet<QString>(m_sqliteIds.keyBegin(), m_sqliteIds.keyEnd()));
}

void TestPgIssueEvents::eachIssueReadsTheSame_data()
{
    QTest::addColumn<QString>("fingerprint");
    QStringList fingerprints = m_sqliteIds.keys();
    fingerprints.sort();
    for (const QString &fingerprint : fingerprints)
        QTest::newRow(qPrintable(fingerprint.left(24))) << fingerprint;
}

void TestPgIssueEvents::eachIssueReadsTheSame()
{
    QFETCH(QString, fingerprint);
    struct Side {
        StorageBackend *backend;
        qint64 issueId;
    };
    const Side sides[] = { { m_sqlite.get(), m_sqliteIds.value(fingerprint) },
        { m_postgres.get(), m_postgresIds.value(fingerprint) } };
    QStringList answers[2];
    for (int side = 0; side < 2; ++side) {
        const EventReader &events = sides[side].backend->events();
        const qint64 issueId = sides[side].issueId;
        QString error;
        QStringList &answer = answers[side];
        const qint64 count = events.countForIssue(issueId, &error);
        answer.append(QStringLiteral("count %1").arg(count));
        const QList<EventRow> all = events.forIssue(issueId, 0, 0, true, &error);
        QCOMPARE(all.size(), count);
        answer += eventLines(all);
        for (int offset = 0; offset < all.size(); ++offset) {
            const EventRow &row = all.at(offset);
            // "Event N of M" one at a time, and back from the Events tab to its place.
            QCOMPARE(eventLines(events.forIssue(issueId, 1, offset, true, &error)), eventLines({ row }));
            QCOMPARE(events.newerInIssue(issueId, row.receivedMs, row.rowId, &error), qint64(offset));
            answer.append(groupingLine(events.groupingKey(row.rowId, &error)));
            for (const EventPage &page : events.pages(row.rowId, true, &error)) {
                answer.append(pageLine(page));
                if (side == 1 && !page.data.isEmpty())
                    ++m_pagesWithData;
            }
            if (side == 1 && events.groupingKey(row.rowId, &error))
                ++m_groupingKeys;
        }
        for (const char *search : { "level:error", "release:myapp@2.0.0", "environment:production",
                 "-release:myapp@1.0.0", "division", "has:user", "age:-2d" }) {
            const QList<EventRow> found = events.searchInIssue(
                issueId, parseQuery(QString::fromLatin1(search)).value(), 2, 0, kNow, false, &error);
            answer.append(QStringLiteral("search %1: %2").arg(QLatin1String(search), eventLines(found).join(u',')));
        }
        for (const HistogramRange &range : { HistogramRange::lastDays(kNow, 30), HistogramRange::lastHours(kNow, 24),
                 HistogramRange::lastDays(kNow, 14) }) {
            const Histogram histogram = events.histogram(issueId, range, &error);
            QCOMPARE(histogram.range, range);
            QStringList counts;
            for (qint64 bucket : histogram.counts)
                counts.append(QString::number(bucket));
            answer.append(QStringLiteral("histogram %1").arg(counts.join(u' ')));
            if (side == 1 && range.buckets == 30)
                m_chartedEvents += histogram.total();
        }
        answer += summaryLines(sides[side].backend->issues().summary(issueId, 10, &error));
        QVERIFY2(error.isEmpty(), qPrintable(sides[side].backend->displayName() + QStringLiteral(": ") + error));
        if (side == 1 && count >= 2)
            ++m_multiEventIssues;
    }
    QCOMPARE(answers[1], answers[0]);
}

// Agreement on nothing proves nothing: the corpus must reach every kind of answer.
void TestPgIssueEvents::theCorpusExercisesTheReads()
{
    QVERIFY2(m_multiEventIssues >= 3, qPrintable(QString::number(m_multiEventIssues)));
    QCOMPARE(m_pagesWithData, 3);
    QVERIFY(m_groupingKeys >= 15);
    QVERIFY2(m_chartedEvents >= 20, qPrintable(QString::number(m_chartedEvents)));
}

void TestPgIssueEvents::anUnknownIssueHasNothing()
{
    for (StorageBackend *backend : { m_sqlite.get(), m_postgres.get() }) {
        QString error;
        QCOMPARE(backend->events().countForIssue(987654, &error), qint64(0));
        QVERIFY(backend->events().forIssue(987654, 1, 0, true, &error).isEmpty());
        QCOMPARE(backend->events().histogram(987654, HistogramRange::lastHours(kNow), &error).total(), qint64(0));
        QVERIFY(!backend->events().groupingKey(987654, &error));
        QVERIFY(backend->events().pages(987654, true, &error).isEmpty());
        QVERIFY2(error.isEmpty(), qPrintable(error));
    }
}

QTEST_GUILESS_MAIN(TestPgIssueEvents)
#include "tst_pg_issue_events.moc"
