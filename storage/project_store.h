#pragma once
// Projects (one per reporting service) and their public keys.
#include "storage/storage_error.h"

#include <QList>
#include <QString>
#include <QVariant>

namespace faultline {

class Database;

struct Project {
    qint64 id = 0;
    QString name;
    QString publicKey; // 32 hex, random
    qint64 createdMs = 0;
};

// What every backend keeps of its projects: ProjectStore on SQLite, PgProjectStore
// (storage/postgres/pg_project_store.h) on PostgreSQL; storage/backend.h opens
// the one a `--db` names.
class ProjectCatalog {
public:
    virtual ~ProjectCatalog() = default;

    virtual QList<Project> all() const = 0; // by id; empty (and logged) when reading fails
    virtual StorageResult<Project> byId(qint64 id) const = 0; // NotFound when there is none
    virtual StorageResult<Project> byName(const QString &name) const = 0; // exact name
    virtual StorageResult<Project> byPublicKey(const QString &publicKey) const = 0;
    // With a fresh random key (generatePublicKey()). Constraint when the name is taken;
    // anything else (busy, read-only, full…) is another reason, never "exists already".
    virtual StorageResult<Project> add(const QString &name) = 0;
    virtual StorageResult<Project> rotateKey(qint64 id) = 0; // new key; the old one stops working
    // With its issues, events, attachments and drop counts, in one transaction.
    virtual StorageResult<void> remove(qint64 id) = 0;

protected:
    ProjectCatalog() = default;
    ProjectCatalog(const ProjectCatalog &) = default;
    ProjectCatalog &operator=(const ProjectCatalog &) = default;
};

class ProjectStore : public ProjectCatalog {
public:
    explicit ProjectStore(Database &db)
        : m_db(db)
    {
    }

    QList<Project> all() const override;
    StorageResult<Project> byId(qint64 id) const override;
    StorageResult<Project> byName(const QString &name) const override;
    StorageResult<Project> byPublicKey(const QString &publicKey) const override;
    StorageResult<Project> add(const QString &name) override;
    StorageResult<Project> rotateKey(qint64 id) override;
    StorageResult<void> remove(qint64 id) override;

    // Why add() failed, for a person: the name is taken, or what storageErrorText says.
    static QString addProblem(const StorageError &error, const QString &name);
    // http://<key>@<host>:<port>/<id>
    static QString dsn(const Project &project, const QString &hostPort);

private:
    // The project whose `column` (a fixed name of this file) holds `value`.
    StorageResult<Project> one(const QString &column, const QVariant &value, const QString &what) const;

    Database &m_db;
};

} // namespace faultline
