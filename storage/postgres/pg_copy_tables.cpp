#include "storage/postgres/pg_copy_tables.h"

#include "storage/postgres/pg_rows_statement.h"
#include "storage/statement.h"

#include <QSet>

#include <algorithm>
#include <limits>

namespace faultline {

namespace {

// Rows per multi-row INSERT round: PgRowsStatement splits further at the
// parameter limit; this bounds what a large catalog table holds in memory.
constexpr int kRowsPerFlush = 5000;
// A binary COPY's stream goes to the server in pieces of about this size.
constexpr qsizetype kCopyBytesPerPut = 1 << 20;

// app_state keys that describe one machine's running app, not the data (where
// its collector listens: app/collector_services; its MCP token:
// mcp/http_endpoint.h), and the copy's own progress marker (pg_copy.cpp).
const char *const kAppStateOfTheData = "t.key NOT IN ('collector_address', 'mcp_token', 'db_copy')";

QString quoted(const QString &identifier) { return u'"' + identifier + u'"'; }

PgError copyError(const QString &message) { return PgError { PgError::Kind::Schema, {}, message }; }

QString whereClause(const QString &a, const QString &b)
{
    QStringList parts;
    for (const QString &part : { a, b })
        if (!part.isEmpty())
            parts.append(u'(' + part + u')');
    return parts.isEmpty() ? QString() : QStringLiteral(" WHERE ") + parts.join(QStringLiteral(" AND "));
}

} // namespace

const QList<CopiedTable> &catalogTables()
{
    static const QList<CopiedTable> tables = {
        { QStringLiteral("projects") },
        { QStringLiteral("project_settings") },
        { QStringLiteral("source_roots") },
        { QStringLiteral("replay_targets") },
        { QStringLiteral("issues") },
        { QStringLiteral("grouping_keys") },
        { QStringLiteral("grouping_rules") },
        { QStringLiteral("grouping_rule_keys") },
        { QStringLiteral("issue_facets") },
        { QStringLiteral("alert_rules") },
        { QStringLiteral("alert_deliveries") },
        { QStringLiteral("smtp_server") },
        { QStringLiteral("app_state"), false, QString::fromLatin1(kAppStateOfTheData) },
        { QStringLiteral("discarded") },
        { QStringLiteral("refusal_counts") },
        { QStringLiteral("refusal_examples") },
    };
    return tables;
}

const CopiedTable &blobsTable()
{
    static const CopiedTable table { QStringLiteral("attachment_blobs") };
    return table;
}

const CopiedTable &eventsTable()
{
    static const CopiedTable table { QStringLiteral("events") };
    return table;
}

const CopiedTable &eventTagsTable()
{
    static const CopiedTable table { QStringLiteral("event_tags"), true };
    return table;
}

const CopiedTable &attachmentsTable()
{
    static const CopiedTable table { QStringLiteral("attachments"), true };
    return table;
}

QStringList verifiedTables()
{
    QStringList names;
    for (const CopiedTable &table : catalogTables())
        names.append(table.name);
    names << blobsTable().name << eventsTable().name << eventTagsTable().name << attachmentsTable().name;
    return names;
}

PgResult<TableColumns> tableColumns(sqlite3 *source, PgConnection &target, const CopiedTable &table)
{
    auto targetColumns = target.exec(
        QStringLiteral("SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = "
                       "current_schema() AND table_name = $1 AND is_generated = 'NEVER' ORDER BY ordinal_position"),
        { PgParam::text(table.name) });
    if (!targetColumns)
        return targetColumns.error();
    if (targetColumns->rowCount() == 0)
        return copyError(QStringLiteral("the PostgreSQL database has no table %1").arg(table.name));

    QSet<QString> sourceColumns;
    Statement pragma(source, QStringLiteral("SELECT name FROM pragma_table_info(?)"));
    pragma.bind(1, table.name);
    while (pragma.step())
        sourceColumns.insert(pragma.text(0));
    if (!pragma.error().isEmpty())
        return copyError(pragma.error());

    TableColumns columns { table.name, {}, {}, {}, table.joinsEvent, table.where };
    QSet<QString> placed;
    for (int row = 0; row < targetColumns->rowCount(); ++row) {
        const QString name = targetColumns->text(row, 0);
        placed.insert(name);
        const bool fromEvent = table.joinsEvent && name == QLatin1String("received_ms");
        if (!sourceColumns.contains(name) && !fromEvent)
            continue; // PostgreSQL's default fills it
        columns.names.append(name);
        columns.isBytea.append(targetColumns->text(row, 1) == QLatin1String("bytea"));
        columns.copyTypes.append(pgCopyTypeOf(targetColumns->text(row, 1)));
    }
    for (const QString &name : std::as_const(sourceColumns))
        if (!placed.contains(name))
            return copyError(QStringLiteral("the SQLite column %1.%2 has no place in the PostgreSQL schema: "
                                            "copy with the Faultline that made the database")
                                 .arg(table.name, name));
    return columns;
}

PgStatus checkNothingLeftBehind(sqlite3 *source)
{
    const QStringList copied = verifiedTables();
    QSet<QString> known(copied.cbegin(), copied.cend());
    known << QStringLiteral("fts_pending"); // PostgreSQL indexes in the row (events.search)
    Statement tables(source,
        QStringLiteral("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE "
                       "'\\' AND name NOT LIKE 'events\\_fts%' ESCAPE '\\' ORDER BY name"));
    QStringList unknown;
    while (tables.step())
        if (!known.contains(tables.text(0)))
            unknown.append(tables.text(0));
    if (!tables.error().isEmpty())
        return copyError(tables.error());
    if (!unknown.isEmpty())
        return copyError(QStringLiteral("the SQLite database has tables this copy does not know (%1): copy with the "
                                        "Faultline that made the database")
                             .arg(unknown.join(QStringLiteral(", "))));
    return PgDone {};
}

bool TableColumns::copyable() const
{
    return !viaInsert
        && std::all_of(copyTypes.cbegin(), copyTypes.cend(), [](const auto &type) { return type.has_value(); });
}

namespace {

// One SQLite value as the column's binary encoding; false when it is not what the column holds.
bool addCopyValue(PgBinaryCopyStream &stream, const Statement &rows, int column, PgCopyType type)
{
    if (rows.isNull(column)) {
        stream.addNull();
        return true;
    }
    switch (type) {
    case PgCopyType::BigInt:
        if (!rows.isInteger(column))
            return false;
        stream.addBigInt(rows.int64(column));
        return true;
    case PgCopyType::Integer: {
        const qint64 value = rows.int64(column);
        if (!rows.isInteger(column) || value < std::numeric_limits<qint32>::min()
            || value > std::numeric_limits<qint32>::max())
            return false;
        stream.addInteger(qint32(value));
        return true;
    }
    case PgCopyType::Text:
    case PgCopyType::Bytea:
        stream.addBytes(rows.blob(column)); // a text column's UTF-8, without a QString between
        return true;
    }
    return false;
}

// The rows of `rows` into columns.table by binary COPY; how many were read.
PgResult<qint64> copyRows(Statement &rows, PgConnection &target, const TableColumns &columns)
{
    QStringList names;
    for (const QString &name : columns.names)
        names.append(quoted(name));
    if (PgStatus started = target.startCopyIn(QStringLiteral("COPY %1(%2) FROM STDIN (FORMAT binary)")
                                                  .arg(quoted(columns.table), names.join(QStringLiteral(", "))));
        !started)
        return started.error();
    const int width = int(columns.names.size());
    PgBinaryCopyStream stream;
    QString problem;
    qint64 read = 0;
    while (problem.isEmpty() && rows.step()) {
        stream.startRow(width);
        for (int column = 0; column < width && problem.isEmpty(); ++column)
            if (!addCopyValue(stream, rows, column, *columns.copyTypes[column]))
                problem = QStringLiteral("%1.%2 of row %3 is not a %4 PostgreSQL integer")
                              .arg(columns.table, columns.names[column])
                              .arg(read + 1)
                              .arg(*columns.copyTypes[column] == PgCopyType::Integer ? QLatin1String("32-bit")
                                                                                     : QLatin1String("64-bit"));
        ++read;
        if (problem.isEmpty() && stream.pendingBytes() >= kCopyBytesPerPut)
            if (PgStatus sent = target.putCopyData(stream.takePending()); !sent)
                return sent.error();
    }
    if (problem.isEmpty() && !rows.error().isEmpty())
        problem = QStringLiteral("reading %1: %2").arg(columns.table, rows.error());
    if (!problem.isEmpty()) {
        target.endCopy(problem); // the COPY fails, and with it the chunk's transaction
        return copyError(problem);
    }
    stream.finish();
    if (PgStatus sent = target.putCopyData(stream.takePending()); !sent)
        return sent.error();
    if (auto copied = target.endCopy(); !copied)
        return copied.error();
    return read;
}

} // namespace

PgResult<qint64> transferRows(sqlite3 *source, PgConnection &target, const TableColumns &columns,
    const QString &condition, const QVariantList &binds, const QString &orderBy, const QString &conflictTail)
{
    QStringList selected;
    QStringList inserted;
    for (const QString &name : columns.names) {
        const bool fromEvent = columns.joinsEvent && name == QLatin1String("received_ms");
        selected.append((fromEvent ? QStringLiteral("e.") : QStringLiteral("t.")) + quoted(name));
        inserted.append(quoted(name));
    }
    QString sql = QStringLiteral("SELECT %1 FROM %2 t").arg(selected.join(QStringLiteral(", ")), quoted(columns.table));
    if (columns.joinsEvent)
        sql += QStringLiteral(" JOIN events e ON e.id = t.event_row");
    sql += whereClause(columns.where, condition);
    if (!orderBy.isEmpty())
        sql += QStringLiteral(" ORDER BY ") + orderBy;
    if (conflictTail.isEmpty() && columns.copyable()) {
        Statement rows(source, sql);
        rows.bindAll(binds);
        return copyRows(rows, target, columns);
    }

    const QString head
        = QStringLiteral("INSERT INTO %1(%2) VALUES").arg(quoted(columns.table), inserted.join(QStringLiteral(", ")));
    const int width = int(columns.names.size());
    PgRowsStatement insert(head, conflictTail, width);
    auto flush = [&]() -> PgStatus {
        if (insert.isEmpty())
            return PgDone {};
        auto done = insert.exec(target);
        insert = PgRowsStatement(head, conflictTail, width);
        return done ? PgStatus(PgDone {}) : PgStatus(done.error());
    };

    Statement rows(source, sql);
    rows.bindAll(binds);
    qint64 read = 0;
    while (rows.step()) {
        PgParams row;
        row.reserve(columns.names.size());
        for (int column = 0; column < width; ++column) {
            if (rows.isNull(column))
                row.push_back(PgParam::null());
            else if (columns.isBytea[column])
                row.push_back(PgParam::bytea(rows.blob(column)));
            else
                row.push_back(PgParam::text(rows.text(column))); // SQLite gives integers as their digits
        }
        insert.addRow(std::move(row));
        ++read;
        if (insert.rowCount() >= kRowsPerFlush)
            if (PgStatus flushed = flush(); !flushed)
                return flushed.error();
    }
    if (!rows.error().isEmpty())
        return copyError(QStringLiteral("reading %1: %2").arg(columns.table, rows.error()));
    if (PgStatus flushed = flush(); !flushed)
        return flushed.error();
    return read;
}

PgResult<qint64> sourceCount(sqlite3 *source, const QString &table, const QString &where)
{
    Statement count(source, QStringLiteral("SELECT count(*) FROM %1 t").arg(quoted(table)) + whereClause(where, {}));
    if (count.step())
        return count.int64(0);
    return copyError(QStringLiteral("counting %1 in SQLite: %2").arg(table, count.error()));
}

PgResult<qint64> targetCount(PgConnection &target, const QString &table, const QString &where)
{
    auto count = target.exec(QStringLiteral("SELECT count(*) FROM %1 t").arg(quoted(table)) + whereClause(where, {}));
    if (!count)
        return count.error();
    return count->int64(0, 0);
}

} // namespace faultline
