#pragma once
// One (issue, key, value) counter of issue_facets (migration v12) and what is
// added to it: the writer counts a batch's events into these, EventMover the
// events it moves. kUpsertFacetSql adds one to the table.
#include <QHash>
#include <QString>

namespace faultline {

struct FacetKey {
    qint64 issueId = 0;
    QString key;
    QString value;
    friend bool operator==(const FacetKey &, const FacetKey &) = default;
    friend size_t qHash(const FacetKey &k, size_t seed = 0) { return qHashMulti(seed, k.issueId, k.key, k.value); }
};

struct FacetCount {
    qint64 events = 0;
    qint64 firstSeenMs = 0;
    qint64 lastSeenMs = 0;

    void add(qint64 receivedMs)
    {
        firstSeenMs = events == 0 ? receivedMs : std::min(firstSeenMs, receivedMs);
        lastSeenMs = std::max(lastSeenMs, receivedMs);
        ++events;
    }
};

// Binds ?1 issue, ?2 key, ?3 value, ?4 events, ?5 first seen, ?6 last seen.
inline const char *const kUpsertFacetSql
    = "INSERT INTO issue_facets(issue_id, key, value, events, first_seen_ms, last_seen_ms) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT(issue_id, key, value) DO UPDATE SET "
      "events = events + ?4, first_seen_ms = CASE WHEN first_seen_ms = 0 THEN ?5 "
      "ELSE min(first_seen_ms, ?5) END, last_seen_ms = max(last_seen_ms, ?6)";

// PostgreSQL's form, for a PgRowsStatement of (issue, key, value, events,
// first seen, last seen) rows: what goes before and after the VALUES list.
inline const char *const kPgUpsertFacetsHead
    = "INSERT INTO issue_facets(issue_id, key, value, events, first_seen_ms, last_seen_ms) VALUES";
inline const char *const kPgUpsertFacetsTail
    = " ON CONFLICT (issue_id, key, value) DO UPDATE SET events = issue_facets.events + EXCLUDED.events, "
      "first_seen_ms = CASE WHEN issue_facets.first_seen_ms = 0 THEN EXCLUDED.first_seen_ms "
      "ELSE least(issue_facets.first_seen_ms, EXCLUDED.first_seen_ms) END, "
      "last_seen_ms = greatest(issue_facets.last_seen_ms, EXCLUDED.last_seen_ms)";

} // namespace faultline
