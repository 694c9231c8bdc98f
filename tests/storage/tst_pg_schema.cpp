// The PostgreSQL schema (#18) on a throw-away server: the migrations give the
// same tables and columns as SQLite's, processes migrating at once migrate
// once, a newer database is refused, and the monthly partitions and the
// search column work as the writer and retention expect.
#include "storage/database.h"
#include "storage/migrations.h"
#include "storage/postgres/pg_batch_writer.h"
#include "storage/postgres/pg_change_listener.h"
#include "storage/postgres/pg_issue_merger.h"
#include "storage/postgres/pg_migrations.h"
#include "storage/postgres/pg_partitions.h"
#include "storage/postgres/pg_roles.h"
#include "storage/raw_codec.h"
#include "storage/statement.h"
#include "storage_test_helpers.h"
#include "support/postgres_cluster.h"

#include <QDateTime>
#include <QMap>
#include <QRegularExpression>
#include <QSet>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QTimeZone>
#include <QUrl>

#include <atomic>
#include <thread>
#include <vector>

using namespace faultline;
using namespace faultline::test;

namespace {

using Columns = QMap<QString, QSet<QString>>; // table → column names

Columns sqliteColumns()
{
    QTemporaryDir dir;
    QString error;
    auto db = Database::open(dir.filePath(QStringLiteral("f.db")), Database::Mode::ReadWrite, &error);
    if (!db)
        qFatal("cannot open a SQLite database: %s", qPrintable(error));
    Columns columns;
    Statement tables(db->handle(),
        QStringLiteral("SELECT m.name, p.name FROM sqlite_master m, pragma_table_info(m.name) p "
                       "WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND m.name NOT LIKE 'events_fts%'"));
    while (tables.step())
        columns[tables.text(0)].insert(tables.text(1));
    return columns;
}

Columns postgresColumns(PgConnection &db)
{
    // Partitions are tables of their own to information_schema; their parents say it all.
    auto rows = db.exec(QStringLiteral("SELECT c.table_name, c.column_name FROM information_schema.columns c "
                                       "JOIN pg_class t ON t.relname = c.table_name AND NOT t.relispartition "
                                       "WHERE c.table_schema = 'public'"));
    Columns columns;
    for (int row = 0; rows && row < rows->rowCount(); ++row)
        columns[rows->text(row, 0)].insert(rows->text(row, 1));
    return columns;
}

} // namespace

class TestPgSchema : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void keepsInStepWithSqlite();
    void hasSqlitesTablesAndColumns();
    void concurrentStartsMigrateOnce();
    void migratingAgainChangesNothing();
    void refusesANewerDatabase();
    void partitionsAreMadeOnDemandPerMonth();
    void searchColumnFindsFramesThroughItsIndex();
    void collectorAndViewerRolesMayWhatTheyNeed();

private:
    std::unique_ptr<PgConnection> migratedConnection();
    PostgresCluster m_cluster;
    QString m_uri; // the shared database
};

void TestPgSchema::initTestCase()
{
    // One migrated database for the tests that only read the schema or write
    // rows of their own (a database costs most of a second); the concurrent
    // migration gets a fresh one.
    QVERIFY2(m_cluster.startWithDatabase(QStringLiteral("shared")), qPrintable(m_cluster.error()));
    m_uri = m_cluster.uri(QStringLiteral("shared"));
}

std::unique_ptr<PgConnection> TestPgSchema::migratedConnection()
{
    auto connection = PgConnection::open(m_uri);
    if (!connection) {
        qWarning() << connection.error().message;
        return nullptr;
    }
    auto migrated = migratePostgres(*connection.value());
    if (!migrated) {
        qWarning() << migrated.error().message;
        return nullptr;
    }
    return std::move(connection).value();
}

void TestPgSchema::keepsInStepWithSqlite()
{
    // A new SQLite migration needs its PostgreSQL form under the same number
    // (storage/postgres/pg_migrations.cpp), or the two backends part.
    QCOMPARE(latestPostgresSchemaVersion(), latestSchemaVersion());
}

