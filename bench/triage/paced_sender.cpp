#include "paced_sender.h"

#include "bench_common.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <random>

namespace faultline::bench {

namespace {

qint64 monotonicNs()
{
    return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

int connectTo(quint16 port)
{
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return -1;
    sockaddr_in address {};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd, reinterpret_cast<sockaddr *>(&address), sizeof address) != 0) {
        ::close(fd);
        return -1;
    }
    const int one = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    return fd;
}

bool sendAll(int fd, const QByteArray &data)
{
    qsizetype done = 0;
    while (done < data.size()) {
        const ssize_t n = ::send(fd, data.constData() + done, std::size_t(data.size() - done), MSG_NOSIGNAL);
        if (n <= 0)
            return false;
        done += n;
    }
    return true;
}

// Reads one answer; returns its status, 0 on a closed or broken connection.
int readAnswer(int fd, QByteArray &buffer, bool *keepAlive)
{
    char chunk[8192];
    for (;;) {
        const qsizetype headerEnd = buffer.indexOf("\r\n\r\n");
        if (headerEnd >= 0) {
            const QByteArray head = buffer.left(headerEnd).toLower();
            qsizetype length = 0;
            const qsizetype at = head.indexOf("\r\ncontent-length:");
            if (at >= 0)
                length = head.mid(at + 17, head.indexOf("\r\n", at + 2) - at - 17).trimmed().toLongLong();
            while (buffer.size() < headerEnd + 4 + length) {
                const ssize_t n = ::recv(fd, chunk, sizeof chunk, 0);
                if (n <= 0)
                    return 0;
                buffer.append(chunk, n);
            }
            *keepAlive = !head.contains("\r\nconnection: close");
            const int status = head.mid(9, 3).toInt();
            buffer.remove(0, headerEnd + 4 + length);
            return status;
        }
        const ssize_t n = ::recv(fd, chunk, sizeof chunk, 0);
        if (n <= 0)
            return 0;
        buffer.append(chunk, n);
    }
}

} // namespace

struct PacedSender::PerThread {
    SenderResult result;
    std::vector<double> ackMs;
};

PacedSender::PacedSender(
    quint16 port, QList<SenderTarget> targets, QByteArray body, QByteArray eventId, double rate, int threads)
    : m_port(port)
    , m_targets(std::move(targets))
    , m_body(std::move(body))
    , m_eventId(std::move(eventId))
    , m_rate(rate)
    , m_threadCount(std::max(1, threads))
{
}

PacedSender::~PacedSender() { stop(); }

void PacedSender::start()
{
    m_stop = false;
    m_perThread.clear();
    m_startNs = monotonicNs();
    for (int i = 0; i < m_threadCount; ++i) {
        m_perThread.push_back(std::make_unique<PerThread>());
        m_threads.emplace_back([this, i] { run(i); });
    }
}

SenderResult PacedSender::stop()
{
    m_stop = true;
    for (std::thread &thread : m_threads)
        thread.join();
    m_threads.clear();
    SenderResult total;
    total.seconds = double(monotonicNs() - m_startNs) / 1e9;
    std::vector<double> ack;
    for (const auto &perThread : m_perThread) {
        total.sent += perThread->result.sent;
        total.ok += perThread->result.ok;
        total.rateLimited += perThread->result.rateLimited;
        total.otherStatus += perThread->result.otherStatus;
        total.socketErrors += perThread->result.socketErrors;
        ack.insert(ack.end(), perThread->ackMs.begin(), perThread->ackMs.end());
    }
    const Stats stats = summarize(std::move(ack));
    total.ackP50Ms = stats.median;
    total.ackP99Ms = stats.p99;
    total.ackMaxMs = stats.max;
    m_perThread.clear();
    return total;
}

void PacedSender::run(int thread)
{
    PerThread &mine = *m_perThread[std::size_t(thread)];
    std::mt19937_64 rng(std::random_device {}() ^ quint64(thread));
    const qsizetype idAt = m_body.indexOf(m_eventId);
    const double intervalNs = 1e9 * double(m_threadCount) / m_rate;
    int fd = -1;
    QByteArray buffer;
    for (qint64 k = 0; !m_stop; ++k) {
        // This thread's k-th request is overall request k * threads + thread.
        const qint64 due = m_startNs + qint64((double(k) + double(thread) / m_threadCount) * intervalNs);
        for (qint64 now = monotonicNs(); now < due && !m_stop; now = monotonicNs())
            std::this_thread::sleep_for(std::chrono::nanoseconds(std::min<qint64>(due - now, 2'000'000)));
        if (m_stop)
            break;
        const SenderTarget &target = m_targets.at(qsizetype((k * m_threadCount + thread) % m_targets.size()));
        QByteArray body = m_body;
        char id[33];
        std::snprintf(id, sizeof id, "%016llx%016llx", static_cast<unsigned long long>(rng()),
            static_cast<unsigned long long>(rng()));
        if (idAt >= 0)
            body.replace(idAt, 32, QByteArray(id, 32));
        const QByteArray request = "POST /api/" + QByteArray::number(target.projectId)
            + "/store/ HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
              "X-Sentry-Auth: Sentry sentry_key="
            + target.publicKey.toLatin1() + ", sentry_version=7\r\nContent-Length: " + QByteArray::number(body.size())
            + "\r\n\r\n" + body;
        if (fd < 0)
            fd = connectTo(m_port);
        bool keepAlive = false;
        int status = fd >= 0 && sendAll(fd, request) ? readAnswer(fd, buffer, &keepAlive) : 0;
        ++mine.result.sent;
        if (status == 0) {
            ++mine.result.socketErrors;
            if (fd >= 0)
                ::close(fd);
            fd = -1;
            buffer.clear();
            continue;
        }
        mine.ackMs.push_back(double(monotonicNs() - due) / 1e6);
        if (status / 100 == 2)
            ++mine.result.ok;
        else if (status == 429)
            ++mine.result.rateLimited;
        else
            ++mine.result.otherStatus;
        if (!keepAlive) {
            ::close(fd);
            fd = -1;
            buffer.clear();
        }
    }
    if (fd >= 0)
        ::close(fd);
}

} // namespace faultline::bench
