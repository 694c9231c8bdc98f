#include "storage/postgres/pg_roles.h"

#include <QStringList>

namespace faultline {

namespace {

// Kept in step with what the writer (pg_batch_writer.cpp, pg_issue_resolver.cpp,
// pg_partitions.cpp) and the alert engine (pg_alert_store.cpp: reads rules and
// the SMTP server, records deliveries) touch; tst_pg_schema writes a batch as the collector.
const char *const kCollectorGrants = R"sql(
GRANT SELECT ON projects, project_settings, grouping_rules, grouping_rule_keys TO %collector%;
GRANT SELECT, INSERT ON event_ids, events, event_tags, attachments, attachment_blobs, grouping_keys TO %collector%;
GRANT SELECT, INSERT, UPDATE ON issues, issue_facets, discarded, refusal_counts, refusal_examples, app_state
    TO %collector%;
GRANT USAGE ON SEQUENCE events_id_seq TO %collector%;
GRANT EXECUTE ON FUNCTION make_month_partitions(text, bigint, bigint) TO %collector%;
GRANT SELECT ON alert_rules, smtp_server, issue_words, issue_texts TO %collector%;
GRANT SELECT, INSERT, UPDATE ON alert_deliveries TO %collector%;
)sql";

// Status changes are the workflow columns of issues. Merges, splits and
// regrouping (pg_issue_merger.cpp, pg_event_mover.cpp, pg_regrouper.cpp) move
// events and grouping keys between issues, make and delete issues and keep
// their counters and facets right, and write the rules that remember them: a
// person triaging may do all of that (any Sentry member may merge). Events
// themselves are neither stored nor deleted by a viewer.
const char *const kViewerGrants = R"sql(
GRANT SELECT ON ALL TABLES IN SCHEMA %schema% TO %viewer%;
GRANT USAGE ON ALL SEQUENCES IN SCHEMA %schema% TO %viewer%;
GRANT INSERT, UPDATE, DELETE ON issues, issue_facets TO %viewer%;
GRANT UPDATE (issue_id, grouping_key_id) ON events TO %viewer%;
GRANT INSERT, UPDATE ON grouping_keys TO %viewer%;
GRANT INSERT, UPDATE, DELETE ON grouping_rules, grouping_rule_keys, alert_rules, app_state, source_roots,
    replay_targets TO %viewer%;
)sql";

} // namespace

QString quotePgIdentifier(const QString &name)
{
    return u'"' + QString(name).replace(u'"', QStringLiteral("\"\"")) + u'"';
}

QString postgresRolesSql(const PgRoleNames &names)
{
    const QString collector = quotePgIdentifier(names.collector);
    const QString viewer = quotePgIdentifier(names.viewer);
    QString sql = QStringLiteral(
        "-- Faultline's roles on database %1 (issue 18). Read it, then run it as the owner of Faultline's\n"
        "-- tables (the role whose connection migrated them), e.g.:\n"
        "--   faultline db roles > roles.sql && psql \"postgresql://OWNER@HOST/DATABASE\" -f roles.sql\n"
        "-- No password is set here: give each role one (\\password NAME in psql) or client certificates.\n"
        "BEGIN;\n"
        "CREATE ROLE %2 LOGIN;\n"
        "CREATE ROLE %3 LOGIN;\n"
        "GRANT CONNECT ON DATABASE %1 TO %2, %3;\n"
        "GRANT USAGE ON SCHEMA %4 TO %2, %3;\n"
        "SET LOCAL search_path TO %4;\n"
        "\n"
        "-- The collector (faultline --headless): stores events, counts them into their issues, records\n"
        "-- refusals and SDK discards, makes a month's partitions through make_month_partitions(). Deletes nothing.")
                      .arg(quotePgIdentifier(names.database), collector, viewer, quotePgIdentifier(names.schema));
    sql += QString::fromLatin1(kCollectorGrants).replace(QLatin1String("%collector%"), collector);
    sql += QStringLiteral(
        "\n-- The viewer (a desktop window): reads everything; changes issue statuses, merges, splits and "
        "regroups\n-- issues, grouping and alert rules, notification settings. Stores and deletes no "
        "events.");
    sql += QString::fromLatin1(kViewerGrants)
               .replace(QLatin1String("%viewer%"), viewer)
               .replace(QLatin1String("%schema%"), quotePgIdentifier(names.schema));
    sql += QStringLiteral("COMMIT;\n");
    return sql;
}

} // namespace faultline
