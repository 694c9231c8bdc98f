#pragma once
// Records the collector's refusals for the dropped-events view: called from
// the HTTP threads, it merges them in memory (one entry per project and
// reason, the latest example kept) and writes them every few seconds on a
// thread of its own, through its own connection, so a flood of bad requests
// costs one small transaction per interval and never waits for the disk.
// The database is a SQLite file or a PostgreSQL URI (#18): RefusalSink is
// the one part that differs. Destroying it never waits for the network: a
// PostgreSQL connect or host name look-up under way gives up, and what could
// not be written then is logged as lost.
#include "storage/dropped_events.h"
#include "storage/stop_pipe.h"

#include <QList>
#include <QString>

#include <chrono>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <thread>
#include <utility>

namespace faultline {

// Where DropLog's merged refusals go, per backend (openRefusalSink picks it).
class RefusalSink {
public:
    virtual ~RefusalSink() = default;
    // Adds the counts (in the hour of nowMs) and the newer examples, in one transaction.
    virtual bool add(const QList<DropRecord> &records, qint64 nowMs, QString *error) = 0;
};

// SQLite for a file path, PostgreSQL for a postgresql:// URI. Connects when first used;
// on PostgreSQL, giving up when `stopFd` (a StopPipe's read end) turns readable.
std::unique_ptr<RefusalSink> openRefusalSink(const QString &location, int stopFd);

class DropLog {
public:
    explicit DropLog(const QString &location, std::chrono::milliseconds interval = std::chrono::seconds(2));
    ~DropLog(); // writes what is pending
    DropLog(const DropLog &) = delete;
    DropLog &operator=(const DropLog &) = delete;

    void record(DropRecord record); // any thread; no I/O
    // Writes what is pending now, on the caller's thread; false (and *error) when that failed.
    bool flush(QString *error = nullptr);

    // Past this many distinct (project, reason) entries between two writes,
    // further ones count under project 0, reason "overflow".
    static constexpr int kMaxPendingKeys = 512;

private:
    void run();
    QList<DropRecord> take();
    void merge(DropRecord record); // m_mutex held

    StopPipe m_stopPipe; // ends the sink's connect when stopping
    const std::unique_ptr<RefusalSink> m_sink; // used under m_writing
    const std::chrono::milliseconds m_interval;
    std::mutex m_mutex;
    std::condition_variable m_wake;
    std::map<std::pair<qint64, QString>, DropRecord> m_pending;
    bool m_stopping = false;
    std::mutex m_writing; // flush() from a test and the thread, one at a time
    std::thread m_thread;
};

} // namespace faultline
