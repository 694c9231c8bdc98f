#include "storage/postgres/pg_connection.h"

#include "storage/postgres/pg_host_lookup.h"
#include "storage/postgres/pg_host_plan.h"
#include "storage/postgres/pg_socket_wait.h"
#include "storage/postgres/pg_uri.h"

#include <QDeadlineTimer>

#include <QtGlobal>

#include <libpq-fe.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <optional>
#include <poll.h>

namespace faultline {

PgError::Kind pgErrorKind(const QString &sqlState)
{
    if (sqlState.isEmpty() || sqlState.startsWith(QLatin1String("08")) || sqlState.startsWith(QLatin1String("57P")))
        return PgError::Kind::Connection; // no answer, connection exceptions, the server shutting down
    if (sqlState.startsWith(QLatin1String("40")))
        return PgError::Kind::Conflict; // serialization_failure, deadlock_detected
    if (sqlState.startsWith(QLatin1String("23")))
        return PgError::Kind::Constraint;
    if (sqlState == QLatin1String("42501"))
        return PgError::Kind::Permission;
    return PgError::Kind::Query;
}

namespace {

// Server notices ("relation … already exists, skipping") go to the log, not to stderr.
void logNotice(void *, const char *message)
{
    spdlog::debug("PostgreSQL: {}", QByteArray(message).trimmed().toStdString());
}

} // namespace

PgRows::PgRows(pg_result *result)
    : m_result(result, PQclear)
{
}

int PgRows::rowCount() const { return m_result ? PQntuples(m_result.get()) : 0; }

qint64 PgRows::affectedRows() const { return m_result ? QByteArray(PQcmdTuples(m_result.get())).toLongLong() : 0; }

bool PgRows::isNull(int row, int column) const { return PQgetisnull(m_result.get(), row, column) != 0; }

QByteArray PgRows::bytes(int row, int column) const
{
    return QByteArray(PQgetvalue(m_result.get(), row, column), PQgetlength(m_result.get(), row, column));
}

QString PgRows::text(int row, int column) const { return QString::fromUtf8(bytes(row, column)); }

qint64 PgRows::int64(int row, int column) const
{
    return QByteArray::fromRawData(PQgetvalue(m_result.get(), row, column), PQgetlength(m_result.get(), row, column))
        .toLongLong();
}

bool PgRows::boolean(int row, int column) const { return *PQgetvalue(m_result.get(), row, column) == 't'; }

namespace {

// What PQconnect*Params gets: our defaults first, the user's string last (libpq
// expands `dbname` when it holds a URI or key=value string, and the last value
// of a keyword wins), so a URI or PG* variable may say otherwise.
struct ConnectParams {
    std::vector<const char *> keys;
    std::vector<const char *> values;
};

// `hosts`: the addresses looked up beforehand (openStoppable), after the user's string so they win.
ConnectParams connectParams(const QByteArray &conninfo, bool keepalives, const PgHostAddresses *hosts = nullptr)
{
    ConnectParams params { { "fallback_application_name", "client_encoding" }, { "faultline", "UTF8" } };
    auto add = [&params](const char *key, const char *value) {
        params.keys.push_back(key);
        params.values.push_back(value);
    };
    if (!qEnvironmentVariableIsSet("PGCONNECT_TIMEOUT"))
        add("connect_timeout", "10"); // never wait forever on a host that does not answer
    if (keepalives) { // idle 20 s, then 4 probes 10 s apart: a dead peer is noticed within a minute
        add("keepalives_idle", "20");
        add("keepalives_interval", "10");
        add("keepalives_count", "4");
    }
    add("dbname", conninfo.constData());
    if (hosts) {
        add("host", hosts->host.constData());
        add("hostaddr", hosts->hostaddr.constData());
        if (!hosts->port.isEmpty())
            add("port", hosts->port.constData());
    }
    add(nullptr, nullptr);
    return params;
}

QString whereFor(const QString &logName) { return logName.isEmpty() ? QStringLiteral("(PG* environment)") : logName; }

PgError cannotConnect(const QString &logName, const QString &why)
{
    return PgError { PgError::Kind::Connection, {},
        QStringLiteral("cannot connect to PostgreSQL at %1: %2").arg(whereFor(logName), why) };
}

// The plan's names looked up while `stopFd` can still interrupt (libpq would
// block in getaddrinfo()): their addresses, or an error when stopped or when
// no host is left.
PgResult<PgHostAddresses> lookUpHosts(const PgHostPlan &plan, int stopFd, const QString &logName)
{
    const QList<QByteArray> names = plan.names();
    PgHostLookup lookup(names);
    const PgHostLookup::Wait waited = lookup.wait(stopFd);
    if (waited == PgHostLookup::Wait::Stopped)
        return cannotConnect(logName, QStringLiteral("stopped while looking up the host name"));
    if (waited == PgHostLookup::Wait::Failed)
        return cannotConnect(logName,
            QStringLiteral("waiting for the host name look-up failed: %1")
                .arg(QString::fromLocal8Bit(std::strerror(errno))));
    QHash<QByteArray, PgLookedUp> lookedUp;
    for (int i = 0; i < names.size(); ++i)
        lookedUp.insert(names[i], { lookup.addresses(i), lookup.error(i) });
    PgHostAddresses hosts = withAddresses(plan, lookedUp);
    if (hosts.host.isEmpty())
        return cannotConnect(logName, hosts.unresolved.join(u'\n'));
    return hosts;
}

// The connect_timeout libpq settled on (URI, PG* variable or ours), in ms; -1: none.
int connectTimeoutMs(pg_conn *connection)
{
    int seconds = 0;
    PQconninfoOption *options = PQconninfo(connection);
    for (PQconninfoOption *option = options; option && option->keyword; ++option) {
        if (qstrcmp(option->keyword, "connect_timeout") == 0 && option->val)
            seconds = QByteArray(option->val).toInt();
    }
    PQconninfoFree(options);
    return seconds > 0 ? std::max(seconds, 2) * 1000 : -1; // libpq too treats less than 2 s as 2
}

} // namespace

PgResult<std::unique_ptr<PgConnection>> PgConnection::open(const QString &connectionString)
{
    const QByteArray conninfo = connectionString.toUtf8();
    const ConnectParams params = connectParams(conninfo, false);
    return adopt(PQconnectdbParams(params.keys.data(), params.values.data(), 1), connectionString);
}

PgResult<std::unique_ptr<PgConnection>> PgConnection::openStoppable(const QString &connectionString, int stopFd)
{
    const QByteArray conninfo = connectionString.toUtf8();
    const QString logName = connectionStringForLog(connectionString);
    std::optional<PgHostAddresses> hosts;
    if (const std::optional<PgHostPlan> plan = hostsToLookUp(conninfo)) {
        PgResult<PgHostAddresses> lookedUp = lookUpHosts(*plan, stopFd, logName);
        if (!lookedUp)
            return lookedUp.error();
        hosts = std::move(lookedUp).value();
    }
    const ConnectParams params = connectParams(conninfo, true, hosts ? &*hosts : nullptr);
    PgResult<std::unique_ptr<PgConnection>> connected
        = connectStoppably(PQconnectStartParams(params.keys.data(), params.values.data(), 1), stopFd, connectionString);
    if (connected || !hosts || hosts->unresolved.isEmpty())
        return connected;
    PgError error = connected.error(); // the hosts left out say why too
    error.message += u'\n' + hosts->unresolved.join(u'\n');
    return error;
}

PgResult<std::unique_ptr<PgConnection>> PgConnection::connectStoppably(
    pg_conn *connection, int stopFd, const QString &connectionString)
{
    if (!connection || PQstatus(connection) == CONNECTION_BAD)
        return adopt(connection, connectionString);
    QDeadlineTimer deadline(connectTimeoutMs(connection));
    // libpq's protocol for a connection made without blocking: start as if it
    // said "writing", wait for what it asks, poll again until it is done.
    PostgresPollingStatusType polling = PGRES_POLLING_WRITING;
    while (polling != PGRES_POLLING_OK && polling != PGRES_POLLING_FAILED) {
        const int remainingMs = deadline.isForever() ? -1 : int(deadline.remainingTime());
        const SocketWait waited
            = waitForSocket(PQsocket(connection), polling == PGRES_POLLING_WRITING, stopFd, remainingMs);
        if (waited != SocketWait::Ready) {
            PQfinish(connection);
            return cannotConnect(connectionStringForLog(connectionString),
                waited == SocketWait::Stopped ? QStringLiteral("stopped") : QStringLiteral("timeout expired"));
        }
        polling = PQconnectPoll(connection);
    }
    return adopt(connection, connectionString);
}

PgResult<std::unique_ptr<PgConnection>> PgConnection::adopt(pg_conn *connection, const QString &connectionString)
{
    const QString logName = connectionStringForLog(connectionString);
    if (!connection)
        return PgError { PgError::Kind::Connection, {}, QStringLiteral("out of memory connecting to PostgreSQL") };
    if (PQstatus(connection) != CONNECTION_OK) {
        PgError error = cannotConnect(logName, QString::fromUtf8(PQerrorMessage(connection)).trimmed());
        PQfinish(connection);
        return error;
    }
    PQsetNoticeProcessor(connection, logNotice, nullptr);
    std::unique_ptr<PgConnection> opened(new PgConnection(connection, connectionString));
    if (PgStatus configured = opened->configureSession(); !configured)
        return configured.error();
    return opened;
}

PgConnection::PgConnection(pg_conn *connection, QString connectionString)
    : m_connection(connection)
    , m_connectionString(std::move(connectionString))
    , m_logName(connectionStringForLog(m_connectionString))
{
}

PgConnection::~PgConnection() { PQfinish(m_connection); }

// The durability promise (#18): a commit returns after its WAL is flushed on
// the server, whatever the server's default or the role's setting says. No JIT:
// the issue list's per-issue probes are estimated far above jit_above_cost, and
// compiling them cost 1.8 s of a 2.4 s filter at a million events; none of
// Faultline's statements runs long enough to win that back. The issue list
// checks its sets of issue ids as hashes (query_sql.cpp); a set the planner
// expects to outgrow work_mem is run again for every issue instead, so the
// default 4 MB (a few hundred thousand ids) would make a large database's list slower
// by orders of magnitude, not by degrees. 64 MB holds millions.
PgStatus PgConnection::configureSession()
{
    return execScript("SET synchronous_commit = on; SET jit = off; SET work_mem = '64MB'");
}

PgError PgConnection::errorOf(pg_result *result) const
{
    const QString sqlState = result ? QString::fromLatin1(PQresultErrorField(result, PG_DIAG_SQLSTATE)) : QString();
    QString message = result ? QString::fromUtf8(PQresultErrorMessage(result)).trimmed() : QString();
    if (message.isEmpty())
        message = QString::fromUtf8(PQerrorMessage(m_connection)).trimmed();
    PgError::Kind kind = pgErrorKind(sqlState);
    if (PQstatus(m_connection) == CONNECTION_BAD)
        kind = PgError::Kind::Connection;
    return PgError { kind, sqlState, message };
}

namespace {

bool succeeded(pg_result *result)
{
    const ExecStatusType status = PQresultStatus(result);
    return result && (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK);
}

struct RawParams {
    std::vector<const char *> values;
    std::vector<int> lengths;
    std::vector<int> formats;
};

RawParams rawParams(const PgParams &params)
{
    RawParams raw;
    for (const PgParam &param : params) {
        raw.values.push_back(param.isNull ? nullptr : param.bytes.constData());
        raw.lengths.push_back(int(param.bytes.size()));
        raw.formats.push_back(param.isBinary ? 1 : 0);
    }
    return raw;
}

} // namespace

PgResult<PgRows> PgConnection::exec(const QString &sql, const PgParams &params)
{
    const RawParams raw = rawParams(params);
    return finish(PQexecParams(m_connection, sql.toUtf8().constData(), int(params.size()), nullptr, raw.values.data(),
        raw.lengths.data(), raw.formats.data(), 0));
}

PgStatus PgConnection::execScript(const char *sql)
{
    const PgResult<PgRows> done = finish(PQexec(m_connection, sql));
    return done ? PgStatus(PgDone {}) : PgStatus(done.error());
}

PgStatus PgConnection::prepare(const QByteArray &name, const QString &sql)
{
    const PgResult<PgRows> done
        = finish(PQprepare(m_connection, name.constData(), sql.toUtf8().constData(), 0, nullptr));
    return done ? PgStatus(PgDone {}) : PgStatus(done.error());
}

PgResult<PgRows> PgConnection::execPrepared(const QByteArray &name, const PgParams &params)
{
    const RawParams raw = rawParams(params);
    return finish(PQexecPrepared(m_connection, name.constData(), int(params.size()), raw.values.data(),
        raw.lengths.data(), raw.formats.data(), 0));
}

PgStatus PgConnection::startCopyIn(const QString &sql)
{
    pg_result *result = PQexec(m_connection, sql.toUtf8().constData());
    if (PQresultStatus(result) == PGRES_COPY_IN) {
        PQclear(result);
        return PgDone {};
    }
    const PgResult<PgRows> answered = finish(result);
    if (!answered)
        return answered.error();
    return PgError { PgError::Kind::Query, {}, QStringLiteral("not a COPY FROM STDIN: %1").arg(sql.left(80)) };
}

PgStatus PgConnection::putCopyData(const QByteArray &data)
{
    if (data.isEmpty() || PQputCopyData(m_connection, data.constData(), int(data.size())) == 1)
        return PgDone {};
    return errorOf(nullptr);
}

PgResult<qint64> PgConnection::endCopy(const QString &abortReason)
{
    const QByteArray reason = abortReason.toUtf8();
    if (PQputCopyEnd(m_connection, abortReason.isEmpty() ? nullptr : reason.constData()) != 1)
        return errorOf(nullptr);
    const PgResult<PgRows> ended = finish(PQgetResult(m_connection));
    while (pg_result *more = PQgetResult(m_connection)) // until the command's results end
        PQclear(more);
    if (!ended)
        return ended.error();
    return ended->affectedRows();
}

PgResult<PgRows> PgConnection::finish(pg_result *result) const
{
    if (!succeeded(result)) {
        PgError error = errorOf(result);
        PQclear(result);
        return error;
    }
    return PgRows(result);
}

PgStatus PgConnection::inLockedTransaction(qint64 lockKey, const std::function<PgStatus()> &work)
{
    PgStatus done = begin();
    if (done) {
        auto locked = exec(QStringLiteral("SELECT pg_advisory_xact_lock($1)"), { PgParam::integer(lockKey) });
        done = locked ? work() : PgStatus(locked.error());
    }
    if (done)
        done = commit();
    if (!done)
        rollback();
    return done;
}

PgStatus PgConnection::beginWith(const char *opening)
{
    QByteArray script("BEGIN; SET LOCAL synchronous_commit = on");
    if (opening)
        script.append("; ").append(opening);
    return execScript(script.constData());
}

void PgConnection::rollback()
{
    if (PQtransactionStatus(m_connection) != PQTRANS_IDLE)
        PQclear(PQexec(m_connection, "ROLLBACK"));
}

bool PgConnection::isConnected() const { return PQstatus(m_connection) == CONNECTION_OK; }

bool PgConnection::isAlive()
{
    if (!isConnected())
        return false;
    if (PQtransactionStatus(m_connection) != PQTRANS_IDLE)
        return true; // inside a transaction: whatever waits is its answer, not a goodbye
    pollfd socket { PQsocket(m_connection), POLLIN, 0 };
    if (::poll(&socket, 1, 0) <= 0)
        return true; // nothing arrived: still there, as far as anyone can tell without asking
    return PQconsumeInput(m_connection) != 0 && isConnected();
}

PgStatus PgConnection::reconnect(int stopFd)
{
    // Not PQreset(): libpq would look the host names up again itself, and a
    // name server that does not answer would hold the caller's stop.
    PgResult<std::unique_ptr<PgConnection>> fresh = openStoppable(m_connectionString, stopFd);
    if (!fresh)
        return fresh.error();
    std::swap(m_connection, fresh.value()->m_connection); // `fresh` finishes the broken one
    return PgDone {};
}

int PgConnection::serverVersion() const { return PQserverVersion(m_connection); }

int PgConnection::backendPid() const { return PQbackendPID(m_connection); }

int PgConnection::socketDescriptor() const { return PQsocket(m_connection); }

PgResult<QList<QByteArray>> PgConnection::takeNotifications()
{
    if (PQconsumeInput(m_connection) == 0 || PQstatus(m_connection) != CONNECTION_OK)
        return PgError { PgError::Kind::Connection, {}, QString::fromUtf8(PQerrorMessage(m_connection)).trimmed() };
    QList<QByteArray> payloads;
    while (PGnotify *notification = PQnotifies(m_connection)) {
        payloads.append(QByteArray(notification->extra));
        PQfreemem(notification);
    }
    return payloads;
}

} // namespace faultline
