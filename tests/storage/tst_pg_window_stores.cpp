// What the window's remaining views read and change (#18), on both backends:
// the "All projects" overview (events per project per hour, new issues, SDK
// discards), the dropped-events view (refusals and client reports), the
// source roots and replay target, app state, rotating a project's key and
// removing a project with everything it holds. The same events go into SQLite
// and PostgreSQL; both must answer the same, and the answers must be the ones
// the events make. A viewer role that may not change projects is refused in words.
#include "parity_corpus.h"

#include "storage/activity_reader.h"
#include "storage/dropped_events.h"
#include "storage/postgres/pg_drop_store.h"
#include "storage/postgres/pg_roles.h"
#include "storage/project_overview.h"
#include "storage/project_store.h"
#include "storage/project_tools.h"
#include "storage/sqlite_backend.h"
#include "storage/statement.h"
#include "storage/store_readers.h"
#include "support/example_pages.h"
#include "support/postgres_cluster.h"

#include <QTest>
#include <QUrl>

using namespace faultline;
using namespace faultline::test;

namespace {

constexpr qint64 kHourMs = DroppedEventsStore::kHourMs;

// The corpus with one 500 page on its first event: removing the project must take its body too.
QList<IncomingEvent> corpusWithPage()
{
    QList<IncomingEvent> events = parityCorpus();
    events.first().attachments = { IncomingEvent::prepareAttachment(
        Attachment { QStringLiteral("500.html"), QStringLiteral("text/html"), QStringLiteral("event.attachment"),
            exampleServicePage(QStringLiteral("500.html")) },
        0) };
    return events;
}

QList<DropRecord> refusals()
{
    DropExample example;
    example.receivedMs = kNow - 5 * 60'000;
    example.status = 413;
    example.size = 30'000'000;
    example.peer = QStringLiteral("10.0.0.7:51234");
    example.request = QStringLiteral("POST /api/1/envelope/ (gzip, sentry.python/1.40.0)");
    example.head = QByteArray("\x1f\x8b\x08\x00", 4);
    example.answer = QStringLiteral("{\"detail\":\"the body is larger than 20 MiB\"}");
    return { DropRecord { 1, QStringLiteral("too_large"), 2, example },
        DropRecord { 0, QStringLiteral("unparseable"), 3, std::nullopt } };
}

QStringList dropLines(const QList<DropSummary> &summaries)
{
    QStringList lines;
    for (const DropSummary &s : summaries) {
        QStringList hourly;
        for (qint64 n : s.hourly)
            hourly.append(QString::number(n));
        lines.append(QStringLiteral("%1 %2 %3 h%4 d%5 w%6 k%7 [%8] %9")
                         .arg(s.projectId)
                         .arg(s.reason, s.category)
                         .arg(s.lastHour)
                         .arg(s.lastDay)
                         .arg(s.lastWeek)
                         .arg(s.kept)
                         .arg(hourly.join(u','))
                         .arg(s.example ? QStringLiteral("%1 %2 %3 %4 %5 %6 %7")
                                              .arg(s.example->receivedMs)
                                              .arg(s.example->status)
                                              .arg(s.example->size)
                                              .arg(s.example->peer, s.example->request,
                                                  QString::fromLatin1(s.example->head.toHex()), s.example->answer)
                                        : QStringLiteral("no example")));
    }
    return lines;
}

QStringList overviewLines(const ProjectOverview &overview)
{
    QStringList lines;
    for (const ProjectActivity &project : overview.projects) {
        QStringList hourly;
        for (qint64 n : project.hourly)
            hourly.append(QString::number(n));
        lines.append(
            QStringLiteral("project %1 %2 [%3]").arg(project.name).arg(project.total()).arg(hourly.join(u',')));
    }
    // Ties in count are ordered by id, and each backend hands out its own: the repeated ones by title.
    for (const IssueRow &issue : overview.newIssues)
        lines.append(issue.count > 1 ? QStringLiteral("new %1 x%2").arg(issue.title).arg(issue.count)
                                     : QStringLiteral("new x1"));
    for (const DiscardedCount &discarded : overview.discarded)
        lines.append(QStringLiteral("discarded %1 %2 %3 %4")
                         .arg(discarded.projectId)
                         .arg(discarded.reason, discarded.category)
                         .arg(discarded.quantity));
    return lines;
}

} // namespace