void TestPgSchema::hasSqlitesTablesAndColumns()
{
    auto db = migratedConnection();
    QVERIFY(db);
    Columns expected = sqliteColumns();
    expected.remove(QStringLiteral("fts_pending")); // the tsvector column is kept by the server itself
    Columns actual = postgresColumns(*db);
    // What only PostgreSQL has, and why (pg_schema.cpp): version rows, the
    // deduplication key, the search column, each issue's words and texts (pg_migrations.cpp),
    // the partition key of the children.
    actual.remove(QStringLiteral("schema_migrations"));
    actual.remove(QStringLiteral("event_ids"));
    actual.remove(QStringLiteral("issue_words"));
    actual.remove(QStringLiteral("issue_texts"));
    actual[QStringLiteral("events")].remove(QStringLiteral("search"));
    actual[QStringLiteral("event_tags")].remove(QStringLiteral("received_ms"));
    actual[QStringLiteral("attachments")].remove(QStringLiteral("received_ms"));
    QCOMPARE(QStringList(actual.keys()), QStringList(expected.keys()));
    for (auto it = expected.cbegin(); it != expected.cend(); ++it)
        QVERIFY2(actual.value(it.key()) == it.value(), qPrintable(it.key()));
}

void TestPgSchema::concurrentStartsMigrateOnce()
{
    QVERIFY2(m_cluster.createDatabase(QStringLiteral("fresh")), qPrintable(m_cluster.error()));
    constexpr int kProcesses = 8;
    std::vector<std::unique_ptr<PgConnection>> connections;
    for (int i = 0; i < kProcesses; ++i) {
        auto connection = PgConnection::open(m_cluster.uri(QStringLiteral("fresh")));
        QVERIFY2(connection, qPrintable(connection.error().message));
        connections.push_back(std::move(connection).value());
    }
    std::atomic<int> ready { 0 };
    std::vector<int> versions(kProcesses, -1);
    std::vector<QString> errors(kProcesses);
    std::vector<std::thread> threads;
    for (int i = 0; i < kProcesses; ++i) {
        threads.emplace_back([&, i] {
            ++ready;
            while (ready.load() < kProcesses) { } // all connections start migrating together
            auto migrated = migratePostgres(*connections[std::size_t(i)]);
            if (migrated)
                versions[std::size_t(i)] = migrated.value();
            else
                errors[std::size_t(i)] = migrated.error().message;
        });
    }
    for (std::thread &thread : threads)
        thread.join();
    for (int i = 0; i < kProcesses; ++i) {
        QVERIFY2(errors[std::size_t(i)].isEmpty(), qPrintable(errors[std::size_t(i)]));
        QCOMPARE(versions[std::size_t(i)], latestPostgresSchemaVersion());
    }
    auto rows = connections.front()->exec(QStringLiteral("SELECT count(*), max(version) FROM schema_migrations"));
    QVERIFY(rows);
    QCOMPARE(rows->int64(0, 0), qint64(postgresMigrations().size()));
    QCOMPARE(rows->int64(0, 1), qint64(latestPostgresSchemaVersion()));
    rows = connections.front()->exec(QStringLiteral("SELECT count(*) FROM pg_class WHERE relname = 'events'"));
    QCOMPARE(rows->int64(0, 0), 1);
}

void TestPgSchema::migratingAgainChangesNothing()
{
    auto db = migratedConnection();
    QVERIFY(db);
    const QString before
        = db->exec(QStringLiteral("SELECT string_agg(applied_at::text, ',') FROM schema_migrations"))->text(0, 0);
    auto again = migratePostgres(*db);
    QVERIFY2(again, qPrintable(again.error().message));
    QCOMPARE(again.value(), latestPostgresSchemaVersion());
    QCOMPARE(db->exec(QStringLiteral("SELECT string_agg(applied_at::text, ',') FROM schema_migrations"))->text(0, 0),
        before);
}

