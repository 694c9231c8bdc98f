#include "storage/postgres/pg_change_listener.h"

#include "storage/postgres/pg_connection.h"
#include "storage/postgres/pg_socket_wait.h"
#include "storage/postgres/pg_uri.h"

#include <QSet>

#include <spdlog/spdlog.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <thread>
#include <unistd.h>

namespace faultline {

using std::chrono::milliseconds;
using std::chrono::steady_clock;

// The thread and its connection. It talks to the listener only by posting
// signals to the listener's thread, each checked against `generation` there,
// so nothing it posted before a stop() is emitted after it.
struct PgChangeListener::Worker {
    Worker(PgChangeListener *owner, QString uri, int generation);
    ~Worker(); // stops and joins

    void run();
    // Listens on `connection` until it breaks (returns why) or stop (returns nothing).
    QString listenOn(PgConnection &connection);
    template<typename Tell> void post(Tell tell);

    PgChangeListener *owner;
    const QString uri;
    const int generation;
    int wake[2] = { -1, -1 };
    std::atomic<bool> stopping { false };
    std::thread thread;
};

namespace {

QByteArray listenStatement() { return QByteArray("LISTEN ") + PgChangeListener::kChannel; }

// libpq's message's first line: "server closed the connection unexpectedly".
QString firstLine(const QString &message) { return message.section(u'\n', 0, 0).trimmed(); }

} // namespace

PgChangeListener::Worker::Worker(PgChangeListener *owner, QString uri, int generation)
    : owner(owner)
    , uri(std::move(uri))
    , generation(generation)
{
    if (!makeWakePipe(wake)) {
        const QString reason
            = QStringLiteral("cannot make a pipe: %1").arg(QString::fromLocal8Bit(std::strerror(errno)));
        post([reason](PgChangeListener *listener) { emit listener->connectionLost(reason); });
        return;
    }
    thread = std::thread([this] { run(); });
}

PgChangeListener::Worker::~Worker()
{
    stopping = true;
    if (wake[1] >= 0) {
        const char byte = 1;
        [[maybe_unused]] const auto written = ::write(wake[1], &byte, 1);
    }
    if (thread.joinable())
        thread.join();
    for (int end : wake) {
        if (end >= 0)
            ::close(end);
    }
}

template<typename Tell> void PgChangeListener::Worker::post(Tell tell)
{
    PgChangeListener *listener = owner;
    const int posted = generation;
    // Queued to the listener's thread; dropped there if the listener is gone (Qt
    // discards a destroyed receiver's events) or was stopped since.
    QMetaObject::invokeMethod(
        listener,
        [listener, posted, tell] {
            if (listener->m_worker && listener->m_worker->generation == posted)
                tell(listener);
        },
        Qt::QueuedConnection);
}

void PgChangeListener::Worker::run()
{
    milliseconds delay = kFirstRetry;
    bool lost = false; // connectionLost() said, reconnected() not yet
    const std::string where = connectionStringForLog(uri).toStdString();
    while (!stopping) {
        QString reason;
        auto connection = PgConnection::openStoppable(uri, wake[0]);
        if (stopping)
            return;
        if (connection) {
            if (PgStatus listened = connection.value()->execScript(listenStatement().constData()); listened) {
                delay = kFirstRetry;
                spdlog::info("listening for changes on PostgreSQL at {}", where);
                post([](PgChangeListener *listener) { emit listener->listening(); });
                if (lost)
                    post([](PgChangeListener *listener) { emit listener->reconnected(); });
                lost = false;
                reason = listenOn(*connection.value());
                if (stopping)
                    return;
            } else {
                reason = listened.error().message;
            }
        } else {
            reason = connection.error().message;
        }
        reason = firstLine(reason);
        if (!lost) {
            spdlog::warn(
                "lost the change notifications of PostgreSQL at {}: {}; retrying", where, reason.toStdString());
            post([reason](PgChangeListener *listener) { emit listener->connectionLost(reason); });
            lost = true;
        }
        if (waitForStop(wake[0], int(delay.count())))
            return;
        delay = std::min(delay * 2, kLongestRetry);
    }
}

QString PgChangeListener::Worker::listenOn(PgConnection &connection)
{
    QSet<QString> pending;
    steady_clock::time_point lastSignal = steady_clock::now() - kCoalesce; // the first change is told at once
    for (;;) {
        int timeoutMs = -1; // nothing to tell: sleep until the server says something
        if (!pending.isEmpty()) {
            const auto due = lastSignal + kCoalesce - steady_clock::now();
            timeoutMs = int(std::max<qint64>(0, std::chrono::duration_cast<milliseconds>(due).count()));
        }
        const SocketWait waited = waitForSocket(connection.socketDescriptor(), false, wake[0], timeoutMs);
        if (waited == SocketWait::Stopped)
            return {};
        if (waited == SocketWait::Failed)
            return QStringLiteral("waiting on the connection failed: %1")
                .arg(QString::fromLocal8Bit(std::strerror(errno)));
        if (waited == SocketWait::Ready) {
            auto payloads = connection.takeNotifications();
            if (!payloads) // what was pending is moot: reconnected() makes the window read everything
                return payloads.error().message;
            for (const QByteArray &payload : payloads.value())
                pending.insert(QString::fromUtf8(payload));
        }
        const auto now = steady_clock::now();
        if (!pending.isEmpty() && now >= lastSignal + kCoalesce) {
            QStringList kinds(pending.cbegin(), pending.cend());
            kinds.sort();
            pending.clear();
            lastSignal = now;
            post([kinds](PgChangeListener *listener) { emit listener->changed(kinds); });
        }
    }
}

PgChangeListener::PgChangeListener(QString uri, QObject *parent)
    : QObject(parent)
    , m_uri(std::move(uri))
{
}

PgChangeListener::~PgChangeListener() { stop(); }

void PgChangeListener::start()
{
    stop();
    m_worker = std::make_unique<Worker>(this, m_uri, ++m_starts);
}

void PgChangeListener::stop() { m_worker.reset(); }

} // namespace faultline
