#include "ui/triage/project_list_model.h"

#include "storage/store_readers.h"

namespace faultline {

ProjectListModel::ProjectListModel(QObject *parent)
    : QAbstractListModel(parent)
{
}

int ProjectListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_projects.size()) + 1;
}

std::optional<Project> ProjectListModel::projectAt(int row) const
{
    if (row < 1 || row > m_projects.size())
        return std::nullopt;
    return m_projects.at(row - 1);
}

int ProjectListModel::rowOfProject(qint64 projectId) const
{
    if (projectId == 0)
        return 0;
    for (int i = 0; i < m_projects.size(); ++i)
        if (m_projects.at(i).id == projectId)
            return i + 1;
    return -1;
}

QVariant ProjectListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const qint64 id = index.row() == 0 ? 0 : m_projects.at(index.row() - 1).id;
    const Counts counts = m_counts.value(id);
    switch (role) {
    case Qt::DisplayRole:
        return index.row() == 0 ? tr("All projects") : m_projects.at(index.row() - 1).name;
    case ProjectIdRole:
        return id;
    case UnresolvedRole:
        return counts.unresolved;
    case HasEventsRole:
        return counts.issues > 0;
    case SubtitleRole:
        if (counts.issues == 0)
            return tr("waiting for first event");
        return counts.unresolved == 0 ? tr("all resolved") : tr("%n unresolved", nullptr, int(counts.unresolved));
    case Qt::ToolTipRole:
        if (index.row() > 0)
            return tr("Project %1 (id %2)").arg(m_projects.at(index.row() - 1).name).arg(id);
        break;
    }
    return {};
}

ProjectListModel::Snapshot ProjectListModel::read(
    const ProjectCatalog &projects, const IssueReader &issues, const QHash<qint64, Counts> &known)
{
    Snapshot snapshot;
    snapshot.projects = projects.all();
    const QHash<qint64, qint64> unresolved = issues.unresolvedCountsByProject(0, &snapshot.error);
    qint64 allUnresolved = 0;
    qint64 allIssues = 0;
    for (const Project &project : std::as_const(snapshot.projects)) {
        Counts c = known.value(project.id);
        // Once a project has issues it keeps them (until deleted): skip the COUNT then.
        if (c.issues == 0)
            c.issues = issues.count(restrictedToProject(Query(), project.id), 0, &snapshot.error);
        c.unresolved = unresolved.value(project.id);
        c.issues = qMax(c.issues, c.unresolved);
        allUnresolved += c.unresolved;
        allIssues += c.issues;
        snapshot.counts.insert(project.id, c);
    }
    snapshot.counts.insert(0, Counts { allUnresolved, allIssues });
    return snapshot;
}

void ProjectListModel::apply(const Snapshot &snapshot)
{
    if (!snapshot.error.isEmpty())
        return; // a failed read must not pass for "no projects" or "no issues"
    const QList<Project> &fresh = snapshot.projects;
    const QHash<qint64, Counts> &counts = snapshot.counts;

    // Projects come and go rarely: a reset only when the list itself changed.
    bool sameProjects = fresh.size() == m_projects.size();
    for (int i = 0; sameProjects && i < fresh.size(); ++i)
        sameProjects = fresh.at(i).id == m_projects.at(i).id && fresh.at(i).name == m_projects.at(i).name;
    // New projects (the first read, or one just created) sort last, by id: appended, no reset.
    bool appended = fresh.size() > m_projects.size();
    for (int i = 0; appended && i < m_projects.size(); ++i)
        appended = fresh.at(i).id == m_projects.at(i).id && fresh.at(i).name == m_projects.at(i).name;
    if (appended) {
        beginInsertRows({}, int(m_projects.size()) + 1, int(fresh.size()));
        m_projects = fresh;
        m_counts = counts;
        endInsertRows();
        emit dataChanged(index(0), index(rowCount() - 1));
        return;
    }
    if (!sameProjects) {
        beginResetModel();
        m_projects = fresh;
        m_counts = counts;
        endResetModel();
        return;
    }
    m_projects = fresh;
    m_counts = counts;
    emit dataChanged(index(0), index(rowCount() - 1));
}

} // namespace faultline
