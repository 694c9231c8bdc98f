// The one mapping from a refusal to its HTTP answer: every kind gets its status,
// the JSON error body ({"error", "status_code", "details"}) and the headers that
// go with it (Retry-After and X-Sentry-Rate-Limits to back off, Allow for a wrong
// method), and the dropped-events view's word for it.
#include "collector/ingest_error.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace faultline;

namespace {

QByteArray header(const HttpResponse &response, const QByteArray &name)
{
    QByteArray value;
    int count = 0;
    for (const auto &[key, headerValue] : response.headers) {
        if (key.compare(name, Qt::CaseInsensitive) == 0) {
            value = headerValue;
            ++count;
        }
    }
    return count > 1 ? QByteArray("(sent " + QByteArray::number(count) + " times)") : value;
}

QJsonObject body(const HttpResponse &response) { return QJsonDocument::fromJson(response.body).object(); }

// One error of each kind, as the collector builds them.
IngestError example(IngestErrorKind kind)
{
    const QList<FieldError> field { FieldError { QJsonArray { QStringLiteral("exception") },
        QStringLiteral("must be an object"), QStringLiteral("type_error.object") } };
    switch (kind) {
    case IngestErrorKind::NoSuchEndpoint:
        return IngestError::noSuchEndpoint(QStringLiteral("/nope"));
    case IngestErrorKind::MethodNotAllowed:
        return IngestError::methodNotAllowed(QStringLiteral("/health only answers GET"), "GET");
    case IngestErrorKind::MissingKey:
        return IngestError::missingKey(QStringLiteral("missing sentry_key"));
    case IngestErrorKind::WrongKey:
        return IngestError::wrongKey(QStringLiteral("sentry_key is not a valid key of project 9"));
    case IngestErrorKind::TooLarge:
        return IngestError::tooLarge(QStringLiteral("event"), 2000, 1000);
    case IngestErrorKind::Unsupported:
        return IngestError::unsupported(QStringLiteral("unsupported Content-Encoding: lzma"));
    case IngestErrorKind::Malformed:
        return IngestError::malformed(QStringLiteral("invalid envelope: no header"));
    case IngestErrorKind::InvalidEvent:
        return IngestError::invalidEvent(field);
    case IngestErrorKind::TooSlow:
        return IngestError::tooSlow(QStringLiteral("request body too slow"));
    case IngestErrorKind::RateLimited:
        return IngestError::rateLimited(3, 60, 7);
    case IngestErrorKind::AttachmentQuota:
        return IngestError::attachmentQuota(3, 1000, 11);
    case IngestErrorKind::QueueFull:
        return IngestError::queueFull(QStringLiteral("the collector is saturated")).withDefaultRetryAfter(5);
    case IngestErrorKind::DiskFull:
        return IngestError::diskFull(QStringLiteral("the disk is full")).withDefaultRetryAfter(5);
    case IngestErrorKind::StoreFailed:
        return IngestError::storeFailed(QStringLiteral("database is locked")).withDefaultRetryAfter(5);
    case IngestErrorKind::Stopping:
        return IngestError::stopping(QStringLiteral("the collector stopped")).withDefaultRetryAfter(5);
    case IngestErrorKind::Internal:
        return IngestError::internal();
    }
    return {};
}

} // namespace

