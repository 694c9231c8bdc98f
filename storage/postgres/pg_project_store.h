#pragma once
// Projects and their public keys in PostgreSQL (#18): ProjectStore's
// interface (storage/project_store.h) on the same table, with the same
// random keys, so a collector, the CLI and the window find the same projects
// whichever backend `--db` names.
#include "storage/project_store.h"

namespace faultline {

class PgConnection;

class PgProjectStore : public ProjectCatalog {
public:
    explicit PgProjectStore(PgConnection &connection)
        : m_connection(connection)
    {
    }

    QList<Project> all() const override;
    StorageResult<Project> byId(qint64 id) const override;
    StorageResult<Project> byName(const QString &name) const override;
    StorageResult<Project> byPublicKey(const QString &publicKey) const override;
    StorageResult<Project> add(const QString &name) override;
    StorageResult<Project> rotateKey(qint64 id) override;
    StorageResult<void> remove(qint64 id) override;

    // A fresh database's first project, as SQLite's Database::open makes one:
    // "default", unless the database has projects already (another process
    // may be doing the same at this moment: the name decides, once).
    StorageResult<void> addDefaultWhenEmpty();

private:
    // The project whose `column` (a fixed name of this file) equals $1.
    StorageResult<Project> one(const char *column, const QByteArray &value, const QString &what) const;

    PgConnection &m_connection;
};

} // namespace faultline
