#include "storage/postgres/pg_host_lookup.h"

#include "storage/postgres/pg_socket_wait.h"

#include <cerrno>
#include <cstring>
#include <netdb.h>
#include <unistd.h>

namespace faultline {

// Freed when the last of the lookup and its notices lets go: after every
// request glibc ran has been notified of, whoever waited for it.
struct PgHostLookup::Shared {
    explicit Shared(const QList<QByteArray> &names)
        : names(names.cbegin(), names.cend())
        , requests(names.size())
        , startFailures(names.size(), 0)
    {
        hints.ai_family = AF_UNSPEC; // as libpq asks
        hints.ai_socktype = SOCK_STREAM;
        for (std::size_t i = 0; i < requests.size(); ++i) {
            requests[i].ar_name = this->names[i].constData();
            requests[i].ar_request = &hints;
        }
    }
    ~Shared()
    {
        for (gaicb &request : requests) {
            if (request.ar_result)
                freeaddrinfo(request.ar_result);
        }
        for (int end : done) {
            if (end >= 0)
                ::close(end);
        }
    }
    Shared(const Shared &) = delete;
    Shared &operator=(const Shared &) = delete;

    const std::vector<QByteArray> names;
    std::vector<gaicb> requests; // sized once: glibc holds their addresses
    std::vector<int> startFailures; // getaddrinfo_a()'s refusal of request i, 0 when it took it
    addrinfo hints {};
    int done[2] = { -1, -1 }; // each notification writes its request's index
};

struct PgHostLookup::Notification {
    std::shared_ptr<Shared> shared;
    int index;
};

void PgHostLookup::notified(sigval value)
{
    auto *notice = static_cast<Notification *>(value.sival_ptr);
    // One int: atomic on a pipe, which is never full (a few ints at most).
    [[maybe_unused]] const auto written = ::write(notice->shared->done[1], &notice->index, sizeof notice->index);
    delete notice; // the last reference frees the requests
}

PgHostLookup::PgHostLookup(const QList<QByteArray> &names)
    : m_shared(std::make_shared<Shared>(names))
    , m_notices(names.size(), nullptr)
    , m_done(names.size(), false)
{
    Shared &shared = *m_shared;
    if (!makeWakePipe(shared.done)) {
        std::fill(shared.startFailures.begin(), shared.startFailures.end(), EAI_SYSTEM);
        return;
    }
    for (int i = 0; i < int(shared.requests.size()); ++i) {
        auto *notice = new Notification { m_shared, i };
        sigevent notify {};
        notify.sigev_notify = SIGEV_THREAD;
        notify.sigev_notify_function = &PgHostLookup::notified;
        notify.sigev_value.sival_ptr = notice;
        gaicb *list[] = { &shared.requests[std::size_t(i)] };
        // Refused, glibc notifies at once (the notice is its to delete) and the request is done. Had it
        // enqueued the request but failed to allocate its wait list, it would run it and never notify:
        // the notice then keeps the requests alive for good, a leak rather than a use after free.
        if (const int refused = getaddrinfo_a(GAI_NOWAIT, list, 1, &notify); refused != 0) {
            shared.startFailures[std::size_t(i)] = refused;
            continue;
        }
        m_notices[std::size_t(i)] = notice;
        ++m_pending;
    }
}

PgHostLookup::~PgHostLookup()
{
    if (m_pending > 0)
        abandon();
}

void PgHostLookup::markDone(int index)
{
    if (index < 0 || index >= int(m_notices.size()) || !m_notices[std::size_t(index)])
        return; // a refused request's notice: it was never pending
    m_notices[std::size_t(index)] = nullptr;
    m_done[std::size_t(index)] = true;
    --m_pending;
}

PgHostLookup::Wait PgHostLookup::wait(int stopFd)
{
    while (m_pending > 0) {
        const SocketWait waited = waitForSocket(m_shared->done[0], false, stopFd, -1);
        if (waited == SocketWait::Stopped)
            return Wait::Stopped;
        if (waited == SocketWait::Failed)
            return Wait::Failed;
        int indices[16];
        const ssize_t got = ::read(m_shared->done[0], indices, sizeof indices);
        for (ssize_t i = 0; i < got / ssize_t(sizeof(int)); ++i)
            markDone(indices[i]);
    }
    return Wait::Done;
}

QStringList PgHostLookup::addresses(int i) const
{
    QStringList found;
    const gaicb &request = m_shared->requests[std::size_t(i)];
    if (!m_done[std::size_t(i)])
        return found; // refused, or abandoned: glibc may still be writing its result
    for (const addrinfo *address = request.ar_result; address; address = address->ai_next) {
        char text[NI_MAXHOST];
        if (getnameinfo(address->ai_addr, address->ai_addrlen, text, sizeof text, nullptr, 0, NI_NUMERICHOST) != 0)
            continue;
        const QString numeric = QString::fromLatin1(text);
        if (!found.contains(numeric))
            found.append(numeric);
    }
    return found;
}

QString PgHostLookup::error(int i) const
{
    const std::size_t index = std::size_t(i);
    int code = m_shared->startFailures[index];
    if (code == 0)
        code = m_done[index] ? gai_error(&m_shared->requests[index]) : EAI_CANCELED;
    return code == 0 ? QString() : QString::fromLocal8Bit(gai_strerror(code));
}

int PgHostLookup::abandon()
{
    int leftRunning = 0;
    for (std::size_t i = 0; i < m_notices.size(); ++i) {
        if (!m_notices[i])
            continue;
        const int cancelled = gai_cancel(&m_shared->requests[i]);
        if (cancelled == EAI_CANCELED)
            delete m_notices[i]; // taken off glibc's queue: never notified
        else if (cancelled == EAI_NOTCANCELED)
            ++leftRunning;
        // EAI_ALLDONE: finished, its notification on the way; it frees the notice.
        m_notices[i] = nullptr;
    }
    m_pending = 0;
    return leftRunning;
}

} // namespace faultline
