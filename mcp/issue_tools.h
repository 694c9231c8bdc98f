#pragma once
// The tools of tool_catalog.h over the store: a SQLite file or a PostgreSQL
// database (storage/backend.h). Reads open a read-only connection per call
// (they work while the app collects); resolve/ignore go through the backend's
// IssueStatusChanger on a read-write one, as the window does.
#include "storage/backend.h"
#include "storage/issue_queries.h"

#include <QJsonObject>
#include <QString>

#include <functional>
#include <memory>
#include <optional>

namespace faultline {

// "HOST:PORT" where services send events, for the DSNs list_projects gives:
// the running collector's own address when MCP is served on its port, what
// the app published (read from `store`, the one the tool call opened) when
// served on stdio. Called from any thread.
using CollectorHostPort = std::function<QString(const StorageBackend &store)>;

class IssueTools {
public:
    // `stopFd`: the read end of the owner's StopPipe (storage/stop_pipe.h), which ends a call's
    // PostgreSQL connect and host name look-up; -1 where nothing stops a call (stdio: Ctrl+C).
    IssueTools(QString dbPath, CollectorHostPort collectorHostPort, int stopFd = -1);

    bool has(const QString &name) const;
    // A CallToolResult: content (the JSON as text) + structuredContent, or
    // isError with a message the agent can act on. `name` must be has().
    QJsonObject call(const QString &name, const QJsonObject &arguments);

    // Shared with resources/read: get_issue's answer, or nullopt and *error
    // (*missing set when there is no such issue, as opposed to an unreadable database).
    std::optional<QJsonObject> issueReport(qint64 issueId, QString *error, bool *missing = nullptr);
    // Shared with resources/list: one page of issues, newest activity first.
    std::optional<QJsonObject> issuePage(const QString &query, IssueSort sort, int limit, int offset, QString *error);

private:
    // Null and *error (for the agent) when it cannot be opened.
    std::unique_ptr<StorageBackend> open(BackendUse use, QString *error) const;
    QJsonObject listProjects(const QJsonObject &arguments);
    QJsonObject searchIssues(const QJsonObject &arguments);
    QJsonObject getIssue(const QJsonObject &arguments);
    QJsonObject getEvent(const QJsonObject &arguments);
    QJsonObject listEvents(const QJsonObject &arguments);
    QJsonObject changeStatus(const QString &tool, const QJsonObject &arguments);
    QJsonObject explainGrouping(const QJsonObject &arguments);

    QString m_dbPath;
    CollectorHostPort m_collectorHostPort;
    int m_stopFd = -1;
};

// CallToolResult builders.
QJsonObject toolSuccess(const QJsonObject &structured);
QJsonObject toolError(const QString &message);

} // namespace faultline
