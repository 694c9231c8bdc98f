#pragma once
// One libpq connection (RAII): opened from a URI or key=value string that
// libpq completes from PG* environment variables and service files, with
// `synchronous_commit = on` for the session, so a COMMIT that returned is on
// the server's disk. SQL runs with bound parameters only (PQexecParams /
// prepared statements); values travel as text, bytea as binary. Not thread-safe:
// one connection per thread, as with SQLite.
#include "storage/postgres/pg_result.h"

#include <QByteArray>
#include <QList>
#include <QString>

#include <functional>
#include <memory>
#include <vector>

struct pg_conn;
struct pg_result;

namespace faultline {

// One bound parameter.
struct PgParam {
    QByteArray bytes;
    bool isNull = false;
    bool isBinary = false; // sent in binary format (bytea)

    static PgParam text(const QString &value) { return { value.toUtf8() }; }
    static PgParam text(const QByteArray &utf8) { return { utf8 }; }
    static PgParam integer(qint64 value) { return { QByteArray::number(value) }; }
    static PgParam bytea(const QByteArray &value) { return { value, false, true }; }
    static PgParam null() { return { {}, true }; }
};
using PgParams = std::vector<PgParam>;

// The rows of one statement; cheap to copy (the result is shared).
class PgRows {
public:
    PgRows() = default;
    explicit PgRows(pg_result *result);

    int rowCount() const;
    qint64 affectedRows() const; // INSERT/UPDATE/DELETE: rows changed
    bool isNull(int row, int column) const;
    QByteArray bytes(int row, int column) const; // text columns as UTF-8; bytea as the server's text form
    QString text(int row, int column) const;
    qint64 int64(int row, int column) const;
    bool boolean(int row, int column) const; // 't' / 'f'

private:
    std::shared_ptr<pg_result> m_result;
};

class PgConnection {
public:
    static PgResult<std::unique_ptr<PgConnection>> open(const QString &connectionString);
    // As open(), for a thread that must stay stoppable (pg_change_listener.h):
    // connects without blocking and gives up as soon as `stopFd` (the read end
    // of a pipe) turns readable — also while a host name is being looked up,
    // which Faultline does itself where it can read the hosts as libpq does
    // (pg_host_plan.h, pg_host_lookup.h) and then hands libpq the addresses.
    // TCP keepalives are on, so a network that silently drops an idle
    // connection is noticed in about a minute, not hours.
    static PgResult<std::unique_ptr<PgConnection>> openStoppable(const QString &connectionString, int stopFd);
    ~PgConnection();
    PgConnection(const PgConnection &) = delete;
    PgConnection &operator=(const PgConnection &) = delete;

    // One statement with bound parameters ($1, $2…).
    PgResult<PgRows> exec(const QString &sql, const PgParams &params = {});
    // Fixed SQL of this build only (DDL, migrations): several statements, no parameters.
    PgStatus execScript(const char *sql);
    PgStatus prepare(const QByteArray &name, const QString &sql);
    PgResult<PgRows> execPrepared(const QByteArray &name, const PgParams &params);
    // COPY … FROM STDIN: startCopyIn runs the statement, putCopyData sends the
    // input in the format it names (in pieces of any size), endCopy ends it and
    // says how many rows went in; given `abortReason`, the COPY fails instead.
    PgStatus startCopyIn(const QString &sql);
    PgStatus putCopyData(const QByteArray &data);
    PgResult<qint64> endCopy(const QString &abortReason = {});

    // Runs `work` in one transaction that holds pg_advisory_xact_lock(lockKey):
    // sessions asking for the same key wait until it ends. Commits when
    // `work` succeeds, rolls back otherwise.
    PgStatus inLockedTransaction(qint64 lockKey, const std::function<PgStatus()> &work);

    // Every transaction commits durably on its own, not through the session's
    // setting (configureSession()): behind a pooler in transaction mode
    // (PgBouncer) it may run on a server session that says otherwise.
    PgStatus begin() { return beginWith(nullptr); }
    // The same, with more statements of the transaction's own (`opening`: "SET LOCAL …", "LOCK TABLE …")
    // in the same round trip.
    PgStatus beginWith(const char *opening);
    PgStatus commit() { return execScript("COMMIT"); }
    void rollback(); // best effort: a lost connection has nothing to roll back

    bool isConnected() const;
    // Without a round trip: false when the server closed an idle connection (its
    // goodbye or end of stream is waiting on the socket), which isConnected() only
    // learns at the next statement.
    bool isAlive();
    // After the connection broke (a server restart, a network cut): connects
    // again with the same connection string and session settings, as
    // openStoppable() does, so `stopFd` ends it also while a host name is
    // looked up. Prepared statements are gone.
    PgStatus reconnect(int stopFd = -1);
    // The connection string as it may be logged (password masked).
    QString logName() const { return m_logName; }
    int serverVersion() const; // e.g. 150018

    // For a session that waits for LISTEN's notifications: the socket to wait
    // on, and the payloads that arrived since the last call (of every channel
    // it listens to). A Connection error when the server went away.
    int socketDescriptor() const;
    PgResult<QList<QByteArray>> takeNotifications();
    int backendPid() const;

private:
    PgConnection(pg_conn *connection, QString connectionString);
    // Takes a connection libpq made from `connectionString`: ours when it is up, its error otherwise.
    static PgResult<std::unique_ptr<PgConnection>> adopt(pg_conn *connection, const QString &connectionString);
    // Drives a connection PQconnectStart*() began until it is up, failed, timed out or stopped.
    static PgResult<std::unique_ptr<PgConnection>> connectStoppably(
        pg_conn *connection, int stopFd, const QString &connectionString);
    PgStatus configureSession();
    PgResult<PgRows> finish(pg_result *result) const; // takes the result; its rows or its error
    PgError errorOf(pg_result *result) const;

    pg_conn *m_connection = nullptr;
    QString m_connectionString; // as given: reconnect() looks its hosts up again
    QString m_logName;
};

} // namespace faultline