class TestPgWindowStores : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void overviewCountsTheDay();
    void droppedEventsSumPerHour();
    void sourceRootsAndReplayTarget();
    void appStateIsPublished();
    void rotatingAKeyRetiresTheOldOne();
    void aViewerMayNotChangeProjects();
    void removingAProjectTakesEverythingItHeld(); // last: it empties the corpus

private:
    Database &sqliteDb() { return static_cast<SqliteBackend &>(*m_sqlite).database(); }
    PgConnection &pg() { return static_cast<PgBackend &>(*m_postgres).connection(); }
    QList<StorageBackend *> backends() const { return { m_sqlite.get(), m_postgres.get() }; }

    PostgresCluster m_cluster;
    QTemporaryDir m_dir;
    std::unique_ptr<StorageBackend> m_sqlite;
    std::unique_ptr<StorageBackend> m_postgres;
    QList<IncomingEvent> m_events;
};

void TestPgWindowStores::initTestCase()
{
    QVERIFY2(m_cluster.startWithDatabase(QStringLiteral("window")), qPrintable(m_cluster.error()));
    m_events = corpusWithPage();
    const QString failed = writeToBothBackends(m_events, m_dir.filePath(QStringLiteral("window.db")),
        m_cluster.uri(QStringLiteral("window")), &m_sqlite, &m_postgres);
    QVERIFY2(failed.isEmpty(), qPrintable(failed));

    // What SDKs reported dropping (client reports), this hour and 30 hours ago, and the collector's refusals.
    const qint64 hour = kNow / kHourMs;
    QString error;
    QVERIFY2(execSql(sqliteDb().handle(),
                 qPrintable(QStringLiteral("INSERT INTO discarded(project_id, reason, category, hour, quantity) "
                                           "VALUES (1, 'ratelimit_backoff', 'error', %1, 5), "
                                           "(1, 'queue_overflow', 'transaction', %2, 2)")
                                .arg(hour)
                                .arg(hour - 30)),
                 &error),
        qPrintable(error));
    const auto inserted
        = pg().exec(QStringLiteral("INSERT INTO discarded(project_id, reason, category, hour, quantity) "
                                   "VALUES (1, 'ratelimit_backoff', 'error', $1, 5), "
                                   "(1, 'queue_overflow', 'transaction', $2, 2)"),
            { PgParam::integer(hour), PgParam::integer(hour - 30) });
    QVERIFY2(inserted, qPrintable(inserted.error().message));
    QVERIFY2(DroppedEventsStore(sqliteDb()).addRefusals(refusals(), kNow - 2 * kHourMs, &error), qPrintable(error));
    QVERIFY2(DroppedEventsStore(sqliteDb()).addRefusals(refusals(), kNow, &error), qPrintable(error));
    for (qint64 at : { kNow - 2 * kHourMs, kNow }) {
        const PgStatus added = PgDropStore(pg()).addRefusals(refusals(), at);
        QVERIFY2(added, qPrintable(added.error().message));
    }
}

void TestPgWindowStores::overviewCountsTheDay()
{
    // What the corpus says: its events in the last 24 hours, per hour.
    const HistogramRange range = HistogramRange::lastHours(kNow, 24);
    QList<qint64> expected(range.buckets, 0);
    for (const IncomingEvent &event : std::as_const(m_events))
        if (event.receivedMs >= range.startMs && event.receivedMs < range.endMs())
            ++expected[(event.receivedMs - range.startMs) / range.bucketMs];
    QVERIFY(std::count_if(expected.cbegin(), expected.cend(), [](qint64 n) { return n > 0; }) >= 2);

    QStringList first;
    for (StorageBackend *backend : backends()) {
        const ProjectOverview overview = readProjectOverview(*backend, kNow);
        QVERIFY2(overview.error.isEmpty(), qPrintable(overview.error));
        QCOMPARE(overview.projects.size(), 1);
        QCOMPARE(overview.projects.first().hourly, expected);
        QCOMPARE(overview.newIssues.size(), 10); // every fixture's issue began a day ago: the limit
        for (int i = 1; i < overview.newIssues.size(); ++i)
            QVERIFY(overview.newIssues.at(i - 1).count >= overview.newIssues.at(i).count);
        QCOMPARE(overview.discarded.size(), 2);
        const QStringList lines = overviewLines(overview);
        if (first.isEmpty())
            first = lines;
        else
            QCOMPARE(lines, first);
    }
}

