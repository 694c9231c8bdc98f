#pragma once
// The projects on the left: "All projects" first, then each project with its
// unresolved-issue count, or "waiting for first event" until it has one. It
// holds a snapshot read elsewhere (the window's live refresh, on the storage
// gateway's reader, through ProjectCatalog and IssueReader on either backend).
#include "storage/project_store.h"

#include <QAbstractListModel>
#include <QHash>

namespace faultline {

class IssueReader;

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
        QString error; // the counts could not be read: apply() keeps what is shown
    };

    explicit ProjectListModel(QObject *parent = nullptr); // "All projects" until the first apply()

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;

    // `known` is counts(): projects that already have issues skip their COUNT.
    static Snapshot read(const ProjectCatalog &projects, const IssueReader &issues, const QHash<qint64, Counts> &known);
    // Rows are added or changed in place; a reset only when projects went or were renamed.
    void apply(const Snapshot &snapshot);
    QHash<qint64, Counts> counts() const { return m_counts; }
    int rowOfProject(qint64 projectId) const;
    std::optional<Project> projectAt(int row) const;
    QList<Project> projects() const { return m_projects; }

private:
    QList<Project> m_projects;
    QHash<qint64, Counts> m_counts; // 0 = all projects
};

} // namespace faultline
