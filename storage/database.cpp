#include "storage/database.h"

#include "model/page_shape.h"
#include "storage/file_safety.h"
#include "storage/migrations.h"
#include "storage/public_key.h"
#include "storage/statement.h"

#include <QDateTime>
#include <QDir>
#include <QStandardPaths>

#include <spdlog/spdlog.h>
#include <sqlite3.h>

#include <chrono>
#include <cstdint>
#include <thread>

namespace faultline {

namespace {

// page_shape(data): model/page_shape.h's hash, so SQL can group pages by it.
void pageShapeFunction(sqlite3_context *context, int, sqlite3_value **arguments)
{
    const auto *bytes = static_cast<const char *>(sqlite3_value_blob(arguments[0]));
    const int size = sqlite3_value_bytes(arguments[0]);
    const QByteArray hash = pageShapeHash(QByteArray::fromRawData(bytes ? bytes : "", size));
    sqlite3_result_text(context, hash.constData(), int(hash.size()), SQLITE_TRANSIENT);
}

int readUserVersion(sqlite3 *db)
{
    Statement statement(db, QStringLiteral("PRAGMA user_version"));
    return statement.step() ? int(statement.int64(0)) : -1;
}

bool hasAnyTable(sqlite3 *db)
{
    Statement statement(db, QStringLiteral("SELECT 1 FROM sqlite_schema LIMIT 1"));
    return statement.step();
}

bool insertDefaultProject(sqlite3 *db, QString *error)
{
    Statement insert(
        db, QStringLiteral("INSERT INTO projects(id, name, public_key, created_ms) VALUES (1, 'default', ?, ?)"));
    insert.bind(1, generatePublicKey());
    insert.bind(2, QDateTime::currentMSecsSinceEpoch());
    if (!insert.exec()) {
        *error = insert.error();
        return false;
    }
    return true;
}

// Applies the missing migrations, each in its own transaction. BEGIN IMMEDIATE
// and re-reading the version inside it make two processes opening the same
// new file at once apply each migration exactly once.
StorageError sqliteFailure(sqlite3 *db, const QString &detail)
{
    return storageErrorFromSqlite(sqlite3_extended_errcode(db), detail);
}

bool migrate(sqlite3 *db, StorageError *error)
{
    const auto &migrations = schemaMigrations();
    // Up to date (the usual case): no write lock needed, so opening never waits for a busy writer.
    if (readUserVersion(db) >= int(migrations.size()))
        return true;
    for (;;) {
        QString stepError;
        if (!execSql(db, "BEGIN IMMEDIATE", &stepError)) {
            *error = sqliteFailure(db, stepError);
            return false;
        }
        const int version = readUserVersion(db);
        if (version >= int(migrations.size())) {
            execSql(db, "COMMIT");
            return true;
        }
        bool ok = execSql(db, migrations[version], &stepError);
        if (ok && version == 0)
            ok = insertDefaultProject(db, &stepError);
        // PRAGMA takes no bound parameters; the value is our own integer.
        ok = ok
            && execSql(
                db, QStringLiteral("PRAGMA user_version = %1").arg(version + 1).toUtf8().constData(), &stepError);
        ok = ok && execSql(db, "COMMIT", &stepError);
        if (!ok) {
            *error = sqliteFailure(db, QStringLiteral("migration %1 failed: %2").arg(version + 1).arg(stepError));
            execSql(db, "ROLLBACK");
            return false;
        }
        spdlog::info("database schema migrated to version {}", version + 1);
    }
}

bool configureWriter(sqlite3 *db, StorageError *error)
{
    QString problem;
    // auto_vacuum only takes effect before the first table exists.
    if (!hasAnyTable(db) && !execSql(db, "PRAGMA auto_vacuum = INCREMENTAL", &problem)) {
        *error = sqliteFailure(db, problem);
        return false;
    }
    Statement wal(db, QStringLiteral("PRAGMA journal_mode = WAL"));
    if (!wal.step() || wal.text(0).toLower() != u"wal") {
        *error = wal.storageError(QStringLiteral("cannot switch to WAL mode"));
        if (wal.error().isEmpty())
            error->detail = QStringLiteral("cannot switch to WAL mode: %1").arg(wal.text(0));
        return false;
    }
    // An acknowledged event must survive a power cut; group commit pays for the fsync.
    if (!execSql(db, "PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; PRAGMA temp_store = MEMORY;", &problem)) {
        *error = sqliteFailure(db, problem);
        return false;
    }
    return true;
}

// SQLite's own busy handler (sqlite3_busy_timeout) sleeps longer and longer
// between tries, up to 100 ms. Under sustained ingest the event writer commits
// back to back and the lock is free only for microseconds between its
// transactions: tries that far apart missed it for seconds (a prune starved;
// `faultline projects add` waited up to 1.3 s during a flood). Trying every
// millisecond finds those gaps. The timeout is carried in the pointer.
int tryEveryMillisecond(void *timeoutMs, int attempts)
{
    if (attempts >= int(reinterpret_cast<intptr_t>(timeoutMs)))
        return 0;
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
    return 1;
}

} // namespace

void Database::setLockTimeout(sqlite3 *db, int timeoutMs)
{
    // SQLite hands its busy handler a pointer; the timeout travels in it as a number.
    // NOLINTNEXTLINE(performance-no-int-to-ptr)
    sqlite3_busy_handler(db, &tryEveryMillisecond, reinterpret_cast<void *>(intptr_t(timeoutMs)));
}

std::unique_ptr<Database> Database::open(const QString &path, Mode mode, QString *error)
{
    StorageResult<std::unique_ptr<Database>> opened = openChecked(path, mode);
    if (!opened) {
        if (error)
            *error = opened.error().detail;
        return nullptr;
    }
    return std::move(opened).value();
}

StorageResult<std::unique_ptr<Database>> Database::openChecked(const QString &path, Mode mode)
{
    using Kind = StorageError::Kind;
    if (const QString problem = sharedMemoryFileProblem(path); !problem.isEmpty())
        return StorageError { Kind::ReadOnly, problem };
    const int flags = mode == Mode::ReadWrite ? (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE) : SQLITE_OPEN_READONLY;
    sqlite3 *db = nullptr;
    const int rc = sqlite3_open_v2(path.toUtf8().constData(), &db, flags, nullptr);
    std::unique_ptr<Database> database(new Database(db, path));
    if (rc != SQLITE_OK)
        return storageErrorFromSqlite(rc,
            QStringLiteral("cannot open %1: %2").arg(path, db ? lastError(db) : QString::fromUtf8(sqlite3_errstr(rc))));
    sqlite3_extended_result_codes(db, 1);
    sqlite3_create_function_v2(
        db, "page_shape", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC, nullptr, pageShapeFunction, nullptr, nullptr, nullptr);
    // Readers wait for the writer's checkpoint, writers for each other, instead of failing at once.
    setLockTimeout(db, kLockTimeoutMs);

    if (mode == Mode::ReadWrite) {
        StorageError failure;
        if (!configureWriter(db, &failure) || !migrate(db, &failure))
            return failure;
    } else {
        execSql(db, "PRAGMA foreign_keys = ON; PRAGMA query_only = ON;");
    }

    const int version = readUserVersion(db);
    if (version < 0)
        return sqliteFailure(db, QStringLiteral("%1 is not a readable SQLite database: %2").arg(path, lastError(db)));
    if (version == 0)
        return StorageError { Kind::Incompatible,
            QStringLiteral("%1 is not a Faultline database (no schema)").arg(path) };
    if (version > latestSchemaVersion())
        return StorageError { Kind::Incompatible,
            QStringLiteral("%1 has schema version %2, newer than this Faultline understands (%3)")
                .arg(path)
                .arg(version)
                .arg(latestSchemaVersion()) };
    if (version < latestSchemaVersion())
        return StorageError { Kind::Incompatible,
            QStringLiteral("%1 has an old schema (version %2); open it once with Faultline to upgrade")
                .arg(path)
                .arg(version) };
    return database;
}

Database::~Database() { sqlite3_close_v2(m_db); }

int Database::storedSchemaVersion(const QString &path, QString *error)
{
    sqlite3 *db = nullptr;
    const int rc = sqlite3_open_v2(path.toUtf8().constData(), &db, SQLITE_OPEN_READONLY, nullptr);
    const std::unique_ptr<sqlite3, decltype(&sqlite3_close_v2)> closer(db, &sqlite3_close_v2);
    if (rc != SQLITE_OK) {
        if (error)
            *error = db ? lastError(db) : QString::fromUtf8(sqlite3_errstr(rc));
        return -1;
    }
    setLockTimeout(db, kLockTimeoutMs);
    const int version = readUserVersion(db);
    if (version < 0 && error)
        *error = lastError(db);
    return version;
}

int Database::schemaVersion() const { return readUserVersion(m_db); }

QString Database::defaultPath()
{
    // ~/.local/share/faultline, as before the organization name was set (AppDataLocation would
    // now add a second "faultline" and lose sight of existing databases).
    const QString dir
        = QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation) + QStringLiteral("/faultline");
    QDir().mkpath(dir);
    return dir + QStringLiteral("/faultline.db");
}

} // namespace faultline
