#include "app/postgres_viewer.h"

#include "storage/event_writer.h"
#include "storage/postgres/pg_change_listener.h"
#include "storage/postgres/pg_connection.h"
#include "storage/postgres/pg_migrations.h"
#include "storage/postgres/pg_uri.h"
#include "ui/main_window.h"

#include <QCoreApplication>

#include <spdlog/spdlog.h>

namespace faultline {

namespace {

constexpr int kLiveUpdatesSchemaVersion = 20; // the triggers that notify (pg_migrations.cpp)

QString tr(const char *text) { return QCoreApplication::translate("PostgresViewer", text); }

StartupFailure failureOf(StartupProblem problem, const QString &uri, const QString &detail)
{
    StartupFailure failure;
    failure.problem = problem;
    failure.dbPath = connectionStringForLog(uri);
    failure.detail = detail;
    return failure;
}

StartupProblem problemOf(const PgError &error)
{
    return error.kind == PgError::Kind::Connection ? StartupProblem::DatabaseUnreachable
                                                   : StartupProblem::DatabaseUnopenable;
}

} // namespace

std::optional<StartupFailure> checkPostgresForWindow(const QString &uri, QString *warning, int stopFd)
{
    const auto connection = PgConnection::openStoppable(uri, stopFd);
    if (!connection)
        return failureOf(problemOf(connection.error()), uri, connection.error().message);
    const PgResult<int> version = postgresSchemaVersion(*connection.value());
    if (!version)
        return failureOf(problemOf(version.error()), uri, version.error().message);
    if (version.value() == 0)
        return failureOf(StartupProblem::DatabaseUnopenable, uri,
            tr("it holds no Faultline database yet: start `faultline --headless --db URI` once, which creates it"));
    if (version.value() > latestPostgresSchemaVersion())
        return failureOf(StartupProblem::DatabaseTooNew, uri,
            tr("schema version %1; this Faultline knows up to %2")
                .arg(version.value())
                .arg(latestPostgresSchemaVersion()));
    // A window does not migrate a shared database: older collectors would then refuse to start.
    if (version.value() < kLiveUpdatesSchemaVersion && warning)
        *warning = tr("No live updates: this database is at schema version %1, live updates need %2. Start a "
                      "collector of this Faultline once (it migrates the database), then open the window again.")
                       .arg(version.value())
                       .arg(kLiveUpdatesSchemaVersion);
    return std::nullopt;
}

QString postgresViewerStatus(const QString &uri)
{
    return tr("PostgreSQL viewer: %1").arg(connectionStringForLog(uri));
}

void connectLiveUpdates(PgChangeListener &listener, MainWindow &window, const QString &uri)
{
    QObject::connect(&listener, &PgChangeListener::changed, &window, [&window](const QStringList &kinds) {
        spdlog::debug("live update from PostgreSQL: {}", kinds.join(QStringLiteral(", ")).toStdString());
        window.onBatchCommitted(BatchSummary {}); // the same refresh as after a batch of this process
    });
    const QString disconnected = tr("Disconnected from PostgreSQL (%1), retrying… What is shown stays as it was.")
                                     .arg(postgresServerName(uri));
    QObject::connect(&listener, &PgChangeListener::connectionLost, &window,
        [&window, disconnected](const QString &reason) { window.setStorageWarning(disconnected, reason); });
    QObject::connect(&listener, &PgChangeListener::reconnected, &window, [&window]() {
        window.setStorageWarning({});
        window.refreshNow(); // what was committed while away told nobody: read it all
    });
}

} // namespace faultline
