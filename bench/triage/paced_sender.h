#pragma once
// An open-loop paced HTTP sender (wrk2 is not in Debian): a few threads with
// keep-alive connections post a store body with a fresh event_id per request
// at a fixed overall rate. Request k is due at start + k / rate whatever the
// answers do, so a slow server shows up as lateness, not as a lower rate.
#include <QByteArray>
#include <QList>
#include <QString>

#include <atomic>
#include <memory>
#include <thread>
#include <vector>

namespace faultline::bench {

struct SenderTarget {
    qint64 projectId = 0;
    QString publicKey;
};

struct SenderResult {
    qint64 sent = 0;
    qint64 ok = 0; // 2xx
    qint64 rateLimited = 0; // 429
    qint64 otherStatus = 0;
    qint64 socketErrors = 0;
    double seconds = 0;
    double ackP50Ms = 0; // from due time to the full answer (includes lateness: no coordinated omission)
    double ackP99Ms = 0;
    double ackMaxMs = 0;
};

class PacedSender {
public:
    // `body` holds `eventId` (32 hex) once; each request gets a fresh id in its place.
    PacedSender(
        quint16 port, QList<SenderTarget> targets, QByteArray body, QByteArray eventId, double rate, int threads);
    ~PacedSender();

    void start();
    SenderResult stop(); // joins the threads

private:
    void run(int thread);

    quint16 m_port;
    QList<SenderTarget> m_targets;
    QByteArray m_body;
    QByteArray m_eventId;
    double m_rate;
    int m_threadCount;
    std::atomic<bool> m_stop { false };
    std::vector<std::thread> m_threads;
    struct PerThread;
    std::vector<std::unique_ptr<PerThread>> m_perThread;
    qint64 m_startNs = 0;
};

} // namespace faultline::bench
