// Opening a database: schema and pragmas on a fresh file, reopening, read-only
// access beside a writer, and refusing files it cannot handle.
#include "storage_test_helpers.h"

#include "model/query/query_parser.h"
#include "storage/database_stats.h"
#include "storage/migrations.h"
#include "storage/project_store.h"
#include "storage/query_sql.h"
#include "storage/statement.h"

#include <QProcess>
#include <QRegularExpression>

#include <atomic>
#include <chrono>
#include <future>
#include <latch>
#include <memory>
#include <thread>

using namespace faultline;
using namespace faultline::test;

namespace {

QString pragma(Database &db, const char *name)
{
    Statement statement(db.handle(), QStringLiteral("PRAGMA %1").arg(QLatin1String(name)));
    return statement.step() ? statement.text(0) : QStringLiteral("<error: %1>").arg(statement.error());
}

} // namespace

class TestDatabase : public QObject {
    Q_OBJECT

private slots:
    void init();
    void freshFileIsMigrated();
    void reopenKeepsDataAndKey();
    void readOnlyMissingFileFails();
    void readOnlyCannotWrite();
    void readOnlySeesCommittedDataWhileWriterIsBusy();
    void writersWaitForTheLockUpToTheirTimeout();
    void newerSchemaIsRefused();
    void notAFaultlineDatabase();
    void fileSizeCountsTheLog();
    void frameSearchMigrationKeepsTheIndex();

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    QString m_path;
};

void TestDatabase::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_path = m_dir->filePath(QStringLiteral("faultline.db"));
}

void TestDatabase::freshFileIsMigrated()
{
    auto db = openOrFail(m_path);
    QVERIFY(db);
    QCOMPARE(db->schemaVersion(), latestSchemaVersion());
    QCOMPARE(db->path(), m_path);
    QCOMPARE(pragma(*db, "journal_mode"), QStringLiteral("wal"));
    QCOMPARE(pragma(*db, "synchronous"), QStringLiteral("2")); // FULL
    QCOMPARE(pragma(*db, "foreign_keys"), QStringLiteral("1"));
    QCOMPARE(pragma(*db, "auto_vacuum"), QStringLiteral("2")); // INCREMENTAL
    QCOMPARE(pragma(*db, "temp_store"), QStringLiteral("2")); // MEMORY: no temp files per search-index run

    for (const char *table : { "projects", "issues", "events", "event_tags", "attachments", "attachment_blobs",
             "events_fts", "discarded" }) {
        Statement exists(db->handle(), QStringLiteral("SELECT 1 FROM sqlite_schema WHERE name = ?"));
        exists.bind(1, QString::fromLatin1(table));
        QVERIFY2(exists.step(), table);
    }
    Statement plan(db->handle(),
        QStringLiteral("EXPLAIN QUERY PLAN SELECT id FROM issues WHERE project_id = 1 AND status = 'unresolved' ORDER "
                       "BY last_seen_ms DESC"));
    QVERIFY(plan.step());
    QVERIFY2(plan.text(3).contains(QLatin1String("issues_by_project_status_last_seen")), qPrintable(plan.text(3)));

    // Free-text search maps matching events to issues through the dense index, not the rows.
    const SqlFilter text = issueFilterSql(parseQuery(QStringLiteral("timeout")).value(), 0);
    Statement textPlan(
        db->handle(), QStringLiteral("EXPLAIN QUERY PLAN SELECT id FROM issues WHERE %1").arg(text.where));
    QStringList steps;
    while (textPlan.step())
        steps.append(textPlan.text(3));
    const QString plannedSteps = steps.join(u'\n');
    QVERIFY2(plannedSteps.contains(QLatin1String("COVERING INDEX events_issue_by_row")), qPrintable(plannedSteps));

    const auto projects = ProjectStore(*db).all();
    QCOMPARE(projects.size(), 1);
    QCOMPARE(projects[0].id, 1);
    QCOMPARE(projects[0].name, QStringLiteral("default"));
    QVERIFY(QRegularExpression(QStringLiteral("^[0-9a-f]{32}$")).match(projects[0].publicKey).hasMatch());
    QVERIFY(projects[0].createdMs > 0);
}

