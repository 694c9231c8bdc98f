#include "model/query/query.h"

namespace faultline {

QStringList levelNames()
{
    return { QStringLiteral("debug"), QStringLiteral("info"), QStringLiteral("warning"), QStringLiteral("error"),
        QStringLiteral("fatal") };
}

Query restrictedToProject(Query query, qint64 projectId)
{
    if (projectId > 0) {
        QueryTerm project;
        project.field = QueryField::Project;
        project.value = QString::number(projectId);
        query.terms.append(project);
    }
    return query;
}

int levelRank(const QString &level) { return int(levelNames().indexOf(level)); }

QStringList levelsMatching(QueryCompare compare, const QString &level)
{
    const int rank = levelRank(level);
    QStringList result;
    if (rank < 0)
        return result;
    const QStringList names = levelNames();
    for (int i = 0; i < names.size(); ++i) {
        bool keep = false;
        switch (compare) {
        case QueryCompare::Equal:
            keep = i == rank;
            break;
        case QueryCompare::Less:
            keep = i < rank;
            break;
        case QueryCompare::LessOrEqual:
            keep = i <= rank;
            break;
        case QueryCompare::Greater:
            keep = i > rank;
            break;
        case QueryCompare::GreaterOrEqual:
            keep = i >= rank;
            break;
        }
        if (keep)
            result.append(names[i]);
    }
    return result;
}

} // namespace faultline
