#pragma once
// Projects (one per reporting service) and their public keys.
#include <QList>
#include <QString>

#include <optional>

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
    std::optional<Project> byId(qint64 id) const;
    Project add(const QString &name); // fresh random key
    std::optional<Project> rotateKey(qint64 id); // new key; the old one stops working
    bool remove(qint64 id); // with its issues, events and attachments

    // http://<key>@<host>:<port>/<id>
    static QString dsn(const Project &project, const QString &hostPort);

private:
    Database &m_db;
};

} // namespace faultline
