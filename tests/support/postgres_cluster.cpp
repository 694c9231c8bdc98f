#include "support/postgres_cluster.h"

#include <QCollator>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QHostAddress>
#include <QProcess>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QUrl>

#include <pwd.h>
#include <unistd.h>

#include <algorithm>

namespace faultline::test {

namespace {

// Where Debian (and Ubuntu) put the server binaries: the newest version
// installed, unless FAULTLINE_PG_BINDIR names one, or initdb is on PATH.
QString serverBinDir()
{
    const QString fromEnvironment = qEnvironmentVariable("FAULTLINE_PG_BINDIR");
    if (!fromEnvironment.isEmpty())
        return fromEnvironment;
    QStringList versions = QDir(QStringLiteral("/usr/lib/postgresql")).entryList(QDir::Dirs | QDir::NoDotAndDotDot);
    QCollator numeric;
    numeric.setNumericMode(true);
    std::sort(versions.begin(), versions.end(), numeric);
    for (auto it = versions.crbegin(); it != versions.crend(); ++it) {
        const QString dir = QStringLiteral("/usr/lib/postgresql/%1/bin").arg(*it);
        if (QFile::exists(dir + QStringLiteral("/initdb")))
            return dir;
    }
    const QString initdb = QStandardPaths::findExecutable(QStringLiteral("initdb"));
    return initdb.isEmpty() ? QString() : QFileInfo(initdb).absolutePath();
}

quint16 freeLocalPort()
{
    QTcpServer probe;
    return probe.listen(QHostAddress::LocalHost, 0) ? probe.serverPort() : 0;
}

// What the test's own environment must not change: a PGHOST or PGPORT of the
// developer's would point the client tools at another server.
QProcessEnvironment toolEnvironment()
{
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    for (const QString &key : environment.keys())
        if (key.startsWith(QLatin1String("PG")))
            environment.remove(key);
    return environment;
}

} // namespace

PostgresCluster::PostgresCluster() = default;

PostgresCluster::~PostgresCluster()
{
    if (m_running)
        run(QStringLiteral("pg_ctl"),
            { QStringLiteral("-D"), m_dir->filePath(QStringLiteral("data")), QStringLiteral("-m"),
                QStringLiteral("immediate"), QStringLiteral("-w"), QStringLiteral("stop") },
            30000, true);
}

bool PostgresCluster::start()
{
    m_binDir = serverBinDir();
    if (m_binDir.isEmpty()) {
        m_error = QStringLiteral("no PostgreSQL server binaries (initdb) in /usr/lib/postgresql/*/bin or on "
                                 "PATH: scripts/install-deps installs Debian's postgresql");
        return false;
    }
    uid_t serverUid = geteuid();
    gid_t serverGid = getegid();
    m_asPostgresUser = serverUid == 0;
    if (m_asPostgresUser) {
        const passwd *postgres = getpwnam("postgres");
        if (!postgres) {
            m_error = QStringLiteral("the tests run as root, initdb refuses to run as root, and there is no "
                                     "`postgres` system user to run the server as (Debian's postgresql "
                                     "package creates it)");
            return false;
        }
        if (QStandardPaths::findExecutable(QStringLiteral("runuser"),
                { QStringLiteral("/usr/sbin"), QStringLiteral("/sbin"), QStringLiteral("/usr/bin") })
                .isEmpty()) {
            m_error = QStringLiteral("the tests run as root and runuser(1), needed to start the server as the "
                                     "`postgres` user, is missing");
            return false;
        }
        serverUid = postgres->pw_uid;
        serverGid = postgres->pw_gid;
    }
    m_dir = std::make_unique<QTemporaryDir>(QDir::tempPath() + QStringLiteral("/faultline-pg-XXXXXX"));
    if (!m_dir->isValid()) {
        m_error = QStringLiteral("cannot make a temporary directory: %1").arg(m_dir->errorString());
        return false;
    }
    if (m_asPostgresUser && chown(QFile::encodeName(m_dir->path()).constData(), serverUid, serverGid) != 0) {
        m_error = QStringLiteral("cannot give %1 to the postgres user").arg(m_dir->path());
        return false;
    }
    // --no-sync and fsync = off (below): the tests crash and restart the
    // server, never the machine, and what a commit must survive there is the
    // WAL the server wrote before answering (synchronous_commit still waits
    // for that write). Flushing it to the disk too would cost seconds per test binary.
    if (!run(QStringLiteral("initdb"),
            { QStringLiteral("-D"), m_dir->filePath(QStringLiteral("data")), QStringLiteral("-U"),
                QStringLiteral("faultline"), QStringLiteral("-A"), QStringLiteral("trust"), QStringLiteral("-E"),
                QStringLiteral("UTF8"), QStringLiteral("--no-locale"), QStringLiteral("--no-sync"),
                QStringLiteral("--no-instructions") },
            60000, true))
        return false;
    for (int attempt = 0; attempt < 3; ++attempt) { // another process may take the port between probe and bind
        m_port = freeLocalPort();
        if (m_port != 0 && writeConfiguration() && startServer())
            return true;
    }
    return false;
}

bool PostgresCluster::startWithDatabase(const QString &database)
{
    if (m_running) {
        m_error = QStringLiteral("the cluster was started already");
        return false;
    }
    return start() && (database.isEmpty() || createDatabase(database));
}

bool PostgresCluster::writeConfiguration()
{
    QFile configuration(m_dir->filePath(QStringLiteral("data/postgresql.conf")));
    if (!configuration.open(QIODevice::Append | QIODevice::Text)) {
        m_error = QStringLiteral("cannot write %1").arg(configuration.fileName());
        return false;
    }
    // Later lines win, so a retry on another port only appends.
    configuration.write(QStringLiteral("\nlisten_addresses = '127.0.0.1'\nport = %1\nunix_socket_directories = '%2'\n"
                                       "max_connections = 40\nshared_buffers = 16MB\ntimezone = 'UTC'\nfsync = off\n")
                            .arg(m_port)
                            .arg(socketDirectory())
                            .toUtf8());
    return true;
}

bool PostgresCluster::startServer()
{
    m_running = run(QStringLiteral("pg_ctl"),
        { QStringLiteral("-D"), m_dir->filePath(QStringLiteral("data")), QStringLiteral("-l"),
            m_dir->filePath(QStringLiteral("server.log")), QStringLiteral("-w"), QStringLiteral("-t"),
            QStringLiteral("60"), QStringLiteral("start") },
        70000, true);
    if (!m_running)
        m_error += QStringLiteral("\nserver log:\n") + serverLog();
    return m_running;
}

bool PostgresCluster::restart(bool immediate)
{
    return run(QStringLiteral("pg_ctl"),
        { QStringLiteral("-D"), m_dir->filePath(QStringLiteral("data")), QStringLiteral("-l"),
            m_dir->filePath(QStringLiteral("server.log")), QStringLiteral("-m"),
            immediate ? QStringLiteral("immediate") : QStringLiteral("fast"), QStringLiteral("-w"),
            QStringLiteral("-t"), QStringLiteral("60"), QStringLiteral("restart") },
        70000, true);
}

bool PostgresCluster::stop()
{
    const bool stopped = run(QStringLiteral("pg_ctl"),
        { QStringLiteral("-D"), m_dir->filePath(QStringLiteral("data")), QStringLiteral("-m"), QStringLiteral("fast"),
            QStringLiteral("-w"), QStringLiteral("-t"), QStringLiteral("60"), QStringLiteral("stop") },
        70000, true);
    m_running = m_running && !stopped;
    return stopped;
}

bool PostgresCluster::startAgain() { return startServer(); }

bool PostgresCluster::createDatabase(const QString &name)
{
    return run(QStringLiteral("createdb"),
        { QStringLiteral("-h"), socketDirectory(), QStringLiteral("-p"), QString::number(m_port), QStringLiteral("-U"),
            QStringLiteral("faultline"), name },
        30000, false);
}

QString PostgresCluster::uri(const QString &database) const
{
    return QStringLiteral("postgresql://faultline@127.0.0.1:%1/%2").arg(m_port).arg(database);
}

QString PostgresCluster::socketUri(const QString &database) const
{
    return QStringLiteral("postgresql:///%1?host=%2&port=%3&user=faultline")
        .arg(database, QString::fromLatin1(QUrl::toPercentEncoding(socketDirectory())), QString::number(m_port));
}

QString PostgresCluster::socketDirectory() const { return m_dir ? m_dir->path() : QString(); }

QString PostgresCluster::serverLog() const
{
    QFile log(m_dir->filePath(QStringLiteral("server.log")));
    return log.open(QIODevice::ReadOnly) ? QString::fromUtf8(log.readAll()) : QString();
}

bool PostgresCluster::run(const QString &tool, const QStringList &arguments, int timeoutMs, bool asServerUser)
{
    QProcess process;
    process.setProcessEnvironment(toolEnvironment());
    process.setProcessChannelMode(QProcess::MergedChannels);
    const QString program = m_binDir + u'/' + tool;
    if (asServerUser && m_asPostgresUser)
        process.start(QStringLiteral("runuser"),
            QStringList { QStringLiteral("-u"), QStringLiteral("postgres"), QStringLiteral("--"), program }
                + arguments);
    else
        process.start(program, arguments);
    if (!process.waitForFinished(timeoutMs) || process.exitStatus() != QProcess::NormalExit
        || process.exitCode() != 0) {
        m_error = QStringLiteral("%1 %2 failed: %3")
                      .arg(tool, arguments.join(u' '), QString::fromLocal8Bit(process.readAll()).trimmed());
        if (process.state() != QProcess::NotRunning) {
            process.kill();
            process.waitForFinished();
        }
        return false;
    }
    return true;
}

} // namespace faultline::test
