#pragma once
// The projects on the left: "All projects" first, then each project with its
// unresolved-issue count, or "waiting for first event" until it has one.
#include "storage/project_store.h"

#include <QAbstractListModel>
#include <QHash>

namespace faultline {

class IssueQueries;

class ProjectListModel : public QAbstractListModel {
    Q_OBJECT
public:
    enum Roles {
        ProjectIdRole = Qt::UserRole + 1, // 0 for "All projects"
        UnresolvedRole,
        HasEventsRole,
        SubtitleRole,
    };

    struct Counts {
        qint64 unresolved = 0;
        qint64 issues = 0;
    };
    // A re-read as a plain value: read on any thread (its own connection), applied on the GUI thread.
    struct Snapshot {
        QList<Project> projects;
        QHash<qint64, Counts> counts; // 0 = all projects
    };

    ProjectListModel(ProjectStore *projects, IssueQueries *issues, QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;

    // Re-reads projects and counts; rows are added/removed/changed in place, so the
    // selected project stays selected.
    void refresh();
    // `known` is counts(): projects that already have issues skip their COUNT.
    static Snapshot read(ProjectStore &projects, IssueQueries &issues, const QHash<qint64, Counts> &known);
    void apply(const Snapshot &snapshot);
    QHash<qint64, Counts> counts() const { return m_counts; }
    int rowOfProject(qint64 projectId) const;
    std::optional<Project> projectAt(int row) const;
    QList<Project> projects() const { return m_projects; }

private:
    static Counts readCounts(IssueQueries &issues, qint64 projectId);

    ProjectStore *m_projects_store;
    IssueQueries *m_issues;
    QList<Project> m_projects;
    QHash<qint64, Counts> m_counts; // 0 = all projects
};

} // namespace faultline
