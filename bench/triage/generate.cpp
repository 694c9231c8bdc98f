// Fills a Faultline database with a realistic triage load through the real
// preparation (IncomingEvent::prepare, as the collector prepares a client's
// event) and EventWriter: N events over M issues in P projects, made from the captured
// SDK fixtures. Each issue gets its own exception type, module and function
// (so grouping v1 gives exactly M issues); events get fresh ids, times over
// the last 30 days (Zipf-distributed over issues, written oldest first),
// releases, environments and tags. One more issue (--hot-events, default
// 100,000) gets its events over 90 days, eight releases and 3,000 users.
#include "bench_common.h"

#include "model/envelope.h"
#include "model/event_parser.h"
#include "model/grouping.h"
#include "storage/database.h"
#include "storage/event_writer.h"
#include "storage/incoming_event.h"
#include "storage/project_store.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QThread>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdio>
#include <random>

using namespace faultline;

namespace {

const char *const kFixtures[] = { "python_exception_store.json", "django_request_store.json",
    "django_testclient_store.json", "django_drf_validation_store.json", "pydantic_validation_store.json",
    "python_rich_event_store.json", "python_unhandled_excepthook_store.json", "python_message_store.json",
    "node_exception_envelope.bin", "node_message_envelope.bin" };

const char *const kExceptionTypes[] = { "ZeroDivisionError", "KeyError", "ValueError", "TypeError", "AttributeError",
    "IndexError", "RuntimeError", "TimeoutError", "ConnectionError", "PermissionError", "FileNotFoundError",
    "IntegrityError", "OperationalError", "ValidationError", "DoesNotExist", "JSONDecodeError", "UnicodeDecodeError",
    "AssertionError", "NotImplementedError", "RecursionError", "MemoryError", "OverflowError", "LookupError",
    "HTTPError", "ReadTimeout" };
const char *const kVerbs[] = { "load", "save", "sync", "render", "validate", "charge", "refund", "parse", "export",
    "import", "notify", "resolve", "compute", "fetch", "update", "delete", "create", "merge", "schedule", "retry",
    "archive", "publish", "verify", "index", "reconcile", "migrate", "cancel", "approve", "dispatch", "enqueue" };
const char *const kNouns[] = { "invoice", "order", "customer", "cart", "payment", "shipment", "user", "session",
    "report", "webhook", "subscription", "coupon", "product", "inventory", "address", "profile", "token", "ledger",
    "receipt", "refund", "account", "team", "project", "upload", "thumbnail", "email", "sms", "audit_log", "price",
    "tax_rate", "warehouse", "carrier", "label", "batch", "job", "queue", "cache_entry", "feature_flag", "tenant",
    "api_key" };
const char *const kModules[] = { "billing", "orders", "accounts", "checkout", "shipping", "catalog", "search",
    "notifications", "reports", "auth", "payments", "inventory", "analytics", "admin", "api", "webhooks", "tasks",
    "exports", "imports", "pricing" };
const char *const kModuleLeaves[]
    = { "views", "services", "models", "tasks", "serializers", "handlers", "utils", "forms", "signals", "clients" };
const char *const kProjectNames[] = { "checkout-api", "billing-worker", "web-frontend", "accounts-service",
    "search-indexer", "notifications", "reports", "admin-portal", "mobile-backend", "payments-gateway",
    "inventory-sync", "shipping-rates", "auth-service", "analytics-etl", "webhooks-relay", "exports-worker",
    "pricing-engine", "catalog-api", "support-desk" };
const char *const kEnvironments[]
    = { "production", "production", "production", "production", "staging", "staging", "development" };
const char *const kRegions[] = { "eu-west-1", "eu-central-1", "us-east-1", "us-west-2", "ap-southeast-1" };
const char *const kTiers[] = { "free", "free", "free", "pro", "pro", "enterprise" };
const char *const kFeatures[] = { "checkout", "search", "signup", "billing", "export", "dashboard", "api" };

template<typename T, std::size_t N> constexpr int count(const T (&)[N]) { return int(N); }

QJsonObject loadFixture(const QString &dir, const QString &name)
{
    QFile file(dir + QLatin1Char('/') + name);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    QByteArray body = file.readAll();
    if (name.endsWith(QLatin1String(".bin"))) {
        const auto envelope = parseEnvelope(body);
        if (!envelope)
            return {};
        body.clear();
        for (const EnvelopeItem &item : envelope->items)
            if (item.type == QLatin1String("event")) {
                body = item.payload;
                break;
            }
    }
    return QJsonDocument::fromJson(body).object();
}

QString hex32(std::mt19937_64 &rng)
{
    char text[33];
    std::snprintf(text, sizeof text, "%016llx%016llx", static_cast<unsigned long long>(rng()),
        static_cast<unsigned long long>(rng()));
    return QString::fromLatin1(text, 32);
}

// The issue's own variant of a fixture: its exception type, value, module and function.
QJsonObject issueJson(QJsonObject json, int issue, std::mt19937_64 &rng)
{
    const int verbs = count(kVerbs);
    const int nouns = count(kNouns);
    const QString function = QStringLiteral("%1_%2").arg(
        QLatin1String(kVerbs[issue % verbs]), QLatin1String(kNouns[(issue / verbs) % nouns]));
    const int moduleIndex = issue / (verbs * nouns);
    const QString module = QStringLiteral("%1.%2").arg(QLatin1String(kModules[moduleIndex % count(kModules)]),
        QLatin1String(kModuleLeaves[(moduleIndex / count(kModules)) % count(kModuleLeaves)]));
    const QString type = QLatin1String(kExceptionTypes[rng() % count(kExceptionTypes)]);

    const QString message = QStringLiteral("%1 %2 failed in %3 after %4 retries")
                                .arg(function, QString::number(issue), module, QString::number(1 + issue % 5));
    // Message events (and node's captureMessage, a synthetic exception) are grouped by their message.
    if (json.contains(QLatin1String("message")) || json.contains(QLatin1String("logentry"))) {
        json.insert(QStringLiteral("message"), message);
        json.remove(QStringLiteral("logentry"));
    }
    QJsonValue exception = json.value(QLatin1String("exception"));
    QJsonArray values
        = exception.isObject() ? exception.toObject().value(QLatin1String("values")).toArray() : exception.toArray();
    if (values.isEmpty()) {
        json.insert(QStringLiteral("message"), message);
        return json;
    }
    QJsonObject last = values.last().toObject();
    last.insert(QStringLiteral("type"), type);
    last.insert(QStringLiteral("value"),
        QStringLiteral("%1 failed for %2 %3")
            .arg(function, QLatin1String(kNouns[issue % nouns]), QString::number(rng() % 100000)));
    QJsonObject stacktrace = last.value(QLatin1String("stacktrace")).toObject();
    QJsonArray frames = stacktrace.value(QLatin1String("frames")).toArray();
    QJsonObject frame = frames.isEmpty() ? QJsonObject() : frames.last().toObject();
    frame.insert(QStringLiteral("function"), function);
    frame.insert(QStringLiteral("module"), module);
    const QString filename = QString(module).replace(u'.', u'/') + QStringLiteral(".py");
    frame.insert(QStringLiteral("filename"), filename);
    frame.insert(QStringLiteral("abs_path"), QStringLiteral("/srv/app/") + filename);
    frame.insert(QStringLiteral("in_app"), true);
    frame.insert(QStringLiteral("lineno"), int(20 + rng() % 400));
    if (frames.isEmpty())
        frames.append(frame);
    else
        frames.replace(frames.size() - 1, frame);
    stacktrace.insert(QStringLiteral("frames"), frames);
    last.insert(QStringLiteral("stacktrace"), stacktrace);
    values.replace(values.size() - 1, last);
    if (exception.isObject()) {
        QJsonObject wrapper = exception.toObject();
        wrapper.insert(QStringLiteral("values"), values);
        json.insert(QStringLiteral("exception"), wrapper);
    } else {
        json.insert(QStringLiteral("exception"), values);
    }
    return json;
}

struct IssueTemplate {
    qint64 projectId = 0;
    QJsonObject json; // each event is this with its own id, time, release, environment and tags
    IssueKey key;
    qint64 firstSeenMs = 0;
    QStringList releases;
};

constexpr qint64 kHotWindowMs = 89LL * 24 * 3600 * 1000;
constexpr int kHotReleases = 8;

struct Planned {
    qint64 timeMs;
    int issue;
};

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const bench::GenerateParams params = bench::GenerateParams::fromArguments(app.arguments());
    if (app.arguments().contains(QStringLiteral("--print-signature"))) {
        std::printf("%s", qPrintable(params.signature()));
        return 0;
    }
    // A cached database from an older build: bring its schema up to date (the
    // window itself opens databases read-only and would refuse it).
    if (app.arguments().contains(QStringLiteral("--migrate"))) {
        QString error;
        if (Database::open(params.dbPath, Database::Mode::ReadWrite, &error))
            return 0;
        std::fprintf(stderr, "cannot migrate %s: %s\n", qPrintable(params.dbPath), qPrintable(error));
        return 1;
    }
    if (params.dbPath.isEmpty() || params.fixturesDir.isEmpty()) {
        std::fprintf(stderr,
            "usage: triage_generate --db PATH --fixtures DIR [--events N] [--issues N] "
            "[--projects N] [--seed N] [--hot-events N] [--print-signature] [--migrate]\n");
        return 2;
    }
    QElapsedTimer total;
    total.start();
    QFile::remove(params.dbPath);
    QFile::remove(params.dbPath + QStringLiteral("-wal"));
    QFile::remove(params.dbPath + QStringLiteral("-shm"));
    QFile::remove(bench::paramsFile(params.dbPath));

