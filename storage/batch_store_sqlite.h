#pragma once
// EventWriter's SQLite store: the database file opened read-write (created and
// migrated), a bounded quick_check at open, BatchWriter for each batch, and the
// search index brought up to date in bulk under load and soon after a burst.
#include "storage/batch_store.h"

namespace faultline {

class BatchWriter;
class Database;

class SqliteBatchStore : public BatchStore {
public:
    static std::unique_ptr<BatchStore> open(const QString &dbPath, const WriterOptions &options, QString *error);
    ~SqliteBatchStore() override;

    StorageState stateAtOpen() const override { return m_stateAtOpen; }
    void afterOpen() override;
    StoreResult write(
        const QList<const IncomingEvent *> &events, const QList<DiscardCount> &discards, bool idle) override;
    std::optional<std::chrono::milliseconds> idleWorkDue() const override;
    void doIdleWork() override;
    void close() override;

private:
    SqliteBatchStore(QString dbPath, std::unique_ptr<Database> db);
    void checkStorage(int startCheckMs);
    void catchUpSearch();

    // Events stored but not yet in the search index (see migration v6). Under
    // load the index catches up in bulk; a lone event is indexed with its own
    // batch; and the index is never more than kSearchLag behind once a burst ends.
    static constexpr int kSearchBacklog = 2048;
    static constexpr std::chrono::milliseconds kSearchLag { 200 };

    QString m_dbPath;
    std::unique_ptr<Database> m_db;
    std::unique_ptr<BatchWriter> m_writer;
    StorageState m_stateAtOpen = StorageState::Ok;
    int m_unindexed = 0;
    std::chrono::steady_clock::time_point m_lastIndexed {};
};

} // namespace faultline
