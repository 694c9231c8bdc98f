#pragma once
// What never became a stored event, per project and reason, counted per hour:
// requests the collector refused (with the last example of each kind) and what
// SDKs reported dropping on their side (client_report, the `discarded` table).
// Bounded: one example per project and reason, never more of a refused body
// than kExampleBytes; retention prunes the counts by the project's age limit.
#include <QByteArray>
#include <QList>
#include <QString>

#include <optional>

namespace faultline {

class Database;

struct DropExample {
    qint64 receivedMs = 0;
    int status = 0; // what the collector answered
    qint64 size = 0; // body bytes as received (or as declared, when refused before reading)
    QString peer; // "ip:port"; empty when unknown
    QString request; // "POST /api/1/store/ (gzip, sentry.python/1.40.0)"
    QByteArray head; // the body's first kExampleBytes, still content-encoded
    QString answer; // the error the collector answered
};

struct DropRecord {
    qint64 projectId = 0; // 0 = none could be named (unknown project, unparseable request)
    QString reason; // invalid, too_large, rate_limited, queue_full, wrong_key, unparseable, … (collector/drop_reason.h)
    qint64 quantity = 1;
    std::optional<DropExample> example;
};

struct DropSummary {
    qint64 projectId = 0;
    QString reason; // a refusal reason, or "client:<SDK reason>"
    QString category; // client reports only: error, transaction, session, …
    qint64 lastHour = 0;
    qint64 lastDay = 0;
    qint64 lastWeek = 0;
    qint64 kept = 0; // every hour retention still keeps
    QList<qint64> hourly; // the last 24 hours, oldest first
    std::optional<DropExample> example;

    bool fromClient() const { return reason.startsWith(QLatin1String("client:")); }
};

// One row of refusal_counts or of discarded (reason "client:<SDK reason>"), as both backends read them.
struct DropCountRow {
    qint64 projectId = 0;
    QString reason;
    QString category; // client reports only
    qint64 hour = 0; // ms since the epoch / DroppedEventsStore::kHourMs
    qint64 count = 0;
};

// The example refusal_examples keeps for one project and reason.
struct DropExampleRow {
    qint64 projectId = 0;
    QString reason;
    DropExample example;
};

// The summaries of `counts` in the hour of nowMs, examples attached, busiest in the last day first:
// what DroppedEventsStore::summaries and PostgreSQL's ActivityReader answer alike.
QList<DropSummary> summarizeDrops(
    const QList<DropCountRow> &counts, const QList<DropExampleRow> &examples, qint64 nowMs);

class DroppedEventsStore {
public:
    explicit DroppedEventsStore(Database &db)
        : m_db(db)
    {
    }

    // Adds refusal counts (in the hour of nowMs) and keeps the newer example, in one transaction.
    bool addRefusals(const QList<DropRecord> &records, qint64 nowMs, QString *error = nullptr);
    // Refusals and client reports of every project, busiest in the last day first.
    QList<DropSummary> summaries(qint64 nowMs, QString *error = nullptr) const;
    // Deletes a project's counts and examples older than beforeMs (retention's age limit).
    bool pruneOlderThan(qint64 projectId, qint64 beforeMs, QString *error = nullptr);

    static constexpr int kExampleBytes = 256;
    static constexpr int kAnswerChars = 2048;
    static constexpr qint64 kHourMs = 3'600'000;

private:
    Database &m_db;
};

} // namespace faultline