void TestDatabase::reopenKeepsDataAndKey()
{
    QString key;
    {
        auto db = openOrFail(m_path);
        key = ProjectStore(*db).all().at(0).publicKey;
        QVERIFY(ProjectStore(*db).add(QStringLiteral("shop"))->id > 0);
    }
    auto db = openOrFail(m_path);
    QVERIFY(db);
    QCOMPARE(db->schemaVersion(), latestSchemaVersion());
    const auto projects = ProjectStore(*db).all();
    QCOMPARE(projects.size(), 2);
    QCOMPARE(projects[0].publicKey, key); // not seeded again
    QCOMPARE(projects[1].name, QStringLiteral("shop"));
}

void TestDatabase::readOnlyMissingFileFails()
{
    QString error;
    auto db = Database::open(m_path, Database::Mode::ReadOnly, &error);
    QVERIFY(!db);
    QVERIFY2(error.contains(m_path), qPrintable(error));
    QVERIFY(!QFile::exists(m_path)); // read-only never creates
}

void TestDatabase::readOnlyCannotWrite()
{
    QVERIFY(openOrFail(m_path));
    auto db = openOrFail(m_path, Database::Mode::ReadOnly);
    QVERIFY(db);
    QString error;
    QVERIFY(!execSql(db->handle(), "DELETE FROM projects", &error));
    QVERIFY(!error.isEmpty());
    QCOMPARE(ProjectStore(*db).all().size(), 1);
}

void TestDatabase::readOnlySeesCommittedDataWhileWriterIsBusy()
{
    auto writer = openOrFail(m_path);
    auto reader = openOrFail(m_path, Database::Mode::ReadOnly);
    QVERIFY(reader);
    QVERIFY(execSql(
        writer->handle(), "BEGIN IMMEDIATE; INSERT INTO projects(name, public_key, created_ms) VALUES ('x', 'k', 0);"));
    // WAL: the reader neither blocks nor sees the uncommitted row.
    QCOMPARE(ProjectStore(*reader).all().size(), 1);
    QVERIFY(execSql(writer->handle(), "COMMIT"));
    QCOMPARE(ProjectStore(*reader).all().size(), 2);
}

void TestDatabase::writersWaitForTheLockUpToTheirTimeout()
{
    auto holder = openOrFail(m_path);
    auto waiter = openOrFail(m_path);
    QVERIFY(holder && waiter);
    // The holder takes the write lock, says so, and keeps it until `release` is set; `releasing`
    // is raised just before its COMMIT, so a waiter that got the lock must see it raised.
    std::promise<void> locked;
    std::promise<void> release;
    std::atomic<bool> releasing = false;
    std::thread held([&] {
        execSql(holder->handle(), "BEGIN IMMEDIATE");
        locked.set_value();
        release.get_future().wait();
        releasing = true;
        execSql(holder->handle(), "COMMIT");
    });
    locked.get_future().wait();

    // A shorter timeout gives up while the lock is still held, with "locked".
    Database::setLockTimeout(waiter->handle(), 50);
    QString error;
    QVERIFY(!execSql(waiter->handle(), "BEGIN IMMEDIATE", &error));
    QVERIFY2(error.contains(QLatin1String("locked")), qPrintable(error));
    QVERIFY(!releasing);

    // The default timeout waits: released 200 ms later, the lock passes to the waiter.
    Database::setLockTimeout(waiter->handle(), Database::kLockTimeoutMs);
    std::thread releaser([&release] {
        std::this_thread::sleep_for(std::chrono::milliseconds(200)); // the holder's work, not a synchronisation
        release.set_value();
    });
    QVERIFY2(execSql(waiter->handle(), "BEGIN IMMEDIATE", &error), qPrintable(error));
    QVERIFY(releasing);
    QVERIFY(execSql(waiter->handle(), "COMMIT"));
    releaser.join();
    held.join();
}

