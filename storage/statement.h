#pragma once
// A prepared SQLite statement that finalizes itself, binds QVariant values and
// reads columns as Qt types. Every SQL string in storage/ goes through it, so
// values are always bound, never spliced into the text.
#include "storage/storage_error.h"

#include <QByteArray>
#include <QString>
#include <QVariant>
#include <QVariantList>

struct sqlite3;
struct sqlite3_stmt;

namespace faultline {

class Statement {
public:
    Statement() = default;
    Statement(sqlite3 *db, const QString &sql);
    ~Statement();
    Statement(Statement &&other) noexcept;
    Statement &operator=(Statement &&other) noexcept;
    Statement(const Statement &) = delete;
    Statement &operator=(const Statement &) = delete;

    bool isValid() const { return m_stmt != nullptr; }
    QString error() const { return m_error; }
    // The last error as a kind (SQLite's code mapped), `what` put before its message.
    StorageError storageError(const QString &what = {}) const;
    // After step() found no row: the error that stopped it (SQLite's words: the caller says
    // what it was reading), or NotFound (`what`) when there was none.
    StorageError noRow(const QString &what) const;

    // Positions are 1-based, as in SQLite.
    void bind(int position, const QVariant &value);
    void bindAll(const QVariantList &values, int firstPosition = 1);
    // Without QVariant and without a copy, for the writer's per-event
    // statements: the bytes must stay alive and unchanged until reset().
    void bindText(int position, const QByteArray &utf8);
    void bindBlob(int position, const QByteArray &bytes);
    void bindInt64(int position, qint64 value);

    // SQLITE_ROW → true; done or error → false (error() then non-empty).
    bool step();
    // Runs to completion; false on error.
    bool exec();
    void reset(); // also clears bindings, so the statement can be reused

    qint64 int64(int column) const;
    QString text(int column) const;
    QByteArray blob(int column) const;
    bool isNull(int column) const;
    bool isInteger(int column) const; // stored as an integer (not text or a real that reads as one)

private:
    sqlite3 *m_db = nullptr;
    sqlite3_stmt *m_stmt = nullptr;
    QString m_error;
    int m_errorCode = 0;
};

// Runs SQL without results (several statements allowed); false and *error on failure.
bool execSql(sqlite3 *db, const char *sql, QString *error = nullptr);
QString lastError(sqlite3 *db);
// Rows changed by the last INSERT/UPDATE/DELETE on `db`.
int changedRows(sqlite3 *db);

} // namespace faultline
