#pragma once
// What the tests of the window on PostgreSQL share (#18): a throw-away cluster
// whose database is as a collector's first start leaves it (schema and default
// project, as `faultline --headless --db URI` makes them), captured client
// events written by the collector's EventWriter (into it, and into a SQLite
// file for the tests that compare), and a MainWindow opened on a
// StorageGateway as a desktop opens one.
#include "list_waits.h"
#include "ui_test_data.h"

#include "storage/backend.h"
#include "storage/storage_gateway.h"
#include "support/postgres_cluster.h"
#include "ui/main_window.h"

#include <QSettings>

#include <memory>

namespace faultline::test {

// Every captured error event, a minute apart, the first five hours before `nowMs`; the
// envelope's keeps its 500.html, as the collector stores it.
inline QList<IncomingEvent> fixtureEventsOverHours(qint64 nowMs)
{
    QList<IncomingEvent> events;
    qint64 received = nowMs - 5 * 3600'000;
    for (const QString &name : eventFixtureNames()) {
        events.append(fixtureIncoming(name, received += 60'000));
        events.last().attachments = fixtureAttachments(name);
    }
    return events;
}

// `events` written by a fresh EventWriter at `location` (a SQLite file or a PostgreSQL URI),
// as a collector commits them; false, with a warning saying why, when one was not committed.
[[nodiscard]] inline bool writeAsCollector(const QString &location, const QList<IncomingEvent> &events)
{
    EventWriter writer(location, WriterOptions { 10000, 512 });
    QString error;
    if (!writer.start(&error)) {
        qWarning() << "the writer did not start:" << error;
        return false;
    }
    const auto written = writeAndWait(writer, events);
    if (!written)
        return false;
    for (const WriteOutcome &outcome : *written)
        if (!outcome.committed) {
            qWarning() << "not committed:" << outcome.error;
            return false;
        }
    return true;
}

class PostgresWindowFixture {
public:
    // A cluster with the database `name`, made as a collector's first start makes it, and no
    // saved window settings. False, with a warning saying why, when any of it failed.
    [[nodiscard]] bool start(const QString &name)
    {
        QSettings().clear();
        m_database = name;
        if (!m_cluster.startWithDatabase(name)) {
            qWarning() << m_cluster.error();
            return false;
        }
        auto created = openStorageBackend(uri(), BackendUse::Create);
        if (!created) {
            qWarning() << created.error().detail;
            return false;
        }
        m_owner = std::move(created).value();
        return true;
    }

    QString uri() const { return m_cluster.uri(m_database); }
    PostgresCluster &cluster() { return m_cluster; }
    const PostgresCluster &cluster() const { return m_cluster; }
    // The tables' owner, on a connection of its own: checks or changes what a test needs
    // around the window (merges, refusals, what the window stored).
    StorageBackend &owner() const { return *m_owner; }

private:
    PostgresCluster m_cluster; // declared first: stops after the connection below closed
    QString m_database;
    std::unique_ptr<StorageBackend> m_owner;
};

// A MainWindow on `storage` as a desktop opens one (the default view: no saved query) at
// 1400×900, shown, its list read. `dbPath` is the location the window names.
inline std::unique_ptr<MainWindow> openTestWindow(StorageGateway &storage, const QString &dbPath)
{
    QSettings().remove(QStringLiteral("issueList/query"));
    MainWindowContext context;
    context.dbPath = dbPath;
    context.storage = &storage;
    context.collectorStatus = []() { return CollectorStatus(); };
    auto window = std::make_unique<MainWindow>(context);
    window->resize(1400, 900);
    window->show();
    if (!listSettled(*window))
        qWarning() << "the list did not load";
    return window;
}

} // namespace faultline::test
