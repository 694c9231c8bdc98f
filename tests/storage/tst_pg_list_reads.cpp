// What the window's issue list and project list read through IssueReader and
// IssueStatusChanger (storage/store_readers.h) beyond the search itself: the
// 24-hour trends of a page of issues, the unresolved counts per project, what a
// notification says about an issue, and undoing a status change. The same
// fixture events go into SQLite (EventWriter) and PostgreSQL (PgBatchWriter);
// both backends must give the same figures, and the figures must be the ones
// the events make.
#include "storage_test_helpers.h"

#include "storage/backend.h"
#include "storage/postgres/pg_backend.h"
#include "storage/postgres/pg_batch_writer.h"
#include "storage/project_store.h"
#include "storage/store_readers.h"
#include "support/postgres_cluster.h"

#include <QTest>

#include <algorithm>
#include <numeric>

using namespace faultline;
using namespace faultline::test;

namespace {

constexpr qint64 kNow = 1'780'000'000'000; // June 2026
constexpr qint64 kHour = HistogramRange::kHourMs;

const char *const kProjectOne[] = { "python_exception_store", "browser_exception_store", "go_message_store",
    "node_exception_envelope", "ruby_message_envelope" };
const char *const kProjectTwo[] = { "django_request_store", "python_message_store" };

// Fixtures an hour apart over the last day; the Python exception again in three
// hours (two events in one), and once two days ago, outside the trend's window.
QList<IncomingEvent> corpus(qint64 secondProject)
{
    QList<IncomingEvent> events;
    qint64 received = kNow - 20 * kHour;
    for (const char *name : kProjectOne)
        events.append(preparedFixture(QString::fromLatin1(name), received += kHour));
    for (const char *name : kProjectTwo)
        events.append(preparedFixture(QString::fromLatin1(name), received += kHour, secondProject));
    const qint64 times[] = { kNow - 3 * kHour, kNow - 3 * kHour + 60'000, kNow - 60'000, kNow - 48 * kHour };
    int n = 0;
    for (qint64 at : times)
        events.append(changed(preparedFixture(QStringLiteral("python_exception_store"), at), [&](QJsonObject &json) {
            json.insert(QStringLiteral("event_id"), testEventId(QStringLiteral("again-%1").arg(++n)));
            json.insert(QStringLiteral("release"), QStringLiteral("shop@%1.0").arg(n));
            json.insert(QStringLiteral("environment"), QStringLiteral("production"));
        }));
    return events;
}

// Issues by grouping key, so that the backends' own ids do not matter.
QHash<QString, qint64> issuesByKey(StorageBackend &backend)
{
    QString error;
    QHash<QString, qint64> ids;
    for (const IssueRow &issue :
        backend.issues().list(IssueListRequest { {}, IssueSort::LastSeen, 0, 0, kNow }, &error))
        ids.insert(backend.issues().fingerprint(issue.id), issue.id);
    if (!error.isEmpty())
        qWarning() << error;
    return ids;
}

IssueStatusState unresolved(qint64 id)
{
    IssueStatusState state;
    state.id = id;
    state.status = QStringLiteral("unresolved");
    return state;
}

} // namespace

class TestPgListReads : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void trendsCountTheEventsPerHour();
    void unresolvedCountsPerProject();
    void newsNamesTheLatestEvent();
    void undoPutsTheStatusBack();

private:
    PostgresCluster m_cluster;
    QTemporaryDir m_dir;
    std::unique_ptr<StorageBackend> m_sqlite;
    std::unique_ptr<StorageBackend> m_postgres;
    QList<StorageBackend *> backends() const { return { m_sqlite.get(), m_postgres.get() }; }
};

