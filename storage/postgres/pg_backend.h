#pragma once
// The PostgreSQL implementation of storage/backend.h: one connection and the
// readers over it.
#include "storage/backend.h"
#include "storage/postgres/pg_activity_reader.h"
#include "storage/postgres/pg_alert_store.h"
#include "storage/postgres/pg_connection.h"
#include "storage/postgres/pg_event_reader.h"
#include "storage/postgres/pg_grouping_rule_store.h"
#include "storage/postgres/pg_issue_merger.h"
#include "storage/postgres/pg_issue_reader.h"
#include "storage/postgres/pg_issue_status_writer.h"
#include "storage/postgres/pg_page_reader.h"
#include "storage/postgres/pg_project_limits.h"
#include "storage/postgres/pg_project_store.h"
#include "storage/postgres/pg_project_tools.h"

namespace faultline {

class PgBackend : public StorageBackend {
public:
    // Connects (stoppably with a `stopFd`, see openStorageBackend()), then
    // checks (Read, Write) or brings (Create) the schema.
    static StorageResult<std::unique_ptr<StorageBackend>> open(const QString &uri, BackendUse use, int stopFd = -1);

    QString displayName() const override { return m_connection->logName(); }
    ProjectCatalog &projects() override { return m_projects; }
    IssueReader &issues() override { return m_issues; }
    EventReader &events() override { return m_events; }
    IssueStatusChanger &statuses() override { return m_statuses; }
    QString appState(const QString &key) const override;
    // pg-cli (#18): merge and split, per-project limits, error pages.
    IssueMerger &merger() override { return m_merger; }
    ProjectLimitStore &limits() override { return m_limits; }
    PageReader &pages() override { return m_pages; }
    // pg-rules (#18): grouping rules and re-grouping, alerts.
    GroupingRuleStore &groupingRules() override { return m_groupingRules; }
    AlertStore &alerts() override { return m_alerts; }
    // pg-window (#18): the window's remaining views.
    ActivityReader &activity() override { return m_activity; }
    ProjectToolSettings &projectTools() override { return m_tools; }
    StorageResult<void> setAppState(const QString &key, const QString &value) override;

    bool isConnectionLost() override { return !m_connection->isAlive(); }

    PgConnection &connection() { return *m_connection; }

private:
    explicit PgBackend(std::unique_ptr<PgConnection> connection);

    std::unique_ptr<PgConnection> m_connection;
    PgProjectStore m_projects;
    PgIssueReader m_issues;
    PgEventReader m_events;
    PgIssueStatusWriter m_statuses;
    PgIssueMerger m_merger;
    PgProjectLimits m_limits;
    PgPageReader m_pages;
    PgGroupingRuleStore m_groupingRules;
    PgAlertStore m_alerts;
    PgActivityReader m_activity;
    PgProjectTools m_tools;
};

} // namespace faultline