void TestPgWindowStores::droppedEventsSumPerHour()
{
    QStringList first;
    for (StorageBackend *backend : backends()) {
        QString error;
        const QList<DropSummary> summaries = backend->activity().dropSummaries(kNow, &error);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QCOMPARE(summaries.size(), 4); // two refusal reasons, two client-report reasons
        const DropSummary &busiest = summaries.first(); // unparseable: 3 now and 3 two hours ago
        QCOMPARE(busiest.reason, QStringLiteral("unparseable"));
        QCOMPARE(busiest.lastHour, 3);
        QCOMPARE(busiest.lastDay, 6);
        QCOMPARE(busiest.hourly.at(23), 3);
        QCOMPARE(busiest.hourly.at(21), 3);
        const auto tooLarge = std::find_if(summaries.cbegin(), summaries.cend(),
            [](const DropSummary &s) { return s.reason == QLatin1String("too_large"); });
        QVERIFY(tooLarge != summaries.cend());
        QVERIFY(tooLarge->example);
        QCOMPARE(tooLarge->example->head, QByteArray("\x1f\x8b\x08\x00", 4));
        QCOMPARE(tooLarge->example->status, 413);
        const auto overflow = std::find_if(summaries.cbegin(), summaries.cend(),
            [](const DropSummary &s) { return s.reason == QLatin1String("client:queue_overflow"); });
        QVERIFY(overflow != summaries.cend());
        QCOMPARE(overflow->lastDay, 0); // 30 hours ago: in the week, not in the day
        QCOMPARE(overflow->lastWeek, 2);
        const QStringList lines = dropLines(summaries);
        if (first.isEmpty())
            first = lines;
        else
            QCOMPARE(lines, first);
    }
}

void TestPgWindowStores::sourceRootsAndReplayTarget()
{
    const QList<SourceRoot> roots = { { QStringLiteral("/app"), QStringLiteral("~/src/shop") },
        { QStringLiteral("/app/vendor/lib"), QStringLiteral("~/src/lib") },
        { QStringLiteral("/srv"), QStringLiteral("~/src/srv") } };
    for (StorageBackend *backend : backends()) {
        ProjectToolSettings &tools = backend->projectTools();
        QVERIFY(tools.sourceRoots(1).isEmpty());
        QString error;
        QVERIFY2(tools.setSourceRoots(1, roots, &error), qPrintable(error));
        const QList<SourceRoot> read = tools.sourceRoots(1);
        QCOMPARE(read.size(), 3);
        QCOMPARE(read.at(0).remotePrefix, QStringLiteral("/app/vendor/lib")); // longest first
        QCOMPARE(read.at(1).remotePrefix, QStringLiteral("/app"));
        QCOMPARE(read.at(2).remotePrefix, QStringLiteral("/srv"));
        QVERIFY2(tools.setSourceRoots(1, roots.mid(2), &error), qPrintable(error)); // replaces, not adds
        QCOMPARE(tools.sourceRoots(1).size(), 1);
        QVERIFY(!tools.setSourceRoots(987654, roots, &error)); // no such project: refused, and why
        QVERIFY(!error.isEmpty());
        QCOMPARE(tools.sourceRoots(1).size(), 1); // the failed write left nothing half done

        QVERIFY(tools.replayBaseUrl(1).isEmpty());
        QVERIFY2(tools.setReplayBaseUrl(1, QStringLiteral("https://staging.example.com"), &error), qPrintable(error));
        QVERIFY2(tools.setReplayBaseUrl(1, QStringLiteral("http://localhost:8000"), &error), qPrintable(error));
        QCOMPARE(tools.replayBaseUrl(1), QStringLiteral("http://localhost:8000"));
        QVERIFY2(tools.setReplayBaseUrl(1, QString(), &error), qPrintable(error));
        QVERIFY(tools.replayBaseUrl(1).isEmpty());
    }
}

void TestPgWindowStores::appStateIsPublished()
{
    for (StorageBackend *backend : backends()) {
        QVERIFY(backend->appState(QStringLiteral("window_test")).isEmpty());
        for (const QString &value : { QStringLiteral("one"), QStringLiteral("two") }) {
            const StorageResult<void> stored = backend->setAppState(QStringLiteral("window_test"), value);
            QVERIFY2(stored, qPrintable(stored.error().detail));
            QCOMPARE(backend->appState(QStringLiteral("window_test")), value);
        }
    }
}

