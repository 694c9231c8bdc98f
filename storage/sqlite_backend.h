#pragma once
// The SQLite implementation of storage/backend.h: one Database connection and
// the readers over it.
#include "storage/backend.h"
#include "storage/database.h"
#include "storage/project_store.h"
#include "storage/project_tools.h"
#include "storage/sqlite_activity_reader.h"
#include "storage/sqlite_readers.h"

namespace faultline {

class SqliteBackend : public StorageBackend {
public:
    explicit SqliteBackend(std::unique_ptr<Database> db);

    QString displayName() const override { return m_db->path(); }
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

    Database &database() { return *m_db; }

private:
    std::unique_ptr<Database> m_db;
    ProjectStore m_projects;
    SqliteIssueReader m_issues;
    SqliteEventReader m_events;
    SqliteIssueStatusChanger m_statuses;
    SqliteIssueMerger m_merger;
    SqliteProjectLimits m_limits;
    SqlitePageReader m_pages;
    SqliteGroupingRuleStore m_groupingRules;
    SqliteAlertStore m_alerts;
    SqliteActivityReader m_activity;
    ProjectToolsStore m_tools;
};

} // namespace faultline
