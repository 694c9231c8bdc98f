#include "storage/postgres/pg_batch_writer.h"

#include "model/page_shape.h"
#include "storage/page_queries.h"
#include "storage/postgres/pg_issue_resolver.h"
#include "storage/postgres/pg_rows_statement.h"

#include <QCryptographicHash>
#include <QSet>

#include <spdlog/spdlog.h>

#include <algorithm>

namespace faultline {

namespace {

using EventKey = QPair<qint64, QByteArray>; // project, event id

EventKey keyOf(const IncomingEvent &incoming) { return { incoming.projectId, incoming.columns.eventId }; }

PgParam text(const QByteArray &utf8) { return PgParam::text(utf8); }

} // namespace

// One transaction's work: what each event turned out to be.
struct PgBatchWriter::Attempt {
    PgConnection &connection;
    const QList<const IncomingEvent *> &events;
    QList<int> firstOf; // per event: the index of the first event of the batch with its id (itself, usually)
    QList<qint64> rowIds; // per event: its events.id, when it is stored now
    QSet<EventKey> stored; // ids this transaction stores
    QList<WriteOutcome> outcomes;

    PgStatus allocateRows();
    PgStatus claimEventIds();
    PgStatus answerStoredBefore();
    PgStatus insertEvents(const QList<int> &fresh, const QList<ResolvedEvent> &resolved);
    PgStatus insertFacets(const QList<int> &fresh);
    PgStatus addIssueWords(const QList<int> &fresh, PgIssueWords &words);
    void takeWorkflowFlags(const QList<int> &fresh, const QList<ResolvedEvent> &resolved);
};

PgBatchWriter::PgBatchWriter(PgConnection &connection)
    : m_connection(connection)
{
}

PgResult<PgBatchResult> PgBatchWriter::write(const QList<const IncomingEvent *> &events)
{
    for (const IncomingEvent *incoming : events) {
        if (incoming->columns.isEmpty()) // IncomingEvent::prepare() built them (and storedRaw)
            return PgError { PgError::Kind::Query, {},
                QStringLiteral("event %1 reached the writer unprepared").arg(incoming->event.eventId) };
        // Outside the batch's transaction: making a partition locks its parent.
        if (PgStatus month = m_partitions.ensureMonth(m_connection, incoming->columns.receivedMs); !month)
            return month.error();
    }
    for (int attempt = 1;; ++attempt) {
        PgResult<PgBatchResult> result = writeOnce(events);
        if (result || !result.error().isRetryable() || attempt == kMaxAttempts) {
            if (result)
                result->attempts = attempt;
            return result;
        }
        spdlog::info("batch of {} events met a concurrent writer ({}); writing it again", events.size(),
            result.error().message.toStdString());
    }
}

PgResult<PgBatchResult> PgBatchWriter::writeOnce(const QList<const IncomingEvent *> &events)
{
    Attempt attempt { m_connection, events, {}, {}, {}, {} };
    auto fail = [&](const PgError &error) {
        m_connection.rollback();
        return error;
    };
    // The insert trigger leaves the words to addIssueWords() (migration 25).
    // The issues table is locked first, as making a month's partitions and
    // dropping one lock it before the events' tables (batches do not conflict
    // on this mode): a batch that updates issues only at its end would
    // otherwise hold events while they hold issues.
    if (PgStatus begun
        = m_connection.beginWith("SET LOCAL faultline.words_from_writer = on; LOCK TABLE issues IN ROW EXCLUSIVE MODE");
        !begun)
        return fail(begun.error());
    if (PgStatus step = attempt.allocateRows(); !step)
        return fail(step.error());
    if (PgStatus step = attempt.claimEventIds(); !step)
        return fail(step.error());
    if (PgStatus step = attempt.answerStoredBefore(); !step)
        return fail(step.error());

    QList<int> fresh; // indexes of the events stored now
    QList<const IncomingEvent *> freshEvents;
    for (qsizetype i = 0; i < events.size(); ++i) {
        if (attempt.firstOf[i] == i && attempt.stored.contains(keyOf(*events[i]))) {
            fresh.append(int(i));
            freshEvents.append(events[i]);
        }
    }
    // Another writer's batch that touches the same issues waits from the
    // facets' upsert (rows it shares) to this commit, so the rest comes first.
    PgIssueResolver resolver(m_connection);
    PgResult<QList<ResolvedEvent>> resolved = resolver.assign(freshEvents);
    if (!resolved)
        return fail(resolved.error());
    if (PgStatus step = attempt.insertEvents(fresh, resolved.value()); !step)
        return fail(step.error());
    if (PgStatus step = attempt.addIssueWords(fresh, m_issueWords); !step)
        return fail(step.error());
    if (PgStatus step = attempt.insertFacets(fresh); !step)
        return fail(step.error());
    QList<qint64> freshRows;
    for (int i : fresh)
        freshRows.append(attempt.rowIds[i]);
    if (PgStatus settled = resolver.settle(resolved.value(), freshRows); !settled)
        return fail(settled.error());
    attempt.takeWorkflowFlags(fresh, resolved.value());
    if (PgStatus committed = m_connection.commit(); !committed)
        return fail(committed.error());
    m_issueWords.committed();

    PgBatchResult result;
    QSet<qint64> issues;
    QSet<qint64> projects;
    for (qsizetype i = 0; i < events.size(); ++i) {
        WriteOutcome &outcome = attempt.outcomes[i];
        if (attempt.firstOf[i] != i) // the same id twice in one batch: answered as the first
            outcome = attempt.outcomes[attempt.firstOf[i]];
        outcome.committed = true;
        result.summary.count(outcome);
        if (outcome.issueId != 0)
            issues.insert(outcome.issueId);
        projects.insert(events[i]->projectId);
    }
    result.summary.events = int(events.size());
    result.summary.setTouched(issues, projects);
    result.outcomes = std::move(attempt.outcomes);
    return result;
}

// Row ids for every event up front, in one round trip, so events, tags and
// attachments can be written as multi-row statements without RETURNING.
PgStatus PgBatchWriter::Attempt::allocateRows()
{
    QHash<EventKey, int> first;
    for (qsizetype i = 0; i < events.size(); ++i) {
        firstOf.append(int(first.value(keyOf(*events[i]), int(i))));
        first.insert(keyOf(*events[i]), firstOf.constLast());
        WriteOutcome outcome;
        outcome.eventId = QString::fromUtf8(events[i]->columns.eventId);
        outcomes.append(outcome);
    }
    auto ids = connection.exec(QStringLiteral("SELECT nextval('events_id_seq') FROM generate_series(1, $1)"),
        { PgParam::integer(events.size()) });
    if (!ids)
        return ids.error();
    for (int row = 0; row < ids->rowCount(); ++row)
        rowIds.append(ids->int64(row, 0));
    return PgDone {};
}

// The deduplication: an id this INSERT does not return was stored before (or
// by a writer whose transaction this one waited for), and is not stored again.
// In (project, id) order, the order every writer takes these keys in.
PgStatus PgBatchWriter::Attempt::claimEventIds()
{
    QList<int> order;
    for (qsizetype i = 0; i < events.size(); ++i)
        if (firstOf[i] == i)
            order.append(int(i));
    std::sort(order.begin(), order.end(), [&](int a, int b) { return keyOf(*events[a]) < keyOf(*events[b]); });
    PgRowsStatement claim(QStringLiteral("INSERT INTO event_ids(project_id, event_id, received_ms, event_row) VALUES"),
        QStringLiteral(" ON CONFLICT (project_id, event_id) DO NOTHING RETURNING project_id, event_id"), 4);
    for (int i : order)
        claim.addRow({ PgParam::integer(events[i]->projectId), text(events[i]->columns.eventId),
            PgParam::integer(events[i]->columns.receivedMs), PgParam::integer(rowIds[i]) });
    auto claimed = claim.exec(connection);
    if (!claimed)
        return claimed.error();
    for (const PgRows &rows : claimed.value())
        for (int row = 0; row < rows.rowCount(); ++row)
            stored.insert({ rows.int64(row, 0), rows.bytes(row, 1) });
    return PgDone {};
}

// A retried event is acknowledged again, with the issue it went to.
PgStatus PgBatchWriter::Attempt::answerStoredBefore()
{
    PgRowsStatement lookup(QStringLiteral("SELECT i.project_id, i.event_id, e.issue_id FROM event_ids i "
                                          "JOIN events e ON e.id = i.event_row AND e.received_ms = i.received_ms "
                                          "JOIN (VALUES"),
        QStringLiteral(") v(p, id) ON i.project_id = v.p AND i.event_id = v.id"), 2,
        { QStringLiteral("::bigint"), QStringLiteral("::text") });
    for (qsizetype i = 0; i < events.size(); ++i)
        if (firstOf[i] == i && !stored.contains(keyOf(*events[i])))
            lookup.addRow({ PgParam::integer(events[i]->projectId), text(events[i]->columns.eventId) });
    if (lookup.isEmpty())
        return PgDone {};
    auto found = lookup.exec(connection);
    if (!found)
        return found.error();
    QHash<EventKey, qint64> issueOf;
    for (const PgRows &rows : found.value())
        for (int row = 0; row < rows.rowCount(); ++row)
            issueOf.insert({ rows.int64(row, 0), rows.bytes(row, 1) }, rows.int64(row, 2));
    for (qsizetype i = 0; i < events.size(); ++i)
        outcomes[i].issueId = issueOf.value(keyOf(*events[i]), outcomes[i].issueId);
    return PgDone {};
}

PgStatus PgBatchWriter::Attempt::insertEvents(const QList<int> &fresh, const QList<ResolvedEvent> &resolved)
{
    PgRowsStatement insert(
        QStringLiteral(
            "INSERT INTO events(id, event_id, issue_id, project_id, timestamp_ms, received_ms, level, title, "
            "message, exception_type, exception_value, exception_values, culprit, environment, release, "
            "platform, has_locals, http_status, validation_fields, derived_tags, raw, raw_size, frames, "
            "grouping_key_id) VALUES"),
        QString(), 24);
    PgRowsStatement tags(
        QStringLiteral("INSERT INTO event_tags(event_row, received_ms, key, value) VALUES"), QString(), 4);
    PgRowsStatement blobs(QStringLiteral("INSERT INTO attachment_blobs(sha256, data, shape) VALUES"),
        QStringLiteral(" ON CONFLICT (sha256) DO NOTHING"), 3);
    PgRowsStatement attachments(QStringLiteral("INSERT INTO attachments(event_row, received_ms, filename, "
                                               "content_type, attachment_type, size, sha256) VALUES"),
        QString(), 7);
    QMap<QString, const Attachment *> bodies; // by hash, sorted: writers insert shared bodies in one order
    for (qsizetype n = 0; n < fresh.size(); ++n) {
        const int i = fresh[n];
        const IncomingEvent &incoming = *events[i];
        const EventColumns &c = incoming.columns;
        WriteOutcome &outcome = outcomes[i];
        outcome.issueId = resolved[n].issueId;
        outcome.newIssue = resolved[n].newIssue;
        insert.addRow({ PgParam::integer(rowIds[i]), text(c.eventId), PgParam::integer(outcome.issueId),
            PgParam::integer(incoming.projectId), PgParam::integer(c.timestampMs), PgParam::integer(c.receivedMs),
            text(c.level), text(c.title), text(c.message), text(c.exceptionType), text(c.exceptionValue),
            text(c.exceptionValues), text(c.culprit), text(c.environment), text(c.release), text(c.platform),
            PgParam::integer(c.hasLocals ? 1 : 0), PgParam::integer(c.httpStatus), text(c.validationFields),
            text(c.derivedTags), PgParam::bytea(incoming.storedRaw.compressed),
            PgParam::integer(incoming.storedRaw.size), text(c.frames),
            resolved[n].keyId ? PgParam::integer(resolved[n].keyId) : PgParam::null() });
        for (const Tag &tag : incoming.event.tags)
            tags.addRow({ PgParam::integer(rowIds[i]), PgParam::integer(c.receivedMs), PgParam::text(tag.first),
                PgParam::text(tag.second) });
        for (const Attachment &attachment : incoming.attachments) {
            const QString sha256
                = QString::fromLatin1(QCryptographicHash::hash(attachment.data, QCryptographicHash::Sha256).toHex());
            bodies.insert(sha256, &attachment);
            attachments.addRow(
                { PgParam::integer(rowIds[i]), PgParam::integer(c.receivedMs), PgParam::text(attachment.filename),
                    PgParam::text(attachment.contentType), PgParam::text(attachment.attachmentType),
                    PgParam::integer(attachment.data.size()), PgParam::text(sha256) });
        }
    }
    for (auto it = bodies.cbegin(); it != bodies.cend(); ++it) {
        const Attachment &attachment = **it;
        const bool page = PageQueries::isPage(attachment.filename, attachment.contentType);
        blobs.addRow({ PgParam::text(it.key()), PgParam::bytea(attachment.data),
            page ? PgParam::text(pageShapeHash(attachment.data)) : PgParam::null() });
    }
    for (const PgRowsStatement *statement : { &insert, &tags, &blobs, &attachments }) {
        if (statement->isEmpty())
            continue;
        if (auto done = statement->exec(connection); !done)
            return done.error();
    }
    return PgDone {};
}

// What each issue has seen (issue_facets, migration 12): one upsert per
// distinct (issue, key, value), in that order.
PgStatus PgBatchWriter::Attempt::insertFacets(const QList<int> &fresh)
{
    QMap<std::tuple<qint64, QString, QString>, FacetCount> counts;
    for (int i : fresh)
        for (const auto &[key, value] : events[i]->columns.facets)
            counts[{ outcomes[i].issueId, key, value }].add(events[i]->columns.receivedMs);
    PgRowsStatement upsert(QString::fromLatin1(kPgUpsertFacetsHead), QString::fromLatin1(kPgUpsertFacetsTail), 6);
    for (auto it = counts.cbegin(); it != counts.cend(); ++it)
        upsert.addRow({ PgParam::integer(std::get<0>(it.key())), PgParam::text(std::get<1>(it.key())),
            PgParam::text(std::get<2>(it.key())), PgParam::integer(it->events), PgParam::integer(it->firstSeenMs),
            PgParam::integer(it->lastSeenMs) });
    if (upsert.isEmpty())
        return PgDone {};
    auto done = upsert.exec(connection);
    return done ? PgStatus(PgDone {}) : PgStatus(done.error());
}

PgStatus PgBatchWriter::Attempt::addIssueWords(const QList<int> &fresh, PgIssueWords &words)
{
    words.startBatch();
    for (int i : fresh)
        words.add(events[i]->columns, rowIds[i], outcomes[i].issueId);
    return words.write(connection);
}

void PgBatchWriter::Attempt::takeWorkflowFlags(const QList<int> &fresh, const QList<ResolvedEvent> &resolved)
{
    for (qsizetype n = 0; n < fresh.size(); ++n) {
        outcomes[fresh[n]].regression = resolved[n].regression;
        outcomes[fresh[n]].escalation = resolved[n].escalation;
    }
}

} // namespace faultline