void TestPgSchema::refusesANewerDatabase()
{
    auto db = migratedConnection();
    QVERIFY(db);
    QVERIFY(db->exec(QStringLiteral("INSERT INTO schema_migrations(version) VALUES ($1)"),
        { PgParam::integer(latestPostgresSchemaVersion() + 1) }));
    auto refused = migratePostgres(*db);
    QVERIFY(!refused);
    QCOMPARE(refused.error().kind, PgError::Kind::Schema);
    QVERIFY2(refused.error().message.contains(QLatin1String("newer")), qPrintable(refused.error().message));
    QCOMPARE(postgresSchemaVersion(*db).value(), latestPostgresSchemaVersion() + 1); // nothing rolled back or redone
    QVERIFY(db->exec(QStringLiteral("DELETE FROM schema_migrations WHERE version = $1"),
        { PgParam::integer(latestPostgresSchemaVersion() + 1) })); // the other tests share the database
}

void TestPgSchema::partitionsAreMadeOnDemandPerMonth()
{
    auto db = migratedConnection();
    QVERIFY(db);
    const qint64 lastMsOfNovember
        = QDateTime(QDate(2026, 12, 1), QTime(0, 0), QTimeZone::utc()).toMSecsSinceEpoch() - 1;
    const PartitionMonth november = partitionMonthOf(lastMsOfNovember);
    QCOMPARE(november.suffix, QStringLiteral("p2026_11"));
    QCOMPARE(november.toMs, lastMsOfNovember + 1);
    QCOMPARE(partitionMonthOf(november.toMs).suffix, QStringLiteral("p2026_12"));

    // Before its month exists an event has nowhere to go: the writer makes it first.
    const QString insert = QStringLiteral(
        "INSERT INTO projects(id, name, public_key, created_ms) VALUES (1, 'p', 'k', 0);"
        "INSERT INTO issues(project_id, fingerprint, first_seen_ms, last_seen_ms) VALUES (1, 'f', 0, 0);"
        "INSERT INTO events(event_id, issue_id, project_id, timestamp_ms, received_ms, raw, raw_size) "
        "VALUES ('e1', (SELECT id FROM issues WHERE project_id = 1), 1, %1, %1, '', 0)")
                               .arg(lastMsOfNovember);
    auto missing = db->execScript(insert.toUtf8().constData());
    QVERIFY(!missing);
    QCOMPARE(missing.error().sqlState, QStringLiteral("23514")); // no partition of relation "events" found for row
    PgPartitions partitions;
    QVERIFY(partitions.ensureMonth(*db, lastMsOfNovember));
    QVERIFY(partitions.ensureMonth(*db, lastMsOfNovember)); // known: no DDL
    auto stored = db->execScript(insert.toUtf8().constData());
    QVERIFY2(stored, qPrintable(stored.error().message));
    auto rows = db->exec(QStringLiteral("SELECT string_agg(relname, ',' ORDER BY relname) FROM pg_class "
                                        "WHERE relispartition AND relkind IN ('r', 'p') AND relname LIKE '%p2026_11'"));
    QCOMPARE(rows->text(0, 0), QStringLiteral("attachments_p2026_11,event_tags_p2026_11,events_p2026_11"));
    // A second writer (its own cache) finds the month made and makes nothing twice.
    auto other = PgConnection::open(m_uri);
    QVERIFY(other);
    PgPartitions otherPartitions;
    QVERIFY(otherPartitions.ensureMonth(*other.value(), november.fromMs));
}

