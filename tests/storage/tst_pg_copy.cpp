// `faultline db copy`'s engine (#18) on a throw-away PostgreSQL server: a
// SQLite database built through the real ingest path arrives whole (every
// table's rows, byte for byte, under the same ids) with its sequences past the
// copied ids; a copy interrupted between chunks resumes without duplicates and
// ends in the same state, and so does one whose COPY failed half way through a
// chunk; a target holding other data is refused.
#include "pg_copy_source.h"

#include "storage/postgres/pg_copy.h"
#include "storage/postgres/pg_copy_tables.h"
#include "storage/postgres/pg_migrations.h"
#include "support/pg_number.h"
#include "support/postgres_cluster.h"

#include <QFile>
#include <QTest>

#include <algorithm>

using namespace faultline;
using namespace faultline::test;

namespace {

constexpr int kMoreEvents = 40;

// The columns of a SQLite table, from SQLite itself (not from the copy's own
// choice of columns): name, and whether it holds bytes.
QList<std::pair<QString, bool>> sourceColumns(Database &db, const QString &table)
{
    QList<std::pair<QString, bool>> columns;
    Statement pragma(db.handle(), QStringLiteral("SELECT name, upper(type) = 'BLOB' FROM pragma_table_info(?)"));
    pragma.bind(1, table);
    while (pragma.step())
        columns.append({ pragma.text(0), pragma.int64(1) != 0 });
    return columns;
}

// One text per row (its columns joined), sorted: the same rows on both sides
// compare equal whatever order each engine returns them in.
QString rowSql(const QString &table, const QList<std::pair<QString, bool>> &columns, const QString &where, bool sqlite)
{
    QStringList exprs;
    for (const auto &[name, bytes] : columns) {
        const QString column = QStringLiteral("t.\"%1\"").arg(name);
        const QString text = !bytes ? QStringLiteral("CAST(%1 AS TEXT)").arg(column)
            : sqlite                ? QStringLiteral("lower(hex(%1))").arg(column)
                                    : QStringLiteral("encode(%1, 'hex')").arg(column);
        exprs.append(QStringLiteral("coalesce(%1, '-')").arg(text));
    }
    return QStringLiteral("SELECT %1 FROM \"%2\" t%3")
        .arg(exprs.join(QStringLiteral(" || '|' || ")), table,
            where.isEmpty() ? QString() : QStringLiteral(" WHERE ") + where);
}

QStringList sqliteRows(Database &db, const QString &table, const QString &where)
{
    Statement select(db.handle(), rowSql(table, sourceColumns(db, table), where, true));
    QStringList rows;
    while (select.step())
        rows.append(select.text(0));
    if (!select.error().isEmpty())
        qWarning() << select.error();
    std::sort(rows.begin(), rows.end());
    return rows;
}

QStringList postgresRows(Database &source, PgConnection &db, const QString &table, const QString &where)
{
    auto result = db.exec(rowSql(table, sourceColumns(source, table), where, false));
    QStringList rows;
    if (!result) {
        qWarning() << result.error().message;
        return rows;
    }
    for (int row = 0; row < result->rowCount(); ++row)
        rows.append(result->text(row, 0));
    std::sort(rows.begin(), rows.end());
    return rows;
}

} // namespace

class TestPgCopy : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void copiesEveryTableWithItsIds();
    void resumesAfterAnInterruptionWithoutDuplicates();
    void resumesAfterACopyFailedMidChunk();
    void refusesATargetHoldingOtherData();

private:
    std::unique_ptr<PgConnection> target(const QString &database);
    void compareEveryTable(PgConnection &target);

    PostgresCluster m_cluster;
    QTemporaryDir m_dir;
    QString m_sourcePath;
    std::unique_ptr<Database> m_source;
};

void TestPgCopy::initTestCase()
{
    QVERIFY2(m_cluster.startWithDatabase(), qPrintable(m_cluster.error()));
    m_sourcePath = m_dir.filePath(QStringLiteral("solo.db"));
    QVERIFY(buildCopySource(m_sourcePath, kMoreEvents));
    m_source = openOrFail(m_sourcePath, Database::Mode::ReadOnly);
    QVERIFY(m_source);
}

std::unique_ptr<PgConnection> TestPgCopy::target(const QString &database)
{
    if (!m_cluster.createDatabase(database)) {
        qWarning() << m_cluster.error();
        return nullptr;
    }
    auto connection = PgConnection::open(m_cluster.uri(database));
    if (!connection) {
        qWarning() << connection.error().message;
        return nullptr;
    }
    return std::move(connection).value();
}

