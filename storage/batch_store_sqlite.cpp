#include "storage/batch_store_sqlite.h"

#include "storage/batch_writer.h"
#include "storage/database.h"

#include <spdlog/spdlog.h>

#include <utility>

namespace faultline {

std::unique_ptr<BatchStore> SqliteBatchStore::open(const QString &dbPath, const WriterOptions &options, QString *error)
{
    std::unique_ptr<Database> db = Database::open(dbPath, Database::Mode::ReadWrite, error);
    if (!db)
        return nullptr;
    std::unique_ptr<SqliteBatchStore> store(new SqliteBatchStore(dbPath, std::move(db)));
    store->checkStorage(options.startCheckMs);
    return store;
}

SqliteBatchStore::SqliteBatchStore(QString dbPath, std::unique_ptr<Database> db)
    : m_dbPath(std::move(dbPath))
    , m_db(std::move(db))
    , m_writer(std::make_unique<BatchWriter>(*m_db))
{
}

SqliteBatchStore::~SqliteBatchStore() = default;

// A damaged or read-only file is said at start, not found by every write later.
void SqliteBatchStore::checkStorage(int startCheckMs)
{
    const IntegrityReport integrity = checkIntegrity(m_db->handle(), false, startCheckMs);
    if (!integrity.problems.isEmpty()) {
        m_stateAtOpen = StorageState::Corrupt;
        spdlog::error("database {} is damaged ({} problem(s), first: {}); run `faultline db check` for the "
                      "recovery steps",
            m_dbPath.toStdString(), integrity.problems.size(),
            integrity.problems.first().section(QLatin1Char('\n'), -1).toStdString());
    } else if (isReadOnly(m_db->handle())) {
        m_stateAtOpen = StorageState::ReadOnly;
        spdlog::error("database {} is read-only: events cannot be stored", m_dbPath.toStdString());
    } else if (!integrity.complete) {
        spdlog::info(
            "quick_check of {} stopped after {} ms with nothing found so far", m_dbPath.toStdString(), startCheckMs);
    }
}

void SqliteBatchStore::afterOpen() { catchUpSearch(); } // events a crash may have left out of the search index

StoreResult SqliteBatchStore::write(
    const QList<const IncomingEvent *> &events, const QList<DiscardCount> &discards, bool idle)
{
    const auto now = std::chrono::steady_clock::now();
    const bool indexSearch
        = m_unindexed + int(events.size()) >= kSearchBacklog || (idle && now - m_lastIndexed >= kSearchLag);
    BatchResult written = m_writer->write(events, discards, indexSearch);
    if (written.committed) {
        m_unindexed = indexSearch ? 0 : m_unindexed + int(events.size());
        if (indexSearch)
            m_lastIndexed = now;
    }
    StoreResult result;
    result.committed = written.committed;
    result.error = std::move(written.error);
    result.state = written.committed ? StorageState::Ok : storageStateOf(written.sqliteCode);
    result.wholeBatchFailed = !written.committed && BatchWriter::isEnvironmentalFailure(written.sqliteCode);
    result.outcomes = std::move(written.outcomes);
    result.summary = std::move(written.summary);
    return result;
}

std::optional<std::chrono::milliseconds> SqliteBatchStore::idleWorkDue() const
{
    return m_unindexed > 0 ? std::optional(kSearchLag) : std::nullopt;
}

void SqliteBatchStore::doIdleWork() { catchUpSearch(); } // the burst is over: bring the search index up to date

void SqliteBatchStore::close()
{
    if (m_unindexed > 0)
        catchUpSearch();
}

void SqliteBatchStore::catchUpSearch()
{
    const BatchResult result = m_writer->write({}, {}, true);
    const int pending = std::exchange(m_unindexed, 0); // on failure too: the next batch's indexing retries
    if (!result.committed) {
        spdlog::error("cannot update the search index: {}", result.error.toStdString());
        return;
    }
    spdlog::debug("search index up to date ({} events were known pending)", pending);
    m_lastIndexed = std::chrono::steady_clock::now();
}

} // namespace faultline