    QList<qint64> projectIds;
    {
        QString error;
        auto db = Database::open(params.dbPath, Database::Mode::ReadWrite, &error);
        if (!db) {
            std::fprintf(stderr, "cannot create %s: %s\n", qPrintable(params.dbPath), qPrintable(error));
            return 1;
        }
        ProjectStore projects(*db);
        for (int i = 1; i < params.projects; ++i)
            projects.add(QLatin1String(kProjectNames[(i - 1) % count(kProjectNames)])
                + (i > count(kProjectNames) ? QString::number(i) : QString()));
        for (const Project &project : projects.all())
            projectIds.append(project.id);
    }
    if (projectIds.size() != params.projects) {
        std::fprintf(stderr, "expected %d projects, have %lld\n", params.projects, qint64(projectIds.size()));
        return 1;
    }

    QList<QJsonObject> fixtures;
    for (const char *name : kFixtures) {
        QJsonObject json = loadFixture(params.fixturesDir, QLatin1String(name));
        if (json.isEmpty()) {
            std::fprintf(stderr, "fixture %s missing or unreadable\n", name);
            return 1;
        }
        fixtures.append(json);
    }

    std::mt19937_64 rng(params.seed);
    const qint64 nowMs = QDateTime::currentMSecsSinceEpoch();
    const qint64 windowMs = 30LL * 24 * 3600 * 1000;