void TestPgCopy::compareEveryTable(PgConnection &target)
{
    QList<CopiedTable> tables = catalogTables();
    tables << blobsTable() << eventsTable() << eventTagsTable() << attachmentsTable();
    for (const CopiedTable &table : tables) {
        const QStringList source = sqliteRows(*m_source, table.name, table.where);
        const QStringList copied = postgresRows(*m_source, target, table.name, table.where);
        QVERIFY2(!source.isEmpty(),
            qPrintable(QStringLiteral("the source has no %1: the test copies nothing").arg(table.name)));
        QVERIFY2(source == copied, qPrintable(table.name));
    }
    // Tags and attachments sit in their event's month.
    QCOMPARE(pgNumber(target,
                 QStringLiteral("SELECT count(*) FROM event_tags t JOIN events e ON e.id = t.event_row "
                                "AND e.received_ms = t.received_ms")),
        pgNumber(target, QStringLiteral("SELECT count(*) FROM event_tags")));
    QCOMPARE(pgNumber(target,
                 QStringLiteral("SELECT count(*) FROM event_ids i JOIN events e ON e.id = i.event_row "
                                "AND e.received_ms = i.received_ms AND e.event_id = i.event_id")),
        pgNumber(target, QStringLiteral("SELECT count(*) FROM events")));
    // What belongs to the machine stayed behind; what belongs to the data came along.
    QCOMPARE(pgNumber(target, QStringLiteral("SELECT count(*) FROM app_state WHERE key = 'collector_address'")), 0);
    QCOMPARE(pgNumber(target, QStringLiteral("SELECT count(*) FROM app_state WHERE key = 'notification_rules'")), 1);
}

void TestPgCopy::copiesEveryTableWithItsIds()
{
    auto db = target(QStringLiteral("whole"));
    QVERIFY(db);
    // As any Faultline that opened it first leaves it: migrated, with a default project nothing arrived for.
    QVERIFY(migratePostgres(*db));
    QVERIFY(db->exec(
        QStringLiteral("INSERT INTO projects(name, public_key, created_ms) VALUES ('default', 'unused-key', 0)")));
    QList<PgCopyProgress> seen;
    PgCopyOptions options;
    options.eventsPerChunk = 7;
    auto report
        = copySqliteToPostgres(*m_source, *db, options, [&](const PgCopyProgress &progress) { seen.append(progress); });
    QVERIFY2(report, qPrintable(report.error().message));
    QVERIFY(!report->resumed);
    QVERIFY(!report->stopped);
    QVERIFY(report->countsMatch());
    const qint64 events = scalar(*m_source, QStringLiteral("SELECT count(*) FROM events"));
    QCOMPARE(report->eventsCopied, events);
    QVERIFY(std::any_of(seen.cbegin(), seen.cend(),
        [&](const PgCopyProgress &p) { return p.phase == QLatin1String("events") && p.done == events; }));
    compareEveryTable(*db);

    QCOMPARE(
        pgNumber(*db,
            QStringLiteral("SELECT count(*) FROM issues WHERE status = 'resolved' AND substatus = 'next_release'")),
        1);
    QCOMPARE(pgNumber(*db,
                 QStringLiteral("SELECT count(*) FROM issues WHERE status = 'ignored' AND substatus = 'until_events'")),
        1);
    // What PostgreSQL makes next gets a new id, never one of the copied ones.
    const qint64 lastProject = scalar(*m_source, QStringLiteral("SELECT max(id) FROM projects"));
    QCOMPARE(pgNumber(*db,
                 QStringLiteral("INSERT INTO projects(name, public_key, created_ms) VALUES ('new', 'new', 0) "
                                "RETURNING id")),
        lastProject + 1);
    QCOMPARE(pgNumber(*db, QStringLiteral("SELECT nextval('events_id_seq')")),
        scalar(*m_source, QStringLiteral("SELECT max(id) FROM events")) + 1);
    QCOMPARE(pgNumber(*db,
                 QStringLiteral("INSERT INTO issues(project_id, fingerprint, first_seen_ms, last_seen_ms) "
                                "VALUES (1, 'new', 0, 0) RETURNING id")),
        scalar(*m_source, QStringLiteral("SELECT max(id) FROM issues")) + 1);
    // The generated search column indexed the copied text.
    QVERIFY(pgNumber(*db, QStringLiteral("SELECT count(*) FROM events WHERE search @@ 'payments'::tsquery")) > 0);
}

void TestPgCopy::resumesAfterAnInterruptionWithoutDuplicates()
{
    auto db = target(QStringLiteral("resumed"));
    QVERIFY(db);
    PgCopyOptions options;
    options.eventsPerChunk = 5;
    options.stopAfterChunks = 3; // the bodies' chunk, then two of events
    auto first = copySqliteToPostgres(*m_source, *db, options);
    QVERIFY2(first, qPrintable(first.error().message));
    QVERIFY(first->stopped);
    QVERIFY(first->counts.isEmpty());
    QCOMPARE(first->eventsCopied, 10);
    QCOMPARE(pgNumber(*db, QStringLiteral("SELECT count(*) FROM events")), 10);
    QCOMPARE(pgNumber(*db, QStringLiteral("SELECT count(*) FROM event_ids")), 10);

    options.stopAfterChunks = 2;
    auto second = copySqliteToPostgres(*m_source, *db, options);
    QVERIFY2(second, qPrintable(second.error().message));
    QVERIFY(second->resumed);
    QCOMPARE(second->eventsCopied, 10);
    QCOMPARE(pgNumber(*db, QStringLiteral("SELECT count(*) FROM events")), 20);

    options.stopAfterChunks = 0;
    auto last = copySqliteToPostgres(*m_source, *db, options);
    QVERIFY2(last, qPrintable(last.error().message));
    QVERIFY(last->resumed);
    QVERIFY(last->countsMatch());
    QCOMPARE(last->eventsCopied, scalar(*m_source, QStringLiteral("SELECT count(*) FROM events")) - 20);
    compareEveryTable(*db);

    // Run again once done: nothing more to copy, and the counts still match.
    auto again = copySqliteToPostgres(*m_source, *db, options);
    QVERIFY2(again, qPrintable(again.error().message));
    QVERIFY(again->resumed);
    QCOMPARE(again->eventsCopied, 0);
    QVERIFY(again->countsMatch());
}