class TestIngestError : public QObject {
    Q_OBJECT
private slots:
    void everyKindHasItsAnswer_data()
    {
        QTest::addColumn<int>("kind");
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("error");
        QTest::addColumn<QByteArray>("retryAfter");
        QTest::addColumn<QByteArray>("rateLimits");
        QTest::addColumn<QByteArray>("allow");
        QTest::addColumn<QString>("dropReason");
        auto row = [](IngestErrorKind kind, int status, const char *error, QByteArray retryAfter, QByteArray rateLimits,
                       QByteArray allow, const char *reason) {
            QTest::addRow("%d", int(kind)) << int(kind) << status << QString::fromUtf8(error) << retryAfter
                                           << rateLimits << allow << QString::fromLatin1(reason);
        };
        using K = IngestErrorKind;
        row(K::NoSuchEndpoint, 404,
            "no such endpoint: /nope (Sentry clients post to /api/<project>/store/ or /api/<project>/envelope/; "
            "plain JSON goes to /api/events)",
            {}, {}, {}, "not_found");
        row(K::MethodNotAllowed, 405, "/health only answers GET", {}, {}, "GET", "not_found");
        row(K::MissingKey, 401, "missing sentry_key", {}, {}, {}, "wrong_key");
        row(K::WrongKey, 403, "sentry_key is not a valid key of project 9", {}, {}, {}, "wrong_key");
        row(K::TooLarge, 413, "event of 2000 bytes exceeds the 1000 byte limit", {}, {}, {}, "too_large");
        row(K::Unsupported, 415, "unsupported Content-Encoding: lzma", {}, {}, {}, "unparseable");
        row(K::Malformed, 400, "invalid envelope: no header", {}, {}, {}, "unparseable");
        row(K::InvalidEvent, 400, "invalid event: must be an object", {}, {}, {}, "invalid");
        row(K::TooSlow, 408, "request body too slow", {}, {}, {}, "too_slow");
        row(K::RateLimited, 429, "project 3 is over its rate limit of 60 events per minute; retry in 7 s", "7",
            "7:error;default:project", {}, "rate_limited");
        row(K::AttachmentQuota, 429, "project 3 is over its attachment quota of 1000 bytes per hour; retry in 11 s",
            "11", "11:attachment:project", {}, "attachment_quota");
        row(K::QueueFull, 429, "the collector is saturated", "5", "5::organization", {}, "queue_full");
        row(K::DiskFull, 507, "the disk is full", "5", {}, {}, "disk_full");
        row(K::StoreFailed, 503, "the event could not be stored: database is locked", "5", {}, {}, "not_stored");
        row(K::Stopping, 503, "the collector stopped", "5", "5::organization", {}, "not_stored");
        row(K::Internal, 500, "internal error while handling the request; see the log", {}, {}, {}, "not_stored");
    }

    void everyKindHasItsAnswer()
    {
        QFETCH(int, kind);
        QFETCH(int, status);
        QFETCH(QString, error);
        QFETCH(QByteArray, retryAfter);
        QFETCH(QByteArray, rateLimits);
        QFETCH(QByteArray, allow);
        QFETCH(QString, dropReason);
        const IngestError refusal = example(IngestErrorKind(kind));
        QCOMPARE(int(refusal.kind), kind);
        const HttpResponse response = httpAnswer(refusal);
        QCOMPARE(response.status, status);
        QCOMPARE(httpStatus(refusal.kind), status);
        QCOMPARE(response.contentType, QByteArray("application/json"));
        const QJsonObject json = body(response);
        QCOMPARE(json.value("error").toString(), error);
        QCOMPARE(json.value("status_code").toInt(), status);
        QVERIFY(json.value("details").isArray());
        QCOMPARE(response.reason, error); // what the log says
        QCOMPARE(header(response, "Retry-After"), retryAfter);
        QCOMPARE(header(response, "X-Sentry-Rate-Limits"), rateLimits);
        QCOMPARE(header(response, "Allow"), allow);
        QCOMPARE(faultline::dropReason(refusal.kind), dropReason);
    }

    void everyKindIsInTheTable()
    {
        // The data above has a row per kind: a kind added later without one fails here.
        QCOMPARE(allIngestErrorKinds().size(), 16);
        QCOMPARE(allIngestErrorKinds().last(), IngestErrorKind::Internal);
    }

    void invalidEventCarriesEveryFieldError()
    {
        const QList<FieldError> errors {
            FieldError { QJsonArray { QStringLiteral("items"), 1, QStringLiteral("level") },
                QStringLiteral("must be a string"), QStringLiteral("type_error.str") },
            FieldError { QJsonArray { QStringLiteral("items"), 1, QStringLiteral("exception") },
                QStringLiteral("must be an object"), QStringLiteral("type_error.object") },
        };
        const QJsonArray details = body(httpAnswer(IngestError::invalidEvent(errors))).value("details").toArray();
        QCOMPARE(details.size(), 2);
        QCOMPARE(details.at(0).toObject().value("loc").toArray(),
            (QJsonArray { QStringLiteral("items"), 1, QStringLiteral("level") }));
        QCOMPARE(details.at(1).toObject().value("msg").toString(), QStringLiteral("must be an object"));
        QCOMPARE(details.at(1).toObject().value("type").toString(), QStringLiteral("type_error.object"));
    }

    void ownBackOffWinsOverTheDefault()
    {
        // A project's limit says how long its bucket needs; the collector's default only fills a gap.
        const IngestError limited = IngestError::rateLimited(1, 60, 3).withDefaultRetryAfter(30);
        QCOMPARE(header(httpAnswer(limited), "Retry-After"), QByteArray("3"));
        const IngestError full = IngestError::queueFull(QStringLiteral("full")).withDefaultRetryAfter(30);
        QCOMPARE(header(httpAnswer(full), "Retry-After"), QByteArray("30"));
    }
};

QTEST_APPLESS_MAIN(TestIngestError)
#include "tst_ingest_error.moc"
