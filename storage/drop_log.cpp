#include "storage/drop_log.h"

#include "storage/database.h"
#include "storage/postgres/pg_drop_store.h"
#include "storage/postgres/pg_uri.h"

#include <QDateTime>

#include <spdlog/spdlog.h>

namespace faultline {

namespace {

// A connection per write: refusals come every few seconds at most, and the
// file may be replaced or repaired in between.
class SqliteRefusalSink : public RefusalSink {
public:
    explicit SqliteRefusalSink(QString dbPath)
        : m_dbPath(std::move(dbPath))
    {
    }
    bool add(const QList<DropRecord> &records, qint64 nowMs, QString *error) override
    {
        const std::unique_ptr<Database> db = Database::open(m_dbPath, Database::Mode::ReadWrite, error);
        return db && DroppedEventsStore(*db).addRefusals(records, nowMs, error);
    }

private:
    const QString m_dbPath;
};

// One connection kept between writes; a broken one is replaced by the next write.
class PgRefusalSink : public RefusalSink {
public:
    PgRefusalSink(QString uri, int stopFd)
        : m_uri(std::move(uri))
        , m_stopFd(stopFd)
    {
    }
    bool add(const QList<DropRecord> &records, qint64 nowMs, QString *error) override
    {
        if (!m_connection || !m_connection->isConnected()) {
            PgResult<std::unique_ptr<PgConnection>> opened = PgConnection::openStoppable(m_uri, m_stopFd);
            if (!opened) {
                if (error)
                    *error = opened.error().message;
                return false;
            }
            m_connection = std::move(opened).value();
        }
        const PgStatus added = PgDropStore(*m_connection).addRefusals(records, nowMs);
        if (!added && error)
            *error = added.error().message;
        return bool(added);
    }

private:
    const QString m_uri;
    const int m_stopFd;
    std::unique_ptr<PgConnection> m_connection;
};

} // namespace

std::unique_ptr<RefusalSink> openRefusalSink(const QString &location, int stopFd)
{
    if (isPostgresUri(location))
        return std::make_unique<PgRefusalSink>(location, stopFd);
    return std::make_unique<SqliteRefusalSink>(location);
}

DropLog::DropLog(const QString &location, std::chrono::milliseconds interval)
    : m_sink(openRefusalSink(location, m_stopPipe.readEnd()))
    , m_interval(interval)
    , m_thread([this] { run(); })
{
}

DropLog::~DropLog()
{
    {
        std::lock_guard lock(m_mutex);
        m_stopping = true;
    }
    m_wake.notify_one();
    m_stopPipe.stop();
    m_thread.join();
    flush(); // through the connection kept, if any: a new one is not waited for now
}

void DropLog::record(DropRecord record)
{
    if (record.example)
        record.example->head.truncate(DroppedEventsStore::kExampleBytes);
    std::lock_guard lock(m_mutex);
    merge(std::move(record));
}

void DropLog::merge(DropRecord record)
{
    std::pair<qint64, QString> key(record.projectId, record.reason);
    if (m_pending.find(key) == m_pending.end() && int(m_pending.size()) >= kMaxPendingKeys) {
        key = { 0, QStringLiteral("overflow") };
        record.projectId = key.first;
        record.reason = key.second;
    }
    auto [entry, inserted] = m_pending.try_emplace(key, record);
    if (inserted)
        return;
    entry->second.quantity += record.quantity;
    if (record.example && (!entry->second.example || record.example->receivedMs >= entry->second.example->receivedMs))
        entry->second.example = std::move(record.example);
}

QList<DropRecord> DropLog::take()
{
    std::lock_guard lock(m_mutex);
    QList<DropRecord> records;
    records.reserve(qsizetype(m_pending.size()));
    for (auto &[key, record] : m_pending)
        records.append(std::move(record));
    m_pending.clear();
    return records;
}

bool DropLog::flush(QString *error)
{
    std::lock_guard writing(m_writing);
    QList<DropRecord> records = take();
    if (records.isEmpty())
        return true;
    QString problem;
    if (m_sink->add(records, QDateTime::currentMSecsSinceEpoch(), &problem))
        return true;
    // Kept for the next try (a full disk may be freed); the merge keeps this bounded.
    spdlog::warn("cannot record {} kinds of refused requests: {}", records.size(), problem.toStdString());
    {
        std::lock_guard lock(m_mutex);
        for (DropRecord &record : records)
            merge(std::move(record));
    }
    if (error)
        *error = problem;
    return false;
}

void DropLog::run()
{
    std::unique_lock lock(m_mutex);
    while (!m_stopping) {
        m_wake.wait_for(lock, m_interval, [this] { return m_stopping; });
        if (m_stopping || m_pending.empty())
            continue;
        lock.unlock();
        flush();
        lock.lock();
    }
}

} // namespace faultline