void TestPgSchema::searchColumnFindsFramesThroughItsIndex()
{
    auto db = migratedConnection();
    QVERIFY(db);
    PgPartitions partitions;
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    QVERIFY(partitions.ensureMonth(*db, now));
    QVERIFY(db->execScript("INSERT INTO projects(id, name, public_key, created_ms) VALUES (2, 'search', 'k2', 0);"
                           "INSERT INTO issues(project_id, fingerprint, first_seen_ms, last_seen_ms) "
                           "VALUES (2, 'f', 0, 0)"));
    for (int i = 0; i < 200; ++i) {
        const QString frames = i == 137 ? QStringLiteral("shop/views.py\ncheckout_total") : QStringLiteral("app.py");
        QVERIFY(db->exec(
            QStringLiteral("INSERT INTO events(event_id, issue_id, project_id, timestamp_ms, received_ms, "
                           "title, frames, raw, raw_size) VALUES ($1, (SELECT id FROM issues WHERE project_id = 2), "
                           "2, $2, $2, $3, $4, '', 0)"),
            { PgParam::text(QStringLiteral("e%1").arg(i)), PgParam::integer(now),
                PgParam::text(QStringLiteral("KeyError 'sku'")), PgParam::text(frames) }));
    }
    QVERIFY(db->execScript("ANALYZE events; SET enable_seqscan = off"));
    const QString query = QStringLiteral("SELECT event_id FROM events WHERE search @@ plainto_tsquery('simple', $1)");
    auto rows = db->exec(query, { PgParam::text(QStringLiteral("checkout_total")) });
    QVERIFY2(rows, qPrintable(rows.error().message));
    QCOMPARE(rows->rowCount(), 1);
    QCOMPARE(rows->text(0, 0), QStringLiteral("e137"));
    auto plan = db->exec(QStringLiteral("EXPLAIN ") + query, { PgParam::text(QStringLiteral("checkout_total")) });
    QString planText;
    for (int row = 0; row < plan->rowCount(); ++row)
        planText += plan->text(row, 0) + u'\n';
    QVERIFY2(planText.contains(QLatin1String("Bitmap Index Scan")), qPrintable(planText));
}

