#include "storage/issue_summary.h"

#include "model/derived_tags.h"
#include "storage/database.h"
#include "storage/statement.h"

#include <QHash>

#include <algorithm>

namespace faultline {

namespace {

// The order Sentry's tag panel uses: what most triage starts with first.
int keyRank(const TagDistribution &tag)
{
    static const QStringList leading = { QStringLiteral("release"), QStringLiteral("environment"),
        QStringLiteral("user"), QStringLiteral("server_name"), QStringLiteral("browser"), QStringLiteral("os"),
        QStringLiteral("runtime"), QStringLiteral("device") };
    const qsizetype rank
        = tag.derived || tag.key == u"release" || tag.key == u"environment" ? leading.indexOf(tag.key) : -1;
    return rank < 0 ? int(leading.size()) : int(rank);
}

bool moreFrequent(const TagValueCount &a, const TagValueCount &b)
{
    if (a.events != b.events)
        return a.events > b.events;
    if (a.lastSeenMs != b.lastSeenMs)
        return a.lastSeenMs > b.lastSeenMs;
    return a.value < b.value;
}

} // namespace

const TagDistribution *IssueSummary::tag(const QString &key) const
{
    for (const TagDistribution &distribution : tags)
        if (distribution.key == key)
            return &distribution;
    return nullptr;
}

QHash<qint64, IssueBrief> IssueSummaryQueries::briefs(const QList<qint64> &issueIds, QString *error) const
{
    QHash<qint64, IssueBrief> briefs;
    Statement users(
        m_db.handle(), QStringLiteral("SELECT count(*) FROM issue_facets WHERE issue_id = ? AND key = 'derived:user'"));
    Statement first(m_db.handle(),
        QStringLiteral("SELECT value FROM issue_facets WHERE issue_id = ? AND key = 'release' "
                       "ORDER BY first_seen_ms, value LIMIT 1"));
    Statement last(m_db.handle(),
        QStringLiteral("SELECT value FROM issue_facets WHERE issue_id = ? AND key = 'release' "
                       "ORDER BY last_seen_ms DESC, value LIMIT 1"));
    for (qint64 id : issueIds) {
        IssueBrief brief;
        for (Statement *statement : { &users, &first, &last }) {
            statement->reset();
            statement->bind(1, id);
        }
        if (users.step())
            brief.users = users.int64(0);
        if (first.step())
            brief.firstRelease = first.text(0);
        if (last.step())
            brief.lastRelease = last.text(0);
        for (const Statement *statement : { &users, &first, &last }) {
            if (!statement->error().isEmpty()) {
                if (error)
                    *error = statement->error();
                return {};
            }
        }
        briefs.insert(id, brief);
    }
    return briefs;
}

IssueSummary IssueSummaryQueries::summary(qint64 issueId, int topValues, QString *error) const
{
    Statement select(m_db.handle(),
        QStringLiteral("SELECT key, value, events, first_seen_ms, last_seen_ms FROM issue_facets WHERE issue_id = ?"));
    select.bind(1, issueId);
    // Every value of the issue is read once; only the top ones are kept per key.
    QHash<QString, QList<TagValueCount>> byKey;
    while (select.step())
        byKey[select.text(0)].append(
            TagValueCount { select.text(1), select.int64(2), select.int64(3), select.int64(4) });
    if (!select.error().isEmpty()) {
        if (error)
            *error = select.error();
        IssueSummary empty;
        empty.issueId = issueId;
        return empty;
    }
    return summarizeFacets(issueId, std::move(byKey), topValues);
}

IssueSummary summarizeFacets(qint64 issueId, QHash<QString, QList<TagValueCount>> byKey, int topValues)
{
    IssueSummary summary;
    summary.issueId = issueId;
    for (auto it = byKey.begin(); it != byKey.end(); ++it) {
        QList<TagValueCount> &values = it.value();
        TagDistribution tag;
        if (it.key().startsWith(QLatin1String("derived:"))) {
            tag.key = it.key().mid(8);
            tag.derived = true;
            if (isUserIdentityKey(tag.key))
                continue;
        } else {
            tag.key = it.key().startsWith(QLatin1String("tag:")) ? it.key().mid(4) : it.key();
        }
        tag.distinctValues = values.size();
        for (const TagValueCount &value : std::as_const(values))
            tag.events += value.events;
        if (it.key() == u"release") {
            summary.releases = values;
            std::sort(
                summary.releases.begin(), summary.releases.end(), [](const TagValueCount &a, const TagValueCount &b) {
                    return a.firstSeenMs != b.firstSeenMs ? a.firstSeenMs < b.firstSeenMs : a.value < b.value;
                });
            if (!values.isEmpty()) {
                summary.firstRelease = summary.releases.first().value;
                summary.lastRelease = std::max_element(
                    values.cbegin(), values.cend(), [](const TagValueCount &a, const TagValueCount &b) {
                        return a.lastSeenMs < b.lastSeenMs;
                    })->value;
            }
        }
        if (tag.derived && tag.key == u"user")
            summary.users = tag.distinctValues;
        const qsizetype keep = std::min<qsizetype>(std::max(0, topValues), values.size());
        std::partial_sort(values.begin(), values.begin() + keep, values.end(), moreFrequent);
        tag.top = values.mid(0, keep);
        summary.tags.append(tag);
    }
    std::sort(summary.tags.begin(), summary.tags.end(), [](const TagDistribution &a, const TagDistribution &b) {
        const int rankA = keyRank(a), rankB = keyRank(b);
        if (rankA != rankB)
            return rankA < rankB;
        return a.key != b.key ? a.key < b.key : a.derived && !b.derived;
    });
    return summary;
}

} // namespace faultline