void TestDatabase::newerSchemaIsRefused()
{
    {
        auto db = openOrFail(m_path);
        QVERIFY(execSql(db->handle(), "PRAGMA user_version = 99"));
    }
    for (auto mode : { Database::Mode::ReadWrite, Database::Mode::ReadOnly }) {
        QString error;
        QVERIFY(!Database::open(m_path, mode, &error));
        QVERIFY2(error.contains(QLatin1String("newer")), qPrintable(error));
    }
}

void TestDatabase::notAFaultlineDatabase()
{
    QFile file(m_path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("this is not sqlite");
    file.close();
    QString error;
    QVERIFY(!Database::open(m_path, Database::Mode::ReadOnly, &error));
    QVERIFY(!error.isEmpty());
    QVERIFY(!Database::open(m_path, Database::Mode::ReadWrite, &error));
}

void TestDatabase::fileSizeCountsTheLog()
{
    auto db = openOrFail(m_path);
    const qint64 before = databaseFileSize(*db);
    QVERIFY(before > 0);
    QVERIFY(execSql(db->handle(), "INSERT INTO projects(name, public_key, created_ms) VALUES ('x', 'k', 0)"));
    QVERIFY(databaseFileSize(*db) >= before);
    QCOMPARE(databaseFileSize(*db), QFileInfo(m_path).size() + QFileInfo(m_path + QStringLiteral("-wal")).size());
}

void TestDatabase::frameSearchMigrationKeepsTheIndex()
{
    // A file as version 7 left it: one event in the search index, one still pending.
    QByteArray sql;
    for (int version = 0; version < 7; ++version)
        sql += QByteArray(schemaMigrations().at(version)) + '\n';
    sql += "INSERT INTO projects VALUES (1, 'default', 'k', 0);"
           "INSERT INTO issues(id, project_id, fingerprint, title, first_seen_ms, last_seen_ms)"
           "  VALUES (1, 1, 'f', 't', 0, 0);"
           "INSERT INTO events(id, event_id, issue_id, project_id, timestamp_ms, received_ms, title, culprit, raw,"
           "  raw_size) VALUES (1, 'a', 1, 1, 0, 0, 'TimeoutError: upstream', 'app in fetch', x'00', 1),"
           "  (2, 'b', 1, 1, 0, 0, 'KeyError: pending', 'app in load', x'00', 1);"
           "INSERT INTO events_fts(rowid, title, message, exception_values, culprit)"
           "  VALUES (1, 'TimeoutError: upstream', '', '', 'app in fetch');"
           "INSERT INTO fts_pending VALUES (2);"
           "PRAGMA user_version = 7;";
    QProcess sqlite;
    sqlite.start(QStringLiteral("sqlite3"), { m_path });
    QVERIFY(sqlite.waitForStarted());
    sqlite.write(sql);
    sqlite.closeWriteChannel();
    QVERIFY(sqlite.waitForFinished(30000));
    QVERIFY2(sqlite.exitCode() == 0, sqlite.readAllStandardError().constData());

    auto db = openOrFail(m_path);
    QVERIFY(db);
    QCOMPARE(db->schemaVersion(), latestSchemaVersion());
    const QString matches = QStringLiteral("SELECT count(*) FROM events_fts WHERE events_fts MATCH ?");
    QCOMPARE(scalar(*db, matches, { QStringLiteral("upstream") }), 1);
    QCOMPARE(scalar(*db, matches, { QStringLiteral("pending") }), 1); // indexed by the rebuild…
    QCOMPARE(scalar(*db, QStringLiteral("SELECT count(*) FROM fts_pending")), 0); // …so not again
    QCOMPARE(scalar(*db, QStringLiteral("SELECT count(*) FROM events WHERE frames = ''")), 2);

    // Deleting keeps the external-content index in step (the trigger names the new column).
    Statement remove(db->handle(), QStringLiteral("DELETE FROM events WHERE id = 2"));
    QVERIFY2(remove.exec(), qPrintable(remove.error()));
    QCOMPARE(scalar(*db, matches, { QStringLiteral("pending") }), 0);
    Statement check(db->handle(), QStringLiteral("INSERT INTO events_fts(events_fts) VALUES ('integrity-check')"));
    QVERIFY2(check.exec(), qPrintable(check.error()));
}

QTEST_GUILESS_MAIN(TestDatabase)
#include "tst_database.moc"
