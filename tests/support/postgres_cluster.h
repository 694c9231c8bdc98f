#pragma once
// A throw-away PostgreSQL server for the tests of the PostgreSQL backend
// (#18): initdb in a temporary directory, pg_ctl on a free port of 127.0.0.1
// with its socket in that directory, stopped and deleted by the destructor.
// The server runs as an unprivileged user: the current one, or, when the tests
// run as root (CI, this machine), the `postgres` system user of Debian's
// postgresql package, since initdb refuses to run as root. Its bootstrap
// superuser is "faultline", trusted without password (only this machine can
// reach it). One per test binary: initdb costs about a second.
//
// A test starts it with startWithDatabase() (or, for a migrated database and a
// connection to it, startMigrated() in support/postgres_database.h). A cluster
// that cannot start fails the test, never skips it: CI and scripts/install-deps
// bring PostgreSQL, so a machine without it is a broken set-up, not a reason.
#include <QProcessEnvironment>
#include <QString>
#include <QStringList>

#include <memory>

class QTemporaryDir;

namespace faultline::test {

class PostgresCluster {
public:
    PostgresCluster();
    ~PostgresCluster(); // stops the server (immediately) and deletes its directory
    PostgresCluster(const PostgresCluster &) = delete;
    PostgresCluster &operator=(const PostgresCluster &) = delete;

    // initdb + pg_ctl start, then CREATE DATABASE `database` when one is named.
    // False, and in error() what went wrong, when any step failed:
    //   QVERIFY2(m_cluster.startWithDatabase(QStringLiteral("name")), qPrintable(m_cluster.error()));
    bool startWithDatabase(const QString &database = {});
    QString error() const { return m_error; }

    // A clean restart (pg_ctl restart -m fast), or a crash and recovery:
    // `immediate` stops without a checkpoint, so what survives is what the WAL holds.
    bool restart(bool immediate = false);
    // An outage in two steps, for tests that look at what clients see while
    // the server is away: stop (fast: clients are disconnected), then start it again.
    bool stop();
    bool startAgain();

    // CREATE DATABASE `name` (an identifier of the test's own choosing).
    bool createDatabase(const QString &name);
    // postgresql://faultline@127.0.0.1:PORT/DATABASE over TCP, as a user writes one.
    QString uri(const QString &database) const;
    // The same through the Unix socket in the cluster's directory.
    QString socketUri(const QString &database) const;
    quint16 port() const { return m_port; }
    QString socketDirectory() const;
    QString serverLog() const;

private:
    bool start();
    bool run(const QString &tool, const QStringList &arguments, int timeoutMs, bool asServerUser);
    bool writeConfiguration();
    bool startServer();

    std::unique_ptr<QTemporaryDir> m_dir;
    QString m_binDir;
    bool m_asPostgresUser = false;
    bool m_running = false;
    quint16 m_port = 0;
    QString m_error;
};

} // namespace faultline::test
