#include "storage/drop_log.h"

#include "storage/database.h"

#include <QDateTime>

#include <spdlog/spdlog.h>

namespace faultline {

DropLog::DropLog(QString dbPath, std::chrono::milliseconds interval)
    : m_dbPath(std::move(dbPath))
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
    m_thread.join();
    flush();
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
    const std::unique_ptr<Database> db = Database::open(m_dbPath, Database::Mode::ReadWrite, &problem);
    if (db && DroppedEventsStore(*db).addRefusals(records, QDateTime::currentMSecsSinceEpoch(), &problem))
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