void TestPgListReads::initTestCase()
{
    QVERIFY2(m_cluster.startWithDatabase(QStringLiteral("lists")), qPrintable(m_cluster.error()));

    const QString path = m_dir.filePath(QStringLiteral("lists.db"));
    auto sqlite = openStorageBackend(path, BackendUse::Create);
    QVERIFY2(sqlite, qPrintable(sqlite.error().detail));
    m_sqlite = std::move(sqlite).value();
    auto postgres = openStorageBackend(m_cluster.uri(QStringLiteral("lists")), BackendUse::Create);
    QVERIFY2(postgres, qPrintable(postgres.error().detail));
    m_postgres = std::move(postgres).value();
    qint64 secondProject = 0;
    for (StorageBackend *backend : backends()) {
        const StorageResult<Project> added = backend->projects().add(QStringLiteral("backend"));
        QVERIFY2(added, qPrintable(added.error().detail));
        QVERIFY(secondProject == 0 || secondProject == added->id);
        secondProject = added->id;
    }

    const QList<IncomingEvent> events = corpus(secondProject);
    const QList<WriteOutcome> written = writeAll(path, events);
    QCOMPARE(written.size(), events.size());
    for (const WriteOutcome &outcome : written)
        QVERIFY2(outcome.committed, qPrintable(outcome.error));
    QList<const IncomingEvent *> pointers;
    for (const IncomingEvent &incoming : events)
        pointers.append(&incoming);
    auto batch = PgBatchWriter(static_cast<PgBackend &>(*m_postgres).connection()).write(pointers);
    QVERIFY2(batch, qPrintable(batch.error().message));
}

void TestPgListReads::trendsCountTheEventsPerHour()
{
    const HistogramRange range = HistogramRange::lastHours(kNow);
    QHash<QString, QList<qint64>> first;
    for (StorageBackend *backend : backends()) {
        const QHash<QString, qint64> ids = issuesByKey(*backend);
        QCOMPARE(ids.size(), 7);
        QString error;
        const QHash<qint64, QList<qint64>> trends = backend->issues().trends(ids.values(), range, &error);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QCOMPARE(trends.size(), ids.size()); // every issue asked for, with zeros when quiet
        QHash<QString, QList<qint64>> byKey;
        qint64 total = 0;
        for (auto it = ids.cbegin(); it != ids.cend(); ++it) {
            const QList<qint64> trend = trends.value(it.value());
            QCOMPARE(trend.size(), 24);
            for (qint64 count : trend)
                total += count;
            byKey.insert(it.key(), trend);
        }
        QCOMPARE(total, qint64(7 + 3)); // the event two days ago is outside the window
        // The Python exception: its first event 19 h ago, two in the hour 3 h ago, one a minute ago.
        const auto python = std::find_if(byKey.cbegin(), byKey.cend(),
            [](const QList<qint64> &trend) { return std::accumulate(trend.begin(), trend.end(), qint64(0)) == 4; });
        QVERIFY(python != byKey.cend());
        QCOMPARE(python->last(), qint64(1));
        QCOMPARE(python->at(20), qint64(2));
        if (first.isEmpty())
            first = byKey;
        else
            QCOMPARE(byKey, first);
    }
}

