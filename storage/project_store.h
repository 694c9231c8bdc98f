#pragma once
// Projects (one per reporting service) and their public keys.
#include "storage/storage_error.h"

#include <QList>
#include <QString>

namespace faultline {

class Database;

struct Project {
    qint64 id = 0;
    QString name;
    QString publicKey; // 32 hex, random
    qint64 createdMs = 0;
};

class ProjectStore {
public:
    explicit ProjectStore(Database &db)
        : m_db(db)
    {
    }

    QList<Project> all() const;
    StorageResult<Project> byId(qint64 id) const; // NotFound when there is none
    // With a fresh random key. Constraint when the name is taken; anything else (busy,
    // read-only, full…) is another reason, never "exists already".
    StorageResult<Project> add(const QString &name);
    StorageResult<Project> rotateKey(qint64 id); // new key; the old one stops working
    StorageResult<void> remove(qint64 id); // with its issues, events and attachments

    // Why add() failed, for a person: the name is taken, or what storageErrorText says.
    static QString addProblem(const StorageError &error, const QString &name);
    // http://<key>@<host>:<port>/<id>
    static QString dsn(const Project &project, const QString &hostPort);

private:
    Database &m_db;
};

} // namespace faultline