    // One template per issue, grouped once; a fingerprint clash would merge two issues.
    // The hot issue (when asked for) comes last, in the first project.
    const int hotIssue = params.hotEvents > 0 ? params.issues : -1;
    QList<IssueTemplate> issues(params.issues + (hotIssue >= 0 ? 1 : 0));
    QHash<QString, int> seen;
    for (int i = 0; i < issues.size(); ++i) {
        IssueTemplate &issue = issues[i];
        issue.projectId = i == hotIssue ? projectIds.first() : projectIds[i % projectIds.size()];
        QJsonObject json = issueJson(fixtures[i % fixtures.size()], i, rng);
        const int levelDraw = int(rng() % 100);
        const bool message = !json.contains(QLatin1String("exception"));
        json.insert(QStringLiteral("level"),
            message ? QString::fromLatin1(levelDraw < 60 ? "warning"
                    : levelDraw < 90                     ? "info"
                                                         : "error")
                    : QString::fromLatin1(levelDraw < 85 ? "error"
                            : levelDraw < 93             ? "fatal"
                                                         : "warning"));
        Result<Event> parsed = parseEvent(json);
        if (!parsed.ok()) {
            std::fprintf(stderr, "issue %d does not parse: %s\n", i, qPrintable(parsed.errors().first().msg));
            return 1;
        }
        issue.json = json;
        issue.key = groupEvent(parsed.value());
        const QString identity = QString::number(issue.projectId) + u'/' + issue.key.fingerprint;
        if (seen.contains(identity)) {
            std::fprintf(stderr, "issue %d groups with issue %d (%s: %s)\n", i, seen.value(identity),
                qPrintable(issue.key.title), qPrintable(issue.key.components.join(u' ')));
            return 1;
        }
        seen.insert(identity, i);
        issue.firstSeenMs = nowMs - qint64(rng() % quint64(windowMs));
        if (i == hotIssue) {
            issue.firstSeenMs = nowMs - kHotWindowMs;
            for (int r = 0; r < kHotReleases; ++r)
                issue.releases.append(
                    QStringLiteral("%1@2.%2.0").arg(QString::number(issue.projectId), QString::number(r)));
            continue;
        }
        const int major = 1 + int(issue.projectId % 4);
        for (int r = 0; r < 3; ++r)
            issue.releases.append(
                QStringLiteral("%1@%2.%3.0")
                    .arg(QString::number(issue.projectId), QString::number(major), QString::number(int(rng() % 12))));
    }

