#include "model/query/query.h"

#include <algorithm>

namespace faultline {

namespace {

constexpr QueryKey kQueryKeys[] = {
    { "is", QueryField::IssueStatus },
    { "level", QueryField::Level },
    { "project", QueryField::Project },
    { "service", QueryField::Project },
    { "release", QueryField::Release },
    { "environment", QueryField::Environment },
    { "env", QueryField::Environment },
    { "tag", QueryField::Tag },
    { "has", QueryField::Has },
    { "field", QueryField::ValidationField },
    { "status", QueryField::HttpStatus },
    { "age", QueryField::FirstSeen },
    { "first_seen", QueryField::FirstSeen },
    { "last_seen", QueryField::LastSeen },
};

} // namespace

std::span<const QueryKey> queryKeys() { return kQueryKeys; }

std::optional<QueryField> queryKeyField(const QString &key)
{
    const auto *found = std::find_if(std::begin(kQueryKeys), std::end(kQueryKeys),
        [&](const QueryKey &known) { return key.compare(QLatin1String(known.name), Qt::CaseInsensitive) == 0; });
    if (found == std::end(kQueryKeys))
        return std::nullopt;
    return found->field;
}

bool isUserQueryKey(const QString &key)
{
    return key.compare(QLatin1String("user"), Qt::CaseInsensitive) == 0
        || key.startsWith(QLatin1String("user."), Qt::CaseInsensitive);
}

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
