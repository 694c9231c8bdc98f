#pragma once
// Opening a Faultline SQLite database: WAL mode, numbered migrations, and the
// default project on a fresh file.
#include "storage/storage_error.h"

#include <QString>

#include <memory>

struct sqlite3;

namespace faultline {

class Database {
public:
    enum class Mode { ReadWrite, ReadOnly };

    // Opens (creating when ReadWrite) and migrates. On failure returns null and sets *error.
    static std::unique_ptr<Database> open(const QString &path, Mode mode, QString *error);
    // The same, with what went wrong as a kind (busy, read-only, corrupt, incompatible schema…).
    static StorageResult<std::unique_ptr<Database>> openChecked(const QString &path, Mode mode);
    ~Database();
    Database(const Database &) = delete;
    Database &operator=(const Database &) = delete;

    sqlite3 *handle() const { return m_db; }
    QString path() const { return m_path; }
    int schemaVersion() const;

    static QString defaultPath(); // $XDG_DATA_HOME/faultline/faultline.db
    // The schema version stored in an existing file, read without changing it: 0 for an empty
    // file, -1 when it is no readable SQLite database (and why in *error). For start-up checks.
    static int storedSchemaVersion(const QString &path, QString *error);

    // How long a connection waits for a lock another connection holds; every
    // connection gets kLockTimeoutMs when it opens.
    static constexpr int kLockTimeoutMs = 5000;
    static void setLockTimeout(sqlite3 *db, int timeoutMs);

private:
    Database(sqlite3 *db, QString path)
        : m_db(db)
        , m_path(std::move(path))
    {
    }
    sqlite3 *m_db;
    QString m_path;
};

} // namespace faultline