void TestPgSchema::collectorAndViewerRolesMayWhatTheyNeed()
{
    auto admin = migratedConnection(); // the owner of the tables, as an administrator runs the script
    QVERIFY(admin);
    PgRoleNames names;
    names.database = QStringLiteral("shared");
    names.collector = QStringLiteral("ingest \"eu\"");
    const QString sql = postgresRolesSql(names);
    QVERIFY(sql.contains(QLatin1String("CREATE ROLE \"ingest \"\"eu\"\"\" LOGIN;")));
    QVERIFY(!sql.contains(QRegularExpression(QStringLiteral("ROLE[^;]*PASSWORD"))));
    auto ran = admin->execScript(sql.toUtf8().constData());
    QVERIFY2(ran, qPrintable(ran.error().message));
    auto as = [&](const QString &user) -> std::unique_ptr<PgConnection> {
        auto connection = PgConnection::open(QStringLiteral("postgresql://127.0.0.1:%1/shared").arg(m_cluster.port())
            + QStringLiteral("?user=") + QString::fromLatin1(QUrl::toPercentEncoding(user)));
        if (!connection) {
            qWarning() << connection.error().message;
            return nullptr;
        }
        return std::move(connection).value();
    };

    auto collector = as(names.collector);
    QVERIFY(collector);
    QVERIFY(admin->execScript("INSERT INTO projects(id, name, public_key, created_ms) VALUES (3, 'roles', 'k3', 0)"));
    // A window listens for changes as the viewer: LISTEN needs no grant.
    const QString viewerUri = QStringLiteral("postgresql://127.0.0.1:%1/shared").arg(m_cluster.port())
        + QStringLiteral("?user=") + QString::fromLatin1(QUrl::toPercentEncoding(names.viewer));
    PgChangeListener listener(viewerUri);
    QSignalSpy listening(&listener, &PgChangeListener::listening);
    QSignalSpy changed(&listener, &PgChangeListener::changed);
    listener.start();
    QVERIFY(listening.wait());

    // The collector stores a batch in a month nobody wrote into yet (it makes the partitions)…
    IncomingEvent incoming = makeEvent(QStringLiteral("role-1"), QStringLiteral("fp"), QStringLiteral("Boom"),
        QDateTime(QDate(2031, 3, 15), QTime(12, 0), QTimeZone::utc()).toMSecsSinceEpoch(), 3);
    incoming.event.tags = { { QStringLiteral("browser"), QStringLiteral("Firefox") } };
    incoming.storedRaw = prepareStoredRaw(incoming.event.raw);
    incoming.columns = eventColumns(incoming);
    PgBatchWriter writer(*collector);
    auto written = writer.write({ &incoming });
    QVERIFY2(written, qPrintable(written.error().message));
    QVERIFY(written->outcomes[0].newIssue);
    // …and its commit notifies (the triggers run as the collector; pg_notify needs no grant).
    QVERIFY(changed.wait());
    QVERIFY(changed.at(0).at(0).toStringList().contains(QStringLiteral("events")));
    // …and may not delete or resolve what it stored.
    for (const char *forbidden : { "DELETE FROM events", "DELETE FROM issues", "DROP TABLE events_p2031_03",
             "UPDATE projects SET name = 'x'" }) {
        auto refused = collector->execScript(forbidden);
        QVERIFY2(!refused, forbidden);
        QVERIFY2(refused.error().kind == PgError::Kind::Permission, qPrintable(refused.error().message));
    }

    // The viewer reads and triages, and stores or deletes no event.
    auto viewer = as(names.viewer);
    QVERIFY(viewer);
    auto seen = viewer->exec(QStringLiteral("SELECT count(*) FROM events WHERE project_id = 3"));
    QVERIFY2(seen, qPrintable(seen.error().message));
    QCOMPARE(seen->int64(0, 0), 1);
    // The collector's batch gave its issue its words (add_issue_words(), running as the tables' owner), which
    // the viewer's issue list reads.
    auto words = viewer->exec(QStringLiteral("SELECT count(*) FROM issue_words WHERE issue_id = $1 AND word = 'boom'"),
        { PgParam::integer(written->outcomes[0].issueId) });
    QVERIFY2(words, qPrintable(words.error().message));
    QCOMPARE(words->int64(0, 0), 1);
    auto resolved = viewer->exec(QStringLiteral("UPDATE issues SET status = 'resolved' WHERE id = $1"),
        { PgParam::integer(written->outcomes[0].issueId) });
    QVERIFY2(resolved, qPrintable(resolved.error().message));
    QCOMPARE(resolved->affectedRows(), 1);
    changed.clear();
    QVERIFY(changed.wait()); // the viewer's change notifies the other windows
    QCOMPARE(changed.at(0).at(0).toStringList(), QStringList { QStringLiteral("issues") });
    for (const char *forbidden : { "DELETE FROM events", "INSERT INTO event_ids VALUES (3, 'x', 0, 0)" }) {
        auto refused = viewer->execScript(forbidden);
        QVERIFY2(!refused, forbidden);
        QCOMPARE(refused.error().kind, PgError::Kind::Permission);
    }

    // A person triaging merges issues and splits them again (Sentry lets any member): the viewer
    // moves events and keys between issues and their counters follow.
    IncomingEvent other = makeEvent(QStringLiteral("role-2"), QStringLiteral("fp2"), QStringLiteral("Bang"),
        QDateTime(QDate(2031, 3, 15), QTime(12, 5), QTimeZone::utc()).toMSecsSinceEpoch(), 3);
    other.storedRaw = prepareStoredRaw(other.event.raw);
    other.columns = eventColumns(other);
    auto second = writer.write({ &other });
    QVERIFY2(second, qPrintable(second.error().message));
    const qint64 kept = written->outcomes[0].issueId;
    const qint64 merged = second->outcomes[0].issueId;
    PgIssueMerger merger(*viewer);
    QString error;
    const std::optional<MergeOutcome> merge = merger.merge({ kept, merged }, kept, 0, &error);
    QVERIFY2(merge, qPrintable(error));
    auto counted = viewer->exec(QStringLiteral("SELECT count FROM issues WHERE id = $1"), { PgParam::integer(kept) });
    QVERIFY2(counted, qPrintable(counted.error().message));
    QCOMPARE(counted->int64(0, 0), 2);
    const QList<StoredGroupingKey> keys = merger.keys(kept, &error);
    QVERIFY2(keys.size() == 2, qPrintable(error));
    const std::optional<SplitOutcome> split = merger.split(kept, keys.constLast().hash, 0, &error);
    QVERIFY2(split, qPrintable(error));
    counted = viewer->exec(QStringLiteral("SELECT count FROM issues WHERE id = $1"), { PgParam::integer(kept) });
    QVERIFY2(counted, qPrintable(counted.error().message));
    QCOMPARE(counted->int64(0, 0), 1);
}

QTEST_MAIN(TestPgSchema)
#include "tst_pg_schema.moc"
