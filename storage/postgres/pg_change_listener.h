#pragma once
// Live updates for a window viewing a PostgreSQL database (#18): every writer's
// commit notifies on one channel (statement triggers of schema version 20,
// pg_migrations.cpp); this listener holds its own connection, LISTENs, and
// waits on the socket in a thread of its own — no query runs while nothing
// changes. Bursts fold into at most one changed() per kCoalesceMs.
// A lost connection is connectionLost(reason); it then connects again with
// back-off (0.25 s doubling to 10 s, as the collector's writer) and says
// reconnected(): notifications sent meanwhile are gone, so whoever shows the
// data must read all of it again. Signals are emitted on the thread that owns
// the listener (queued from its thread), never after it is destroyed.
#include <QObject>
#include <QString>
#include <QStringList>

#include <chrono>
#include <memory>

namespace faultline {

class PgChangeListener : public QObject {
    Q_OBJECT
public:
    static constexpr const char *kChannel = "faultline_changes";
    static constexpr std::chrono::milliseconds kCoalesce { 100 };
    static constexpr std::chrono::milliseconds kFirstRetry { 250 };
    static constexpr std::chrono::milliseconds kLongestRetry { 10000 };

    explicit PgChangeListener(QString uri, QObject *parent = nullptr);
    ~PgChangeListener() override; // stop()s

    void start(); // connects on its thread; listening() when LISTEN is in effect
    void stop(); // wakes the thread and joins it; no signal after it returns

signals:
    // LISTEN is in effect (after the first connection and after each reconnection):
    // every commit from now on is heard.
    void listening();
    // What committed since the last signal, sorted: "events", "issues", "projects".
    void changed(const QStringList &kinds);
    // The connection is gone (or the first could not be made): what libpq said, password-free.
    void connectionLost(const QString &reason);
    // Listening again after connectionLost(): read everything again.
    void reconnected();

private:
    struct Worker;
    QString m_uri;
    int m_starts = 0; // tells a stopped worker's late signals from the running one's
    std::unique_ptr<Worker> m_worker;
};

} // namespace faultline
