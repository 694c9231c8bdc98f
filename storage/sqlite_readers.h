#pragma once
// The SQLite side of storage/store_readers.h: thin adapters over the query
// classes the window uses, so both read the same SQL.
#include "storage/alert_store.h"
#include "storage/grouping_rule_store.h"
#include "storage/store_readers.h"

namespace faultline {

class SqliteIssueReader : public IssueReader {
public:
    explicit SqliteIssueReader(Database &db)
        : m_issues(db)
        , m_summaries(db)
        , m_histograms(db)
        , m_alerts(db)
    {
    }

    QList<IssueRow> list(const IssueListRequest &request, QString *error) const override
    {
        return m_issues.list(request, error);
    }
    qint64 count(const Query &query, qint64 nowMs, QString *error) const override
    {
        return m_issues.count(query, nowMs, error);
    }
    StorageResult<IssueRow> byId(qint64 id) const override { return m_issues.byId(id); }
    QString fingerprint(qint64 id) const override { return m_issues.fingerprint(id); }
    IssueSummary summary(qint64 issueId, int topValues, QString *error) const override
    {
        return m_summaries.summary(issueId, topValues, error);
    }
    QHash<qint64, IssueBrief> briefs(const QList<qint64> &issueIds, QString *error) const override
    {
        return m_summaries.briefs(issueIds, error);
    }

    QHash<qint64, QList<qint64>> trends(
        const QList<qint64> &issueIds, const HistogramRange &range, QString *error) const override
    {
        return m_histograms.forIssues(issueIds, range, error);
    }
    QHash<qint64, qint64> unresolvedCountsByProject(qint64 nowMs, QString *error) const override
    {
        return m_issues.unresolvedCountsByProject(nowMs, error);
    }
    StorageResult<AlertIssue> news(qint64 issueId) const override { return m_alerts.issue(issueId); }

private:
    IssueQueries m_issues;
    IssueSummaryQueries m_summaries;
    IssueHistogramQueries m_histograms;
    SqliteAlertStore m_alerts;
};

class SqliteEventReader : public EventReader {
public:
    explicit SqliteEventReader(Database &db)
        : m_events(db)
        , m_pages(db)
        , m_histograms(db)
        , m_grouping(db)
    {
    }

    QList<EventRow> search(
        const Query &query, int limit, int offset, qint64 nowMs, bool withRaw, QString *error) const override
    {
        return m_events.search(query, limit, offset, nowMs, withRaw, error);
    }
    StorageResult<EventRow> byEventId(const QString &eventId, qint64 projectId, bool withRaw) const override
    {
        return m_events.byEventId(eventId, projectId, withRaw);
    }
    QList<EventPage> pages(qint64 eventRow, bool withData, QString *error) const override
    {
        return m_pages.forEvent(eventRow, withData, error);
    }

    qint64 countForIssue(qint64 issueId, QString *error) const override
    {
        return m_events.countForIssue(issueId, error);
    }
    QList<EventRow> forIssue(qint64 issueId, int limit, int offset, bool withRaw, QString *error) const override
    {
        return m_events.forIssue(issueId, limit, offset, withRaw, error);
    }
    qint64 newerInIssue(qint64 issueId, qint64 receivedMs, qint64 rowId, QString *error) const override
    {
        return m_events.newerInIssue(issueId, receivedMs, rowId, error);
    }
    QList<EventRow> searchInIssue(qint64 issueId, const Query &query, int limit, int offset, qint64 nowMs, bool withRaw,
        QString *error) const override
    {
        return m_events.searchInIssue(issueId, query, limit, offset, nowMs, withRaw, error);
    }
    Histogram histogram(qint64 issueId, const HistogramRange &range, QString *error) const override
    {
        return m_histograms.forIssue(issueId, range, error);
    }
    std::optional<StoredGroupingKey> groupingKey(qint64 eventRow, QString *error) const override
    {
        return m_grouping.forEvent(eventRow, error);
    }

private:
    EventQueries m_events;
    PageQueries m_pages;
    IssueHistogramQueries m_histograms;
    GroupingQueries m_grouping;
};

class SqliteIssueStatusChanger : public IssueStatusChanger {
public:
    explicit SqliteIssueStatusChanger(Database &db)
        : m_writer(db)
    {
    }

    int apply(const QList<qint64> &issueIds, const StatusChange &change, qint64 nowMs, QList<IssueStatusState> *before,
        QString *error) override
    {
        return m_writer.apply(issueIds, change, nowMs, before, error);
    }
    int restore(const QList<IssueStatusState> &states, QString *error) override
    {
        return m_writer.restore(states, error);
    }

private:
    IssueStatusWriter m_writer;
};

class SqliteIssueMerger : public IssueMerger {
public:
    explicit SqliteIssueMerger(Database &db)
        : m_rules(db)
        , m_keys(db)
    {
    }

    std::optional<MergeOutcome> merge(const QList<qint64> &issueIds, qint64 into, qint64 nowMs, QString *error) override
    {
        return m_rules.merge(issueIds, into, nowMs, error);
    }
    std::optional<SplitOutcome> split(qint64 issueId, const QString &hash, qint64 nowMs, QString *error) override
    {
        return m_rules.split(issueId, hash, nowMs, error);
    }
    QList<StoredGroupingKey> keys(qint64 issueId, QString * /*error*/) const override
    {
        return m_keys.forIssue(issueId);
    }
    QHash<qint64, qint64> eventsPerKey(qint64 issueId, QString *error) const override
    {
        return m_rules.eventsPerKey(issueId, error);
    }

private:
    GroupingRules m_rules;
    GroupingQueries m_keys;
};

class SqliteProjectLimits : public ProjectLimitStore {
public:
    explicit SqliteProjectLimits(Database &db)
        : m_store(db)
    {
    }

    StorageResult<ProjectSettings> get(qint64 projectId) const override { return m_store.get(projectId); }
    StorageResult<void> set(const ProjectSettings &settings) override { return m_store.set(settings); }
    QList<ProjectSettings> all() const override { return m_store.all(); }

private:
    ProjectSettingsStore m_store;
};

class SqlitePageReader : public PageReader {
public:
    explicit SqlitePageReader(Database &db)
        : m_pages(db)
    {
    }

    QList<DistinctPage> distinctPages(qint64 projectId, QString *error) const override
    {
        return m_pages.distinctPages(projectId, error);
    }
    StorageResult<QByteArray> data(const QString &sha256) const override { return m_pages.data(sha256); }

private:
    PageQueries m_pages;
};

class SqliteGroupingRuleStore : public GroupingRuleStore {
public:
    explicit SqliteGroupingRuleStore(Database &db)
        : m_db(db)
        , m_rules(db)
    {
    }

    QList<GroupingRule> forProject(qint64 projectId, QString *error) const override
    {
        return m_rules.forProject(projectId, error);
    }
    bool remove(qint64 ruleId, QString *done, QString *error) override { return m_rules.remove(ruleId, done, error); }
    RegroupReport regroup(qint64 projectId, const RegroupProgress &progress) override
    {
        return Regrouper(m_db).run(projectId, progress);
    }

private:
    Database &m_db;
    GroupingRules m_rules;
};

} // namespace faultline
