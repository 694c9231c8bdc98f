#pragma once
// Stored error pages on PostgreSQL (#18): PageReader (storage/store_readers.h)
// with the grouping of storage/page_queries.h (groupPageVariants), so
// `faultline pages` and the window's pages list answer as on SQLite.
#include "storage/store_readers.h"

namespace faultline {

class PgConnection;

class PgPageReader : public PageReader {
public:
    explicit PgPageReader(PgConnection &connection)
        : m_connection(connection)
    {
    }

    QList<DistinctPage> distinctPages(qint64 projectId, QString *error) const override;
    StorageResult<QByteArray> data(const QString &sha256) const override;

private:
    PgConnection &m_connection;
};

} // namespace faultline
