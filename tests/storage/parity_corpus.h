#pragma once
// The corpus both backends are compared on (#18): every captured client's
// error event, and variants that give issues several events over ten days.
#include "storage_test_helpers.h"

#include "storage/backend.h"
#include "storage/incoming_event.h"
#include "storage/postgres/pg_backend.h"
#include "storage/postgres/pg_batch_writer.h"
#include "support/fixture_events.h"

#include <QJsonObject>

#include <functional>
#include <memory>

namespace faultline::test {

inline constexpr qint64 kNow = 1'780'000'000'000; // June 2026: the clock every query runs at
inline constexpr qint64 kHour = 3600'000;
inline constexpr qint64 kDay = 24 * kHour;

// Every error event the captured clients sent (tests/fixtures).
inline const char *const kFixtures[] = { "browser_exception_store", "browser_message_store",
    "django_drf_validation_store", "django_request_store", "django_testclient_store", "go_exception_store",
    "go_message_store", "pydantic_validation_store", "python_exception_store", "python_message_store",
    "python_rich_event_store", "python_unhandled_excepthook_store", "raven_go_message_store",
    "raven_js_exception_store", "raven_js_stacktrace_message_store", "ruby_raven_json_exception_store",
    "ruby_raven_json_message_store", "node_exception_envelope", "node_message_envelope", "ruby_exception_envelope",
    "ruby_message_envelope", "attachment_html_envelope" };

// The corpus: each fixture once, a day ago; and variants of four of them
// (new event ids, releases, environments, levels, tags, users, received times
// from ten days ago to a minute ago) so that issues have several events and
// the date, release and tag keys have something to tell apart.
inline QList<IncomingEvent> parityCorpus()
{
    QList<IncomingEvent> events;
    qint64 received = kNow - kDay;
    for (const char *name : kFixtures)
        events.append(preparedFixture(QString::fromLatin1(name), received += 1000));
    const auto variant
        = [&](const char *name, int n, qint64 receivedMs, const std::function<void(QJsonObject &)> &edit) {
              IncomingEvent base = preparedFixture(QString::fromLatin1(name), receivedMs);
              events.append(changed(base, [&](QJsonObject &json) {
                  json.insert(
                      QStringLiteral("event_id"), testEventId(QStringLiteral("%1-%2").arg(QLatin1String(name)).arg(n)));
                  edit(json);
              }));
          };
    variant("python_exception_store", 1, kNow - 10 * kDay, [](QJsonObject &json) {
        json.insert(QStringLiteral("release"), QStringLiteral("myapp@1.0.0"));
        json.insert(QStringLiteral("environment"), QStringLiteral("production"));
    });
    variant("python_exception_store", 2, kNow - 60'000, [](QJsonObject &json) {
        json.insert(QStringLiteral("release"), QStringLiteral("myapp@2.0.0"));
        json.insert(QStringLiteral("environment"), QStringLiteral("production"));
        json.insert(QStringLiteral("tags"), QJsonObject { { QStringLiteral("feature"), QStringLiteral("export") } });
    });
    variant("browser_message_store", 1, kNow - 30 * 60'000, [](QJsonObject &json) {
        json.insert(QStringLiteral("level"), QStringLiteral("fatal"));
        json.insert(QStringLiteral("user"),
            QJsonObject { { QStringLiteral("id"), QStringLiteral("42") },
                { QStringLiteral("email"), QStringLiteral("Carol@Example.com") } });
    });
    variant("python_message_store", 1, kNow - 3 * kDay, [](QJsonObject &json) {
        json.insert(QStringLiteral("level"), QStringLiteral("info"));
        json.insert(QStringLiteral("message"), QStringLiteral("Überweisung fehlgeschlagen: Konto gesperrt"));
    });
    variant("django_request_store", 1, kNow - 2 * kHour,
        [](QJsonObject &json) { json.insert(QStringLiteral("environment"), QStringLiteral("production")); });
    return events;
}

// `events` written into a new SQLite file at `sqlitePath` (EventWriter) and into the
// PostgreSQL database at `postgresUri` (PgBatchWriter), both opened for writing.
// Empty when both hold them, else what failed.
inline QString writeToBothBackends(const QList<IncomingEvent> &events, const QString &sqlitePath,
    const QString &postgresUri, std::unique_ptr<StorageBackend> *sqlite, std::unique_ptr<StorageBackend> *postgres)
{
    const QList<WriteOutcome> written = writeAll(sqlitePath, events);
    if (written.size() != events.size())
        return QStringLiteral("SQLite wrote %1 of %2 events").arg(written.size()).arg(events.size());
    for (const WriteOutcome &outcome : written)
        if (!outcome.committed)
            return outcome.error;
    auto openedSqlite = openStorageBackend(sqlitePath, BackendUse::Write);
    if (!openedSqlite)
        return openedSqlite.error().detail;
    *sqlite = std::move(openedSqlite).value();
    auto openedPostgres = openStorageBackend(postgresUri, BackendUse::Create);
    if (!openedPostgres)
        return openedPostgres.error().detail;
    *postgres = std::move(openedPostgres).value();
    QList<const IncomingEvent *> pointers;
    for (const IncomingEvent &incoming : events)
        pointers.append(&incoming);
    auto batch = PgBatchWriter(static_cast<PgBackend &>(**postgres).connection()).write(pointers);
    return batch ? QString() : batch.error().message;
}

} // namespace faultline::test