void TestPgWindowStores::rotatingAKeyRetiresTheOldOne()
{
    for (StorageBackend *backend : backends()) {
        const StorageResult<Project> before = backend->projects().byId(1);
        QVERIFY(before);
        const StorageResult<Project> rotated = backend->projects().rotateKey(1);
        QVERIFY2(rotated, qPrintable(rotated.error().detail));
        QCOMPARE(rotated->id, 1);
        QCOMPARE(rotated->publicKey.size(), 32);
        QVERIFY(rotated->publicKey != before->publicKey);
        QCOMPARE(backend->projects().byPublicKey(before->publicKey).error().kind, StorageError::Kind::NotFound);
        QCOMPARE(backend->projects().byPublicKey(rotated->publicKey)->id, 1);
    }
    QCOMPARE(m_postgres->projects().rotateKey(987654).error().kind, StorageError::Kind::NotFound);
}

void TestPgWindowStores::aViewerMayNotChangeProjects()
{
    PgRoleNames names;
    names.database = QStringLiteral("window");
    const auto granted = pg().execScript(postgresRolesSql(names).toUtf8().constData());
    QVERIFY2(granted, qPrintable(granted.error().message));
    auto viewer = openStorageBackend(QStringLiteral("postgresql://127.0.0.1:%1/window?user=%2")
                                         .arg(m_cluster.port())
                                         .arg(QString::fromLatin1(QUrl::toPercentEncoding(names.viewer))),
        BackendUse::Write);
    QVERIFY2(viewer, qPrintable(viewer.error().detail));
    StorageBackend &asViewer = **viewer;

    // What a window shows the user: the server's words, not a kind's guess.
    const StorageResult<Project> added = asViewer.projects().add(QStringLiteral("not mine"));
    QVERIFY(!added);
    QVERIFY2(storageErrorText(added.error()).contains(QLatin1String("permission denied")),
        qPrintable(storageErrorText(added.error())));
    const StorageResult<Project> rotated = asViewer.projects().rotateKey(1);
    QVERIFY(!rotated);
    QVERIFY(storageErrorText(rotated.error()).contains(QLatin1String("permission denied")));
    const StorageResult<void> removed = asViewer.projects().remove(1);
    QVERIFY(!removed);
    QVERIFY2(storageErrorText(removed.error()).contains(QLatin1String("permission denied")),
        qPrintable(storageErrorText(removed.error())));
    QVERIFY(m_postgres->projects().byId(1)); // still there

    // What the roles grant a viewer: the source roots, reading the day.
    QString error;
    QVERIFY2(asViewer.projectTools().setSourceRoots(1, { { QStringLiteral("/opt"), QStringLiteral("~/opt") } }, &error),
        qPrintable(error));
    QVERIFY(!readProjectOverview(asViewer, kNow).projects.isEmpty());
    QVERIFY(asViewer.activity().dropSummaries(kNow, &error).size() == 4);
}

void TestPgWindowStores::removingAProjectTakesEverythingItHeld()
{
    QVERIFY(scalar(sqliteDb(), QStringLiteral("SELECT count(*) FROM attachment_blobs")) > 0);
    QVERIFY(pg().exec(QStringLiteral("SELECT count(*) FROM attachment_blobs"))->int64(0, 0) > 0);
    for (StorageBackend *backend : backends()) {
        const StorageResult<void> removed = backend->projects().remove(1);
        QVERIFY2(removed, qPrintable(removed.error().detail));
        QCOMPARE(backend->projects().byId(1).error().kind, StorageError::Kind::NotFound);
        QString error;
        QVERIFY(backend->issues().list(IssueListRequest { {}, IssueSort::LastSeen, 0, 0, kNow }, &error).isEmpty());
        QVERIFY(backend->events().search(Query(), 0, 0, kNow, false, &error).isEmpty());
        QVERIFY(backend->pages().distinctPages(0, &error).isEmpty());
        QVERIFY2(error.isEmpty(), qPrintable(error));
        // Refusals of other projects (0: none could be named) stay.
        const QList<DropSummary> left = backend->activity().dropSummaries(kNow, &error);
        QCOMPARE(left.size(), 1);
        QCOMPARE(left.first().projectId, 0);
    }
    const char *const tables[] = { "attachment_blobs", "attachments", "event_tags", "events", "issues" };
    for (const char *table : tables) {
        const QString count = QStringLiteral("SELECT count(*) FROM %1").arg(QLatin1String(table));
        QCOMPARE(scalar(sqliteDb(), count), 0);
        QCOMPARE(pg().exec(count)->int64(0, 0), 0);
    }
}

QTEST_GUILESS_MAIN(TestPgWindowStores)
#include "tst_pg_window_stores.moc"