void TestPgCopy::resumesAfterACopyFailedMidChunk()
{
    // A copy of the source with one event in its third chunk that PostgreSQL
    // cannot take (text in an integer column, which SQLite keeps as text).
    const QString brokenPath = m_dir.filePath(QStringLiteral("broken.db"));
    QVERIFY(QFile::copy(m_sourcePath, brokenPath));
    const auto broken = openOrFail(brokenPath);
    QVERIFY(broken);
    const qint64 thirdChunk = scalar(*broken, QStringLiteral("SELECT id FROM events ORDER BY id LIMIT 1 OFFSET 12"));
    QVERIFY(thirdChunk > 0);
    QVERIFY(execSql(broken->handle(),
        QStringLiteral("UPDATE events SET http_status = 'five hundred' WHERE id = %1")
            .arg(thirdChunk)
            .toUtf8()
            .constData()));

    auto db = target(QStringLiteral("failed_mid_chunk"));
    QVERIFY(db);
    PgCopyOptions options;
    options.eventsPerChunk = 5;
    auto failed = copySqliteToPostgres(*broken, *db, options);
    QVERIFY(!failed);
    QVERIFY2(failed.error().message.contains(QLatin1String("events.http_status")), qPrintable(failed.error().message));
    // The two chunks before it stay, none of the third: the COPY ended its transaction.
    QCOMPARE(pgNumber(*db, QStringLiteral("SELECT count(*) FROM events")), 10);
    QCOMPARE(pgNumber(*db, QStringLiteral("SELECT count(*) FROM event_ids")), 10);
    QCOMPARE(pgNumber(*db, QStringLiteral("SELECT count(*) FROM event_tags t WHERE event_row > $1"),
                 { PgParam::integer(
                     scalar(*broken, QStringLiteral("SELECT id FROM events ORDER BY id LIMIT 1 OFFSET 9"))) }),
        0);

    // Mended, the same command carries on from there and ends as a copy in one go does.
    QVERIFY(execSql(broken->handle(),
        QStringLiteral("UPDATE events SET http_status = 500 WHERE id = %1").arg(thirdChunk).toUtf8().constData()));
    auto resumed = copySqliteToPostgres(*broken, *db, options);
    QVERIFY2(resumed, qPrintable(resumed.error().message));
    QVERIFY(resumed->resumed);
    QVERIFY(resumed->countsMatch());
    QCOMPARE(resumed->eventsCopied, scalar(*broken, QStringLiteral("SELECT count(*) FROM events")) - 10);
}

void TestPgCopy::refusesATargetHoldingOtherData()
{
    auto busy = target(QStringLiteral("busy"));
    QVERIFY(busy);
    QVERIFY(migratePostgres(*busy));
    QVERIFY(busy->exec(QStringLiteral("INSERT INTO projects(name, public_key, created_ms) VALUES ('team', 'k', 0)")));
    auto refused = copySqliteToPostgres(*m_source, *busy);
    QVERIFY(!refused);
    QVERIFY2(refused.error().message.contains(QLatin1String("already holds")), qPrintable(refused.error().message));
    QCOMPARE(pgNumber(*busy, QStringLiteral("SELECT count(*) FROM projects")), 1);

    // A copy of another SQLite database is not this one's to resume.
    auto started = target(QStringLiteral("other"));
    QVERIFY(started);
    const QString otherPath = m_dir.filePath(QStringLiteral("other.db"));
    QVERIFY(openOrFail(otherPath)); // a fresh database: its own default project and key
    auto other = openOrFail(otherPath, Database::Mode::ReadOnly);
    PgCopyOptions options;
    options.stopAfterChunks = 1;
    QVERIFY(copySqliteToPostgres(*other, *started, options));
    auto foreign = copySqliteToPostgres(*m_source, *started);
    QVERIFY(!foreign);
    QVERIFY2(foreign.error().message.contains(QLatin1String("a copy of another database")),
        qPrintable(foreign.error().message));
}

QTEST_GUILESS_MAIN(TestPgCopy)
#include "tst_pg_copy.moc"