    // Every issue gets one event; the rest follow Zipf (s = 1): a few loud issues, a long tail.
    std::vector<double> cdf(std::size_t(params.issues));
    double sum = 0;
    for (int i = 0; i < params.issues; ++i)
        cdf[std::size_t(i)] = (sum += 1.0 / double(i + 1));
    std::vector<int> rankToIssue(std::size_t(params.issues));
    for (int i = 0; i < params.issues; ++i)
        rankToIssue[std::size_t(i)] = i;
    std::shuffle(rankToIssue.begin(), rankToIssue.end(), rng);
    std::uniform_real_distribution<double> unit(0.0, 1.0);
    std::vector<Planned> plan;
    plan.reserve(std::size_t(params.events));
    for (qint64 e = 0; e < params.events; ++e) {
        int issue = 0;
        if (e < params.issues) {
            issue = int(e);
        } else {
            const double draw = unit(rng) * sum;
            const auto rank = std::lower_bound(cdf.begin(), cdf.end(), draw) - cdf.begin();
            issue = rankToIssue[std::size_t(std::min<std::ptrdiff_t>(rank, params.issues - 1))];
        }
        const qint64 first = issues[issue].firstSeenMs;
        const qint64 at = e < params.issues ? first : first + qint64(unit(rng) * double(nowMs - first));
        plan.push_back({ at, issue });
    }
    for (qint64 e = 0; e < params.hotEvents; ++e)
        plan.push_back({ nowMs - kHotWindowMs + qint64(unit(rng) * double(kHotWindowMs)), hotIssue });
    std::sort(plan.begin(), plan.end(), [](const Planned &a, const Planned &b) { return a.timeMs < b.timeMs; });
    std::printf("planned %lld events over %d issues in %d projects, %lld more for one hot issue (%.1f s)\n",
        params.events, params.issues, params.projects, params.hotEvents, double(total.elapsed()) / 1000.0);
    std::fflush(stdout);

