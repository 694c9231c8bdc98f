#include "storage/batch_writer.h"

#include "model/issue_rollup.h"
#include "model/release_order.h"
#include "storage/database.h"
#include "storage/issue_status.h"
#include "storage/page_queries.h"

#include <QCryptographicHash>
#include <QJsonDocument>
#include <QSet>

#include <sqlite3.h>

namespace faultline {

namespace {

// Always false, so a failed write reads `return failed(statement, error, "…")`.
bool failed(const Statement &statement, QString *error, const char *what)
{
    *error = QStringLiteral("%1: %2").arg(QLatin1String(what), statement.error());
    return false;
}

bool stepFailed(const Statement &statement, QString *error, const char *what)
{
    if (statement.error().isEmpty())
        return false;
    *error = QStringLiteral("%1: %2").arg(QLatin1String(what), statement.error());
    return true;
}

} // namespace

BatchWriter::BatchWriter(Database &db)
    : m_db(db)
{
}

bool BatchWriter::isEnvironmentalFailure(int sqliteCode)
{
    switch (sqliteCode & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
    case SQLITE_FULL:
    case SQLITE_IOERR:
    case SQLITE_READONLY:
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
    case SQLITE_CANTOPEN:
    case SQLITE_NOMEM:
        return true;
    default:
        return false;
    }
}

void BatchWriter::countFacets(qint64 issueId, const EventColumns &columns)
{
    for (const auto &[key, value] : columns.facets) {
        m_facetCounts[FacetKey { issueId, key, value }].add(columns.receivedMs);
    }
}

bool BatchWriter::writeFacetCounts(QString *error)
{
    for (auto it = m_facetCounts.cbegin(); it != m_facetCounts.cend(); ++it) {
        m_upsertFacet.reset();
        m_upsertFacet.bindAll(
            { it.key().issueId, it.key().key, it.key().value, it->events, it->firstSeenMs, it->lastSeenMs });
        if (!m_upsertFacet.exec())
            return failed(m_upsertFacet, error, "counting what the issue has seen");
    }
    return true;
}

bool BatchWriter::prepare(QString *error)
{
    sqlite3 *db = m_db.handle();
    m_findEvent = Statement(db, QStringLiteral("SELECT issue_id FROM events WHERE project_id = ? AND event_id = ?"));
    m_findKey = Statement(db,
        QStringLiteral(
            "SELECT k.id, i.id, i.status, i.level, i.count, i.substatus, i.resolved_after_release, "
            "i.ignore_until_ms, i.ignore_until_count, i.ignore_baseline, i.unhandled "
            "FROM grouping_keys k JOIN issues i ON i.id = k.issue_id WHERE k.project_id = ? AND k.hash = ?"));
    m_insertKey = Statement(db,
        QStringLiteral("INSERT INTO grouping_keys(project_id, hash, issue_id, strategy, explanation, linked_by) "
                       "VALUES (?, ?, ?, ?, ?, ?) RETURNING id"));
    m_insertIssue = Statement(db,
        QStringLiteral("INSERT INTO issues(project_id, fingerprint, title, culprit, first_title, first_culprit, level, "
                       "status, regressed, count, first_seen_ms, last_seen_ms, unhandled) "
                       "VALUES (?1, ?2, ?3, ?4, ?3, ?4, ?5, 'unresolved', 0, 1, ?6, ?7, ?8) RETURNING id"));
    // ?10: the status changed (its conditions end with it); ?11: the new substatus.
    m_updateIssue = Statement(db,
        QStringLiteral("UPDATE issues SET count = count + ?1, last_seen_ms = max(last_seen_ms, ?2), first_seen_ms = "
                       "min(first_seen_ms, ?3), level = ?4, status = ?5, "
                       "regressed = CASE WHEN ?6 THEN 1 ELSE regressed END, title = ?8, culprit = ?9, "
                       "substatus = CASE WHEN ?10 THEN ?11 ELSE substatus END, "
                       "resolved_after_release = CASE WHEN ?10 THEN '' ELSE resolved_after_release END, "
                       "ignore_until_ms = CASE WHEN ?10 THEN 0 ELSE ignore_until_ms END, "
                       "ignore_until_count = CASE WHEN ?10 THEN 0 ELSE ignore_until_count END, "
                       "ignore_baseline = CASE WHEN ?10 THEN 0 ELSE ignore_baseline END, "
                       "unhandled = max(unhandled, ?12) WHERE id = ?7"));
    m_countRecent = Statement(
        db, QStringLiteral("SELECT count(*) FROM events WHERE issue_id = ? AND received_ms > ? AND received_ms <= ?"));
    m_insertEvent = Statement(db,
        QStringLiteral(
            "INSERT INTO events(event_id, issue_id, project_id, timestamp_ms, received_ms, level, title, message, "
            "exception_type, exception_value, exception_values, culprit, environment, release, platform, has_locals, "
            "http_status, validation_fields, derived_tags, raw, raw_size, frames, grouping_key_id) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id"));
    m_insertTag = Statement(db, QStringLiteral("INSERT INTO event_tags(event_row, key, value) VALUES (?, ?, ?)"));
    m_upsertFacet = Statement(db, QString::fromLatin1(kUpsertFacetSql));
    m_insertBlob = Statement(db,
        QStringLiteral("INSERT OR IGNORE INTO attachment_blobs(sha256, data, shape) "
                       "VALUES (?1, ?2, CASE WHEN ?3 THEN page_shape(?2) END)"));
    m_insertAttachment = Statement(db,
        QStringLiteral("INSERT INTO attachments(event_row, filename, content_type, attachment_type, size, sha256) "
                       "VALUES (?, ?, ?, ?, ?, ?)"));
    m_upsertDiscard = Statement(db,
        QStringLiteral(
            "INSERT INTO discarded(project_id, reason, category, hour, quantity) VALUES (?, ?, ?, ?, ?) "
            "ON CONFLICT(project_id, reason, category, hour) DO UPDATE SET quantity = quantity + excluded.quantity"));
    m_markPending = Statement(db, QStringLiteral("INSERT INTO fts_pending(event_row) VALUES (?)"));
    m_indexPending = Statement(db,
        QStringLiteral("INSERT INTO events_fts(rowid, title, message, exception_values, culprit, frames) "
                       "SELECT e.id, e.title, e.message, e.exception_values, e.culprit, e.frames "
                       "FROM fts_pending p JOIN events e ON e.id = p.event_row"));
    m_clearPending = Statement(db, QStringLiteral("DELETE FROM fts_pending"));
    for (const Statement *statement : { &m_markPending, &m_indexPending, &m_clearPending, &m_findEvent, &m_findKey,
             &m_insertKey, &m_insertIssue, &m_updateIssue, &m_countRecent, &m_insertEvent, &m_insertTag, &m_upsertFacet,
             &m_insertBlob, &m_insertAttachment, &m_upsertDiscard }) {
        if (!statement->isValid()) {
            *error = statement->error();
            return false;
        }
    }
    m_prepared = true;
    return true;
}

BatchResult BatchWriter::write(
    const QList<const IncomingEvent *> &events, const QList<DiscardCount> &discards, bool indexSearch)
{
    BatchResult result;
    sqlite3 *db = m_db.handle();
    auto fail = [&](const QString &error) {
        result.sqliteCode = sqlite3_errcode(db);
        result.error = error;
        if (!sqlite3_get_autocommit(db))
            execSql(db, "ROLLBACK");
        result.outcomes.clear();
        result.summary = {};
        return result;
    };
    if (!m_prepared && !prepare(&result.error))
        return fail(result.error);

    QString error;
    m_keys.clear();
    m_touched.clear();
    m_facetCounts.clear();
    if (!execSql(db, "BEGIN IMMEDIATE", &error))
        return fail(error);
    QSet<qint64> issues;
    QSet<qint64> projects;
    for (const IncomingEvent *incoming : events) {
        WriteOutcome outcome;
        if (!writeEvent(*incoming, &outcome, &error))
            return fail(error);
        result.outcomes.append(outcome);
        ++result.summary.events;
        result.summary.count(outcome);
        issues.insert(outcome.issueId);
        projects.insert(incoming->projectId);
    }
    if (!updateTouchedIssues(&error) || !writeFacetCounts(&error))
        return fail(error);
    if (indexSearch && !indexPending(&error))
        return fail(error);
    for (const DiscardCount &discard : discards) {
        if (!writeDiscard(discard, &error))
            return fail(error);
        projects.insert(discard.projectId);
    }
    if (!execSql(db, "COMMIT", &error))
        return fail(error);

    result.committed = true;
    result.summary.setTouched(issues, projects);
    return result;
}

bool BatchWriter::writeEvent(const IncomingEvent &incoming, WriteOutcome *outcome, QString *error)
{
    const Event &event = incoming.event;
    const EventColumns &columns = incoming.columns;
    if (columns.isEmpty()) { // IncomingEvent::prepare() built them; only a moved-from event has none
        *error = QStringLiteral("event %1 reached the writer unprepared").arg(event.eventId);
        return false;
    }
    outcome->eventId = QString::fromUtf8(columns.eventId);

    // A retried send (same event_id) is acknowledged again, not counted again.
    m_findEvent.reset();
    m_findEvent.bindInt64(1, incoming.projectId);
    m_findEvent.bindText(2, columns.eventId);
    if (m_findEvent.step()) {
        outcome->committed = true;
        outcome->issueId = m_findEvent.int64(0);
        m_findEvent.reset();
        return true;
    }
    if (stepFailed(m_findEvent, error, "looking up the event id"))
        return false;

    qint64 keyId = 0;
    if (!resolveIssue(incoming, columns.receivedMs, outcome, &keyId, error))
        return false;

    const StoredRaw &raw = incoming.storedRaw;
    m_insertEvent.reset();
    int column = 0;
    m_insertEvent.bindText(++column, columns.eventId);
    for (qint64 number : { outcome->issueId, incoming.projectId, columns.timestampMs, columns.receivedMs })
        m_insertEvent.bindInt64(++column, number);
    for (const QByteArray *text :
        { &columns.level, &columns.title, &columns.message, &columns.exceptionType, &columns.exceptionValue,
            &columns.exceptionValues, &columns.culprit, &columns.environment, &columns.release, &columns.platform })
        m_insertEvent.bindText(++column, *text);
    m_insertEvent.bindInt64(++column, columns.hasLocals ? 1 : 0);
    m_insertEvent.bindInt64(++column, columns.httpStatus);
    m_insertEvent.bindText(++column, columns.validationFields);
    m_insertEvent.bindText(++column, columns.derivedTags);
    m_insertEvent.bindBlob(++column, raw.compressed);
    m_insertEvent.bindInt64(++column, raw.size);
    m_insertEvent.bindText(++column, columns.frames);
    m_insertEvent.bindInt64(++column, keyId);
    if (!m_insertEvent.step())
        return failed(m_insertEvent, error, "inserting the event");
    const qint64 rowId = m_insertEvent.int64(0);
    m_insertEvent.reset();
    m_markPending.reset();
    m_markPending.bindInt64(1, rowId);
    if (!m_markPending.exec())
        return failed(m_markPending, error, "queueing the event for the search index");

    for (const Tag &tag : event.tags) {
        m_insertTag.reset();
        m_insertTag.bindAll({ rowId, tag.first, tag.second });
        if (!m_insertTag.exec())
            return failed(m_insertTag, error, "inserting a tag");
    }
    countFacets(outcome->issueId, columns);
    for (const Attachment &attachment : incoming.attachments) {
        const QString sha256
            = QString::fromLatin1(QCryptographicHash::hash(attachment.data, QCryptographicHash::Sha256).toHex());
        m_insertBlob.reset();
        m_insertBlob.bindAll(
            { sha256, attachment.data, PageQueries::isPage(attachment.filename, attachment.contentType) ? 1 : 0 });
        if (!m_insertBlob.exec())
            return failed(m_insertBlob, error, "storing an attachment");
        m_insertAttachment.reset();
        m_insertAttachment.bindAll({ rowId, attachment.filename, attachment.contentType, attachment.attachmentType,
            qint64(attachment.data.size()), sha256 });
        if (!m_insertAttachment.exec())
            return failed(m_insertAttachment, error, "inserting an attachment");
    }
    outcome->committed = true; // provisional: only reported once the batch commits
    return true;
}

bool BatchWriter::findKey(const KeyRef &key, std::optional<KnownKey> *found, QString *error)
{
    m_findKey.reset();
    m_findKey.bindAll({ key.first, key.second });
    if (m_findKey.step()) {
        KnownKey key;
        key.keyId = m_findKey.int64(0);
        key.issueId = m_findKey.int64(1);
        key.workflow.status = m_findKey.text(2);
        key.level = m_findKey.text(3);
        key.workflow.storedCount = m_findKey.int64(4);
        key.workflow.substatus = m_findKey.text(5);
        key.workflow.resolvedAfterRelease = m_findKey.text(6);
        key.workflow.ignoreUntilMs = m_findKey.int64(7);
        key.workflow.ignoreUntilCount = m_findKey.int64(8);
        key.workflow.ignoreBaseline = m_findKey.int64(9);
        key.unhandled = m_findKey.int64(10) != 0;
        *found = key;
        m_findKey.reset();
        return true;
    }
    return !stepFailed(m_findKey, error, "looking up the grouping key");
}

bool BatchWriter::insertKey(
    const IncomingEvent &incoming, qint64 issueId, const QString &linkedBy, KnownKey *inserted, QString *error)
{
    // Written once per key, so the explanation is worked out here, not for every event.
    const GroupingExplanation explained = explanationOf(incoming.issue, incoming.event);
    const QByteArray explanation = QJsonDocument(toJson(explained)).toJson(QJsonDocument::Compact);
    m_insertKey.reset();
    m_insertKey.bindAll({ incoming.projectId, incoming.issue.fingerprint, issueId, explained.strategy,
        QString::fromUtf8(explanation), linkedBy });
    if (!m_insertKey.step())
        return failed(m_insertKey, error, "recording the grouping key");
    inserted->keyId = m_insertKey.int64(0);
    inserted->issueId = issueId;
    m_insertKey.reset();
    return true;
}

bool BatchWriter::createIssue(const IncomingEvent &incoming, qint64 receivedMs, qint64 *issueId, QString *error)
{
    m_insertIssue.reset();
    m_insertIssue.bindAll({ incoming.projectId, incoming.issue.fingerprint, incoming.issue.title,
        incoming.issue.culprit, incoming.event.level, receivedMs, receivedMs, isUnhandled(incoming.event) ? 1 : 0 });
    if (!m_insertIssue.step())
        return failed(m_insertIssue, error, "inserting the issue");
    *issueId = m_insertIssue.int64(0);
    m_insertIssue.reset();
    return true;
}

bool BatchWriter::resolveIssue(
    const IncomingEvent &incoming, qint64 receivedMs, WriteOutcome *outcome, qint64 *keyId, QString *error)
{
    const Event &event = incoming.event;
    const KeyRef keyRef { incoming.projectId, incoming.issue.fingerprint };
    auto known = m_keys.constFind(keyRef);
    if (known == m_keys.cend()) {
        std::optional<KnownKey> found;
        if (!findKey(keyRef, &found, error))
            return false;
        if (!found && !incoming.issue.legacyFingerprint.isEmpty()) {
            // Secondary grouping: an issue created under v1 keeps getting this
            // bug's events; the current key is linked to it so the next one finds it at once.
            std::optional<KnownKey> legacy;
            if (!findKey({ incoming.projectId, incoming.issue.legacyFingerprint }, &legacy, error))
                return false;
            if (legacy) {
                KnownKey linked = *legacy;
                if (!insertKey(incoming, legacy->issueId, QStringLiteral("v1"), &linked, error))
                    return false;
                found = linked;
            }
        }
        if (!found) {
            KnownKey created;
            created.workflow.status = QStringLiteral("unresolved");
            created.level = event.level;
            created.unhandled = isUnhandled(event);
            if (!createIssue(incoming, receivedMs, &created.issueId, error)
                || !insertKey(incoming, created.issueId, QStringLiteral("created"), &created, error))
                return false;
            outcome->newIssue = true;
            found = created;
        }
        known = m_keys.insert(keyRef, *found);
    }
    *keyId = known->keyId;

    auto touched = m_touched.find(known->issueId);
    if (touched == m_touched.end()) {
        TouchedIssue issue;
        issue.id = known->issueId;
        issue.workflow = known->workflow;
        issue.level = known->level;
        issue.unhandled = known->unhandled;
        issue.newEvents = outcome->newIssue ? -1 : 0; // the insert counted this event already
        issue.firstSeenMs = issue.lastSeenMs = receivedMs;
        touched = m_touched.insert(issue.id, issue);
    }
    TouchedIssue &issue = *touched;
    issue.title = incoming.issue.title; // events arrive in order: the last one is the latest
    issue.culprit = incoming.issue.culprit;
    if (!evaluateStatus(issue, event, receivedMs, outcome, error))
        return false;
    if (!issue.unhandled && isUnhandled(event))
        issue.unhandled = issue.unhandledChanged = true;
    issue.level = moreSevereLevel(issue.level, event.level);
    issue.firstSeenMs = std::min(issue.firstSeenMs, receivedMs);
    issue.lastSeenMs = std::max(issue.lastSeenMs, receivedMs);
    ++issue.newEvents;
    outcome->issueId = issue.id;
    return true;
}

bool BatchWriter::evaluateStatus(
    TouchedIssue &issue, const Event &event, qint64 receivedMs, WriteOutcome *outcome, QString *error)
{
    // The batch's earlier events are stored already; this one is not yet.
    auto countLastHour = [&]() -> std::optional<qint64> {
        m_countRecent.reset();
        m_countRecent.bindAll({ issue.id, receivedMs - kEscalationWindowMs, receivedMs });
        if (!m_countRecent.step()) {
            failed(m_countRecent, error, "counting the issue's last hour");
            return std::nullopt;
        }
        const qint64 count = m_countRecent.int64(0);
        m_countRecent.reset();
        return count;
    };
    const std::optional<WorkflowChange> change
        = judgeArrival(issue.workflow, event.release, receivedMs, issue.newEvents, countLastHour);
    if (!change)
        return false;
    outcome->regression = *change == WorkflowChange::Regressed;
    outcome->escalation = *change == WorkflowChange::Escalated;
    return true;
}

bool BatchWriter::updateTouchedIssues(QString *error)
{
    for (const TouchedIssue &issue : std::as_const(m_touched)) {
        if (issue.newEvents == 0 && !issue.workflow.regressed && !issue.workflow.statusChanged
            && !issue.unhandledChanged)
            continue; // a new issue with one event: its insert said it all
        m_updateIssue.reset();
        m_updateIssue.bindAll({ issue.newEvents, issue.lastSeenMs, issue.firstSeenMs, issue.level,
            issue.workflow.status, issue.workflow.regressed, issue.id, issue.title, issue.culprit,
            issue.workflow.statusChanged, issue.workflow.substatus, issue.unhandled ? 1 : 0 });
        if (!m_updateIssue.exec())
            return failed(m_updateIssue, error, "updating the issue");
    }
    return true;
}

bool BatchWriter::indexPending(QString *error)
{
    m_indexPending.reset();
    if (!m_indexPending.exec())
        return failed(m_indexPending, error, "adding events to the search index");
    m_clearPending.reset();
    if (!m_clearPending.exec())
        return failed(m_clearPending, error, "clearing the search index's to-do list");
    return true;
}

bool BatchWriter::writeDiscard(const DiscardCount &discard, QString *error)
{
    m_upsertDiscard.reset();
    m_upsertDiscard.bindAll({ discard.projectId, discard.reason, discard.category, discard.hour, discard.quantity });
    if (!m_upsertDiscard.exec())
        return failed(m_upsertDiscard, error, "counting discarded events");
    return true;
}

} // namespace faultline
