#pragma once
// Per-project source roots and replay target on PostgreSQL (#18):
// ProjectToolSettings (storage/project_tools.h) on the same tables as
// SQLite's ProjectToolsStore. The viewer role may change both
// (`faultline db roles`).
#include "storage/project_tools.h"

namespace faultline {

class PgConnection;

class PgProjectTools : public ProjectToolSettings {
public:
    explicit PgProjectTools(PgConnection &connection)
        : m_connection(connection)
    {
    }

    QList<SourceRoot> sourceRoots(qint64 projectId) const override;
    bool setSourceRoots(qint64 projectId, const QList<SourceRoot> &roots, QString *error = nullptr) override;
    QString replayBaseUrl(qint64 projectId) const override;
    bool setReplayBaseUrl(qint64 projectId, const QString &baseUrl, QString *error = nullptr) override;

private:
    PgConnection &m_connection;
};

} // namespace faultline
