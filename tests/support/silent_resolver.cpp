#include "support/silent_resolver.h"

#include "support/postgres_cluster.h"

#include <QCoreApplication>
#include <QFile>
#include <QProcess>
#include <QUrl>

#include <arpa/inet.h>
#include <cerrno>
#include <cstring>
#include <net/if.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <unistd.h>

namespace faultline::test {

namespace {

// Where the child finds the parent's cluster (withCluster(), clusterBehindName()).
constexpr const char *kSocketDirectoryVariable = "FAULTLINE_TEST_PG_SOCKET_DIRECTORY";
constexpr const char *kPortVariable = "FAULTLINE_TEST_PG_PORT";

QString systemError(int error) { return QString::fromLocal8Bit(std::strerror(error)); }

QString bringUpLoopback()
{
    const int control = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    ifreq loopback {};
    std::strncpy(loopback.ifr_name, "lo", IFNAMSIZ - 1);
    bool up = control >= 0 && ::ioctl(control, SIOCGIFFLAGS, &loopback) == 0;
    if (up) {
        loopback.ifr_flags = short(loopback.ifr_flags | IFF_UP);
        up = ::ioctl(control, SIOCSIFFLAGS, &loopback) == 0;
    }
    const int upError = errno;
    if (control >= 0)
        ::close(control);
    return up ? QString() : QStringLiteral("bringing up the loopback: %1").arg(systemError(upError));
}

// `file` (open) over `target`, holding `content`.
QString mountOver(QTemporaryFile &file, const char *target, const QByteArray &content)
{
    if (!file.open())
        return QStringLiteral("a temporary file: %1").arg(file.errorString());
    file.write(content);
    file.flush();
    if (::mount(QFile::encodeName(file.fileName()).constData(), target, nullptr, MS_BIND, nullptr) != 0)
        return QStringLiteral("mounting over %1: %2").arg(QLatin1String(target), systemError(errno));
    return {};
}

} // namespace

QProcessEnvironment withCluster(QProcessEnvironment environment, const PostgresCluster &cluster)
{
    environment.insert(QString::fromLatin1(kSocketDirectoryVariable), cluster.socketDirectory());
    environment.insert(QString::fromLatin1(kPortVariable), QString::number(cluster.port()));
    return environment;
}

namespace {

// `database` on the parent's cluster through its socket, after `firstHost` when there is one (with the
// cluster's port); empty without a cluster.
QString clusterUri(const QString &firstHost, const QString &database)
{
    const QString socketDirectory = qEnvironmentVariable(kSocketDirectoryVariable);
    const QString port = qEnvironmentVariable(kPortVariable);
    if (socketDirectory.isEmpty() || port.isEmpty())
        return {};
    const QString socket = QString::fromLatin1(QUrl::toPercentEncoding(socketDirectory));
    const QString hosts = firstHost.isEmpty() ? QStringLiteral("%1:%2").arg(socket, port)
                                              : QStringLiteral("%1:%2,%3:%2").arg(firstHost, port, socket);
    return QStringLiteral("postgresql://faultline@%1/%2").arg(hosts, database);
}

} // namespace

QString parentCluster(const QString &database) { return clusterUri({}, database); }

QString clusterBehindName(const QString &name, const QString &database) { return clusterUri(name, database); }

IsolatedRun runBehindASilentResolver(const char *childArgument, const QProcessEnvironment &environment, int timeoutMs)
{
    QProcessEnvironment childEnvironment = environment;
    for (const char *name : { "RES_OPTIONS", "LOCALDOMAIN", "HOSTALIASES" }) // they would override resolv.conf
        childEnvironment.remove(QString::fromLatin1(name));
    QStringList namespaces { QStringLiteral("--mount"), QStringLiteral("--net") };
    if (::geteuid() != 0)
        namespaces = QStringList { QStringLiteral("--user"), QStringLiteral("--map-root-user") } + namespaces;
    QProcess child;
    child.setProcessEnvironment(childEnvironment);
    child.start(QStringLiteral("unshare"),
        namespaces + QStringList { QCoreApplication::applicationFilePath(), QString::fromLatin1(childArgument) });
    IsolatedRun run;
    if (!child.waitForFinished(timeoutMs)) {
        child.kill();
        child.waitForFinished();
        run.failure = QStringLiteral("the child behind a silent resolver did not finish within %1 s:\n%2")
                          .arg(timeoutMs / 1000)
                          .arg(QString::fromLocal8Bit(child.readAllStandardOutput()));
        return run;
    }
    const QString out = QString::fromLocal8Bit(child.readAllStandardOutput());
    const QString err = QString::fromLocal8Bit(child.readAllStandardError());
    if (child.exitCode() == kCannotIsolate || err.startsWith(QLatin1String("unshare:")))
        run.skipReason = QStringLiteral("cannot run a resolver of our own here: %1").arg(err.trimmed());
    else if (child.exitStatus() != QProcess::NormalExit || child.exitCode() != 0
        || !out.contains(QLatin1String(", 0 failed, ")))
        run.failure = out + err;
    else if (!out.contains(QLatin1String(", 0 skipped")))
        run.skipReason = out;
    return run;
}

SilentResolver::~SilentResolver() { close(); }

QString SilentResolver::isolate()
{
    if (const QString reason = bringUpLoopback(); !reason.isEmpty())
        return reason;
    if (const QString reason
        = mountOver(m_resolvConf, "/etc/resolv.conf", "nameserver 127.0.0.1\noptions timeout:30 attempts:5\n");
        !reason.isEmpty())
        return reason;
    return mountOver(m_hosts, "/etc/hosts", "127.0.0.1 localhost\n");
}

bool SilentResolver::listen()
{
    m_socket = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    sockaddr_in address {};
    address.sin_family = AF_INET;
    address.sin_port = htons(53);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    return m_socket >= 0 && ::bind(m_socket, reinterpret_cast<const sockaddr *>(&address), sizeof address) == 0;
}

void SilentResolver::close()
{
    if (m_socket >= 0)
        ::close(m_socket);
    m_socket = -1;
}

bool SilentResolver::waitForQuery(int timeoutMs)
{
    pollfd server { m_socket, POLLIN, 0 };
    return ::poll(&server, 1, timeoutMs) == 1;
}

int SilentResolver::queriesReceived()
{
    int count = 0;
    char datagram[512];
    while (::recv(m_socket, datagram, sizeof datagram, 0) >= 0)
        ++count;
    return count;
}

bool SilentResolver::setHosts(const QByteArray &lines)
{
    return m_hosts.resize(0) && m_hosts.seek(0) && m_hosts.write(lines) == lines.size() && m_hosts.flush();
}

} // namespace faultline::test
