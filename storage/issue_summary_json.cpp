#include "storage/issue_summary_json.h"

#include "storage/issue_queries.h"
#include "storage/issue_status.h"

#include <QDateTime>
#include <QJsonArray>

#include <algorithm>

namespace faultline {

namespace {

QString isoTime(qint64 ms)
{
    return ms > 0 ? QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).toString(Qt::ISODate) : QString();
}

// One decimal, of the issue's events (or of the key's, when the counters saw more than the issue count).
double percentOf(qint64 part, qint64 whole)
{
    return whole > 0 ? qRound(1000.0 * double(part) / double(whole)) / 10.0 : 0.0;
}

QJsonObject valueJson(const TagValueCount &value, qint64 whole)
{
    return QJsonObject { { QStringLiteral("value"), value.value }, { QStringLiteral("count"), value.events },
        { QStringLiteral("percent"), percentOf(value.events, whole) },
        { QStringLiteral("first_seen"), isoTime(value.firstSeenMs) },
        { QStringLiteral("last_seen"), isoTime(value.lastSeenMs) } };
}

} // namespace

void addIssueSummaryJson(QJsonObject &json, const IssueRow &issue, const IssueSummary &summary, qint64 nowMs,
    const SummaryJsonLimits &limits)
{
    json.insert(QStringLiteral("users"), summary.users);
    json.insert(QStringLiteral("first_release"), summary.firstRelease);
    json.insert(QStringLiteral("last_release"), summary.lastRelease);
    json.insert(QStringLiteral("status_detail"), statusDetail(issue, nowMs));

    const qsizetype releasesLeftOut = std::max<qsizetype>(0, summary.releases.size() - std::max(0, limits.releases));
    QJsonArray releases;
    for (qsizetype i = releasesLeftOut; i < summary.releases.size(); ++i) {
        const TagValueCount &release = summary.releases.at(i);
        releases.append(
            QJsonObject { { QStringLiteral("release"), release.value }, { QStringLiteral("count"), release.events },
                { QStringLiteral("percent"), percentOf(release.events, issue.count) },
                { QStringLiteral("first_seen"), isoTime(release.firstSeenMs) },
                { QStringLiteral("last_seen"), isoTime(release.lastSeenMs) } });
    }
    json.insert(QStringLiteral("releases"), releases);
    if (releasesLeftOut > 0)
        json.insert(QStringLiteral("releases_omitted"), releasesLeftOut);

    const qsizetype keys = std::min<qsizetype>(summary.tags.size(), std::max(0, limits.tagKeys));
    QJsonArray tags;
    for (qsizetype i = 0; i < keys; ++i) {
        const TagDistribution &tag = summary.tags.at(i);
        QJsonArray top;
        for (const TagValueCount &value : tag.top)
            top.append(valueJson(value, std::max(issue.count, tag.events)));
        tags.append(QJsonObject { { QStringLiteral("key"), tag.key }, { QStringLiteral("derived"), tag.derived },
            { QStringLiteral("events"), tag.events }, { QStringLiteral("distinct_values"), tag.distinctValues },
            { QStringLiteral("top"), top } });
    }
    json.insert(QStringLiteral("tags"), tags);
    if (keys < summary.tags.size())
        json.insert(QStringLiteral("tag_keys_omitted"), summary.tags.size() - keys);
}

} // namespace faultline