void TestPgListReads::unresolvedCountsPerProject()
{
    QList<QHash<qint64, qint64>> answers;
    for (StorageBackend *backend : backends()) {
        QString error;
        const QHash<qint64, qint64> before = backend->issues().unresolvedCountsByProject(kNow, &error);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QCOMPARE(before.value(1), qint64(5));
        QCOMPARE(before.size(), 2);

        // One resolved, one ignored for an hour that ended an hour ago (unresolved again), one ignored for good.
        const QHash<QString, qint64> ids = issuesByKey(*backend);
        const QList<qint64> all = ids.values();
        StatusChange resolve;
        resolve.status = IssueStatus::Resolved;
        StatusChange lapsed;
        lapsed.status = IssueStatus::Ignored;
        lapsed.until = StatusChange::Until::Duration;
        lapsed.durationMs = kHour;
        StatusChange ignore;
        ignore.status = IssueStatus::Ignored;
        const QHash<qint64, qint64> projectOf = [&] {
            QHash<qint64, qint64> map;
            for (qint64 id : all)
                map.insert(id, backend->issues().byId(id)->projectId);
            return map;
        }();
        const qint64 inOne = *std::find_if(all.begin(), all.end(), [&](qint64 id) { return projectOf[id] == 1; });
        QList<qint64> inTwo;
        for (qint64 id : all)
            if (projectOf[id] != 1)
                inTwo.append(id);
        QCOMPARE(inTwo.size(), 2);
        QCOMPARE(backend->statuses().apply({ inOne }, resolve, kNow, nullptr, &error), 1);
        QCOMPARE(backend->statuses().apply({ inTwo[0] }, lapsed, kNow - 2 * kHour, nullptr, &error), 1);
        QCOMPARE(backend->statuses().apply({ inTwo[1] }, ignore, kNow, nullptr, &error), 1);
        const QHash<qint64, qint64> after = backend->issues().unresolvedCountsByProject(kNow, &error);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QCOMPARE(after.value(1), qint64(4));
        QCOMPARE(after.value(projectOf[inTwo[0]]), qint64(1)); // the lapsed ignore counts
        answers.append(after);
        QCOMPARE(
            backend->statuses().restore({ unresolved(inOne), unresolved(inTwo[0]), unresolved(inTwo[1]) }, &error), 3);
    }
    QCOMPARE(answers.last(), answers.first());
}

void TestPgListReads::newsNamesTheLatestEvent()
{
    QList<AlertIssue> answers;
    for (StorageBackend *backend : backends()) {
        const QHash<QString, qint64> ids = issuesByKey(*backend);
        std::optional<AlertIssue> python;
        for (qint64 id : ids) {
            const auto news = backend->issues().news(id);
            QVERIFY(news);
            QCOMPARE(news->issueId, id);
            if (news->count == 5)
                python = *news;
        }
        QVERIFY(python);
        QCOMPARE(python->projectName, QStringLiteral("default"));
        QCOMPARE(python->release, QStringLiteral("shop@3.0")); // the one a minute ago, not the latest written
        QCOMPARE(python->environment, QStringLiteral("production"));
        QCOMPARE(python->lastSeenMs, kNow - 60'000);
        QVERIFY(!backend->issues().news(999'999));
        python->issueId = 0; // the backends number issues on their own
        answers.append(*python);
    }
    QCOMPARE(answers.last().title, answers.first().title);
    QCOMPARE(answers.last().culprit, answers.first().culprit);
    QCOMPARE(answers.last().level, answers.first().level);
    QCOMPARE(answers.last().firstSeenMs, answers.first().firstSeenMs);
}

void TestPgListReads::undoPutsTheStatusBack()
{
    for (StorageBackend *backend : backends()) {
        const QList<qint64> ids = issuesByKey(*backend).values().mid(0, 2);
        QString error;
        StatusChange ignore;
        ignore.status = IssueStatus::Ignored;
        ignore.until = StatusChange::Until::Events;
        ignore.events = 10;
        QList<IssueStatusState> before;
        QCOMPARE(backend->statuses().apply(ids, ignore, kNow, &before, &error), 2);
        QCOMPARE(before.size(), 2);
        QCOMPARE(backend->issues().byId(ids[0])->status, QStringLiteral("ignored"));
        QCOMPARE(backend->statuses().restore(before, &error), 2);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        for (qint64 id : ids) {
            const auto issue = backend->issues().byId(id);
            QCOMPARE(issue->status, QStringLiteral("unresolved"));
            QCOMPARE(issue->substatus, QString());
            QCOMPARE(issue->ignoreUntilCount, qint64(0));
        }
        QCOMPARE(backend->statuses().restore({ unresolved(999'999) }, &error), 0); // gone: nothing to put back
    }
}

QTEST_GUILESS_MAIN(TestPgListReads)
#include "tst_pg_list_reads.moc"
