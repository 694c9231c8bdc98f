#pragma once
// A collector serving a fresh database in a temporary directory, with the writer
// it hands events to: what the collector tests (and the dropped-events view's)
// start once in initTestCase. Built as its own library so that model and storage
// tests do not link the collector.
#include "collector/collector.h"
#include "storage/event_queries.h"
#include "storage/event_writer.h"
#include "storage/project_store.h"

#include <QByteArray>
#include <QTemporaryDir>

#include <memory>
#include <optional>

namespace faultline::test {

class RunningCollector {
public:
    // Creates the database (with its default project) and starts the writer and a
    // collector on a free port with `options` (its port is overridden).
    bool start(CollectorOptions options = {}, QString *error = nullptr);
    void stop(); // the collector, then the writer (as the app does)

    QString dbPath() const { return m_dbPath; }
    const Project &project() const { return m_project; }
    quint16 port() const { return m_collector ? m_collector->port() : 0; }
    Collector &collector() { return *m_collector; }
    EventWriter &writer() { return *m_writer; }

    // The default project's ingest paths and its key as each header form carries it.
    QByteArray storePath() const;
    QByteArray envelopePath() const;
    QByteArray sentryAuth(const QByteArray &version = {}) const; // X-Sentry-Auth value
    QByteArray publicKey() const { return m_project.publicKey.toUtf8(); }

    // The stored row of an event, read through a connection of its own.
    std::optional<EventRow> storedEvent(const QString &eventId) const;

private:
    QTemporaryDir m_dir;
    QString m_dbPath;
    Project m_project;
    std::unique_ptr<EventWriter> m_writer;
    std::unique_ptr<Collector> m_collector;
};

} // namespace faultline::test
