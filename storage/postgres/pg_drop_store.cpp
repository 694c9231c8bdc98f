#include "storage/postgres/pg_drop_store.h"

#include "storage/postgres/pg_rows_statement.h"

#include <QMap>

namespace faultline {

PgStatus PgDropStore::addRefusals(const QList<DropRecord> &records, qint64 nowMs)
{
    if (records.isEmpty())
        return PgDone {};
    const qint64 hour = nowMs / DroppedEventsStore::kHourMs;
    // An id no project has (a guess in a URL) counts under 0, so the rows stay
    // as few as the real projects times the reasons. Merged per key first:
    // one statement may not update a row twice.
    QMap<QPair<qint64, QString>, qint64> counts;
    QMap<QPair<qint64, QString>, const DropExample *> examples;
    for (const DropRecord &record : records) {
        const QPair<qint64, QString> key(record.projectId, record.reason);
        counts[key] += record.quantity;
        if (record.example && (!examples.value(key) || record.example->receivedMs >= examples[key]->receivedMs))
            examples[key] = &*record.example;
    }
    const QString project = QStringLiteral("coalesce((SELECT id FROM projects WHERE id = v.p), 0)");
    PgRowsStatement count(
        QStringLiteral("INSERT INTO refusal_counts(project_id, reason, hour, count) SELECT %1, v.r, v.h, sum(v.n) "
                       "FROM (VALUES")
            .arg(project),
        QStringLiteral(") v(p, r, h, n) GROUP BY 1, 2, 3 ORDER BY 1, 2, 3 ON CONFLICT (project_id, reason, hour) "
                       "DO UPDATE SET count = refusal_counts.count + EXCLUDED.count"),
        4,
        { QStringLiteral("::bigint"), QStringLiteral("::text"), QStringLiteral("::bigint"),
            QStringLiteral("::bigint") });
    for (auto it = counts.cbegin(); it != counts.cend(); ++it)
        count.addRow({ PgParam::integer(it.key().first), PgParam::text(it.key().second), PgParam::integer(hour),
            PgParam::integer(it.value()) });
    PgRowsStatement example(QStringLiteral("INSERT INTO refusal_examples(project_id, reason, received_ms, status, "
                                           "size, peer, request, head, answer) SELECT DISTINCT ON (1, 2) %1, v.r, "
                                           "v.t, v.s, v.z, v.peer, v.req, v.head, v.a FROM (VALUES")
                                .arg(project),
        QStringLiteral(") v(p, r, t, s, z, peer, req, head, a) ORDER BY 1, 2, v.t DESC "
                       "ON CONFLICT (project_id, reason) DO UPDATE SET received_ms = EXCLUDED.received_ms, "
                       "status = EXCLUDED.status, size = EXCLUDED.size, peer = EXCLUDED.peer, "
                       "request = EXCLUDED.request, head = EXCLUDED.head, answer = EXCLUDED.answer "
                       "WHERE EXCLUDED.received_ms >= refusal_examples.received_ms"),
        9,
        { QStringLiteral("::bigint"), QStringLiteral("::text"), QStringLiteral("::bigint"), QStringLiteral("::integer"),
            QStringLiteral("::bigint"), QStringLiteral("::text"), QStringLiteral("::text"), QStringLiteral("::bytea"),
            QStringLiteral("::text") });
    for (auto it = examples.cbegin(); it != examples.cend(); ++it) {
        const DropExample &e = **it;
        example.addRow({ PgParam::integer(it.key().first), PgParam::text(it.key().second),
            PgParam::integer(e.receivedMs), PgParam::integer(e.status), PgParam::integer(e.size), PgParam::text(e.peer),
            PgParam::text(e.request), PgParam::bytea(e.head.left(DroppedEventsStore::kExampleBytes)),
            PgParam::text(e.answer.left(DroppedEventsStore::kAnswerChars)) });
    }
    PgStatus done = m_connection.begin();
    for (const PgRowsStatement *statement : { &count, &example }) {
        if (!done || statement->isEmpty())
            continue;
        if (auto written = statement->exec(m_connection); !written)
            done = written.error();
    }
    if (done)
        done = m_connection.commit();
    if (!done)
        m_connection.rollback();
    return done;
}

} // namespace faultline
