#pragma once
// What the writer's per-issue figures would be if they were counted again from
// the stored events: for checking that moving events (merge, split,
// re-grouping) keeps them right. Valid while retention deleted nothing.
#include "model/derived_tags.h"
#include "storage/database.h"
#include "storage/statement.h"

#include <QMap>
#include <QString>
#include <QStringList>

namespace faultline::test {

// "issue key=value: events first last" lines, one per issue_facets row (as stored) …
inline QStringList storedFacets(Database &db)
{
    QStringList lines;
    Statement select(db.handle(),
        QStringLiteral("SELECT issue_id, key, value, events, first_seen_ms, last_seen_ms FROM issue_facets "
                       "ORDER BY issue_id, key, value"));
    while (select.step())
        lines.append(QStringLiteral("%1 %2=%3: %4 %5 %6")
                         .arg(select.int64(0))
                         .arg(select.text(1), select.text(2))
                         .arg(select.int64(3))
                         .arg(select.int64(4))
                         .arg(select.int64(5)));
    return lines;
}

// … and as the events say they should be.
inline QStringList recountedFacets(Database &db)
{
    struct Count {
        qint64 events = 0, first = 0, last = 0;
    };
    QMap<std::tuple<qint64, QString, QString>, Count> counts;
    auto note = [&](qint64 issue, const QString &key, const QString &value, qint64 received) {
        Count &count = counts[{ issue, key, value }];
        count.first = count.events == 0 ? received : std::min(count.first, received);
        count.last = std::max(count.last, received);
        ++count.events;
    };
    Statement events(
        db.handle(), QStringLiteral("SELECT issue_id, received_ms, release, environment, derived_tags FROM events"));
    while (events.step()) {
        if (!events.text(2).isEmpty())
            note(events.int64(0), QStringLiteral("release"), events.text(2), events.int64(1));
        if (!events.text(3).isEmpty())
            note(events.int64(0), QStringLiteral("environment"), events.text(3), events.int64(1));
        for (const Tag &tag : parseDerivedTagsColumn(events.text(4)))
            note(events.int64(0), QStringLiteral("derived:") + tag.first, tag.second, events.int64(1));
    }
    Statement tags(db.handle(),
        QStringLiteral(
            "SELECT e.issue_id, e.received_ms, t.key, t.value FROM event_tags t JOIN events e ON e.id = t.event_row"));
    while (tags.step())
        note(tags.int64(0), QStringLiteral("tag:") + tags.text(2), tags.text(3), tags.int64(1));
    QStringList lines;
    for (auto it = counts.cbegin(); it != counts.cend(); ++it)
        lines.append(QStringLiteral("%1 %2=%3: %4 %5 %6")
                         .arg(std::get<0>(it.key()))
                         .arg(std::get<1>(it.key()), std::get<2>(it.key()))
                         .arg(it->events)
                         .arg(it->first)
                         .arg(it->last));
    return lines;
}

// The lines of storedFacets()/recountedFacets() with the first/last seen times of tags
// and derived tags left out: moving events away keeps those as bounds (storage/event_mover.h);
// counts, and release and environment times, stay exact.
inline QStringList tagTimesDropped(QStringList lines)
{
    for (QString &line : lines) {
        const qsizetype space = line.indexOf(QLatin1Char(' '));
        const QStringView key = QStringView(line).mid(space + 1);
        if (key.startsWith(u"tag:") || key.startsWith(u"derived:"))
            line = line.section(QLatin1Char(' '), 0, -3);
    }
    return lines;
}

// "issue: count first last" per issue as stored, and as recounted.
inline QStringList storedIssueCounts(Database &db)
{
    QStringList lines;
    Statement select(
        db.handle(), QStringLiteral("SELECT id, count, first_seen_ms, last_seen_ms FROM issues ORDER BY id"));
    while (select.step())
        lines.append(QStringLiteral("%1: %2 %3 %4")
                         .arg(select.int64(0))
                         .arg(select.int64(1))
                         .arg(select.int64(2))
                         .arg(select.int64(3)));
    return lines;
}

inline QStringList recountedIssueCounts(Database &db)
{
    QStringList lines;
    Statement select(db.handle(),
        QStringLiteral("SELECT i.id, count(e.id), coalesce(min(e.received_ms), -1), coalesce(max(e.received_ms), -1) "
                       "FROM issues i LEFT JOIN events e ON e.issue_id = i.id GROUP BY i.id ORDER BY i.id"));
    while (select.step())
        lines.append(QStringLiteral("%1: %2 %3 %4")
                         .arg(select.int64(0))
                         .arg(select.int64(1))
                         .arg(select.int64(2))
                         .arg(select.int64(3)));
    return lines;
}

} // namespace faultline::test