    WriterOptions options;
    options.queueCapacity = 20000;
    options.maxBatch = 5000;
    EventWriter writer(params.dbPath, options);
    QString error;
    if (!writer.start(&error)) {
        std::fprintf(stderr, "writer: %s\n", qPrintable(error));
        return 1;
    }
    QElapsedTimer writing;
    writing.start();
    // Every outcome is counted; stop() below drains the queue and reports the rest.
    std::atomic<qint64> committed { 0 };
    std::atomic<qint64> failed { 0 };
    const EventWriter::OutcomeHandler tally
        = [&](const WriteOutcome &outcome) { (outcome.committed ? committed : failed) += 1; };
    qint64 fullWaits = 0;
    for (qint64 e = 0; e < qint64(plan.size()); ++e) {
        const Planned &planned = plan[std::size_t(e)];
        const IssueTemplate &issue = issues[planned.issue];
        QJsonObject json = issue.json;
        json.insert(QStringLiteral("event_id"), hex32(rng));
        json.insert(QStringLiteral("timestamp"), double(planned.timeMs) / 1000.0);
        if (planned.issue == hotIssue) {
            // Releases follow time (one every 90/8 days), users a long tail over 3,000 ids.
            const qint64 age = planned.timeMs - issue.firstSeenMs;
            json.insert(QStringLiteral("release"),
                issue.releases[int(std::min<qint64>(kHotReleases - 1, age * kHotReleases / kHotWindowMs))]);
            const QString userId = QString::number(1 + qint64(std::pow(unit(rng), 3.0) * 3000.0));
            json.insert(QStringLiteral("user"), QJsonObject { { QStringLiteral("id"), userId } });
        } else {
            json.insert(QStringLiteral("release"), issue.releases[int(rng() % 3)]);
        }
        json.insert(QStringLiteral("environment"), QLatin1String(kEnvironments[rng() % count(kEnvironments)]));
        json.insert(QStringLiteral("tags"),
            QJsonObject { { QStringLiteral("region"), QLatin1String(kRegions[rng() % count(kRegions)]) },
                { QStringLiteral("customer_tier"), QLatin1String(kTiers[rng() % count(kTiers)]) },
                { QStringLiteral("feature"), QLatin1String(kFeatures[planned.issue % count(kFeatures)]) },
                { QStringLiteral("tenant"), QStringLiteral("tenant-%1").arg(rng() % 500) } });
        // Prepared as the collector prepares a client's event (scrubbed, grouped, compressed).
        Result<IncomingEvent> incoming = IncomingEvent::prepare(QJsonDocument(json).toJson(QJsonDocument::Compact),
            EventOrigin { issue.projectId, planned.timeMs + qint64(rng() % 800), {}, {}, 0 });
        if (!incoming) {
            std::fprintf(stderr, "event %lld does not prepare: %s\n", e, qPrintable(incoming.errors().first().msg));
            return 1;
        }
        // enqueue() consumes the event even when it refuses it: wait for room first (we are the only producer).
        while (writer.queueDepth() >= writer.queueCapacity()) {
            ++fullWaits;
            QThread::msleep(2);
        }
        if (!writer.enqueue({ std::move(incoming).value() }, tally)) {
            std::fprintf(stderr, "the writer refused event %lld\n", e);
            return 1;
        }
        if ((e + 1) % 50000 == 0) {
            const double seconds = double(writing.elapsed()) / 1000.0;
            std::printf("  %7lld events queued, %.0f s, %.0f events/s\n", e + 1, seconds, double(e + 1) / seconds);
            std::fflush(stdout);
        }
    }
    writer.stop();
    const double seconds = double(writing.elapsed()) / 1000.0;
    if (failed > 0 || committed != qint64(plan.size())) {
        std::fprintf(stderr, "%lld of %lld events were not committed\n", qint64(plan.size()) - committed.load(),
            qint64(plan.size()));
        return 1;
    }
    std::printf(
        "wrote %lld events through EventWriter in %.1f s (%.0f events/s; %lld full-queue waits); total %.1f s\n",
        params.events, seconds, double(params.events) / seconds, fullWaits, double(total.elapsed()) / 1000.0);

    QFile stamp(bench::paramsFile(params.dbPath));
    if (!stamp.open(QIODevice::WriteOnly) || stamp.write(params.signature().toUtf8()) < 0) {
        std::fprintf(stderr, "cannot write %s\n", qPrintable(stamp.fileName()));
        return 1;
    }
    return 0;
}
