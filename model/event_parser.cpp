#include "model/event_parser.h"

#include "model/iso_timestamp.h"
#include "model/json_dom.h"
#include "model/json_object.h"
#include "model/json_text.h"
#include "model/stacktrace_parser.h"
#include "model/validation.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QUuid>

#include <algorithm>

namespace faultline {

namespace {

using json::Node;
using namespace std::string_view_literals;

QString levelOf(const Node &value)
{
    const QString level = json::scalarText(value).trimmed().toLower();
    if (level.isEmpty())
        return QStringLiteral("error");
    // Python's logging names and a few SDK spellings, as Sentry maps them.
    if (level == QLatin1String("warn"))
        return QStringLiteral("warning");
    if (level == QLatin1String("critical"))
        return QStringLiteral("fatal");
    if (level == QLatin1String("log"))
        return QStringLiteral("info");
    static const QStringList known = { QStringLiteral("fatal"), QStringLiteral("error"), QStringLiteral("warning"),
        QStringLiteral("info"), QStringLiteral("debug") };
    return known.contains(level) ? level : QStringLiteral("error");
}

// printf-style substitution as Python's logging does it, for the common cases
// only: positional %s/%d/%i/%r/%f and named %(name)s. Anything else stays as written.
QString formatParams(const QString &templ, const QJsonValue &params)
{
    if (!params.isArray() && !params.isObject())
        return templ;
    static const QRegularExpression placeholder(QStringLiteral(R"(%(?:\(([^)]*)\))?([sdirf%]))"));
    const QJsonArray positional = params.toArray();
    const QJsonObject named = params.toObject();
    qsizetype next = 0;
    QString out;
    qsizetype last = 0;
    auto it = placeholder.globalMatch(templ);
    while (it.hasNext()) {
        const QRegularExpressionMatch match = it.next();
        out += QStringView(templ).mid(last, match.capturedStart() - last);
        last = match.capturedEnd();
        if (match.captured(2) == QLatin1String("%")) {
            out += QLatin1Char('%');
        } else if (match.capturedStart(1) >= 0) {
            const QString key = match.captured(1);
            out += named.contains(key) ? json::toText(named.value(key)) : match.captured(0);
        } else if (next < positional.size()) {
            out += json::toText(positional.at(next++));
        } else {
            out += match.captured(0);
        }
    }
    out += QStringView(templ).mid(last);
    return out;
}

// `logentry` and the older object form of `message` share one shape.
void readLogEntry(const Node &entry, Event &event)
{
    const QString templ = json::toText(entry["message"sv]);
    const QString formatted = json::toText(entry["formatted"sv]);
    if (!templ.isEmpty())
        event.messageTemplate = templ;
    if (!formatted.isEmpty())
        event.message = formatted;
    else if (!templ.isEmpty())
        event.message = formatParams(templ, json::toQJson(entry["params"sv]));
}

void readMessage(const Node &json, Event &event)
{
    const Node message = json["message"sv];
    if (message.isObject())
        readLogEntry(message, event);
    else
        event.message = json::scalarText(message);
    // logentry is the current interface: it wins over a legacy `message`.
    const Node logentry = json["logentry"sv];
    if (logentry.isObject()) {
        Event fromEntry;
        readLogEntry(logentry, fromEntry);
        if (!fromEntry.message.isEmpty())
            event.message = fromEntry.message;
        if (!fromEntry.messageTemplate.isEmpty())
            event.messageTemplate = fromEntry.messageTemplate;
    }
}

QList<Breadcrumb> readBreadcrumbs(const Node &value)
{
    QList<Breadcrumb> crumbs;
    json::valuesList(value).forEachElement([&crumbs](const Node &entry) {
        if (!entry.isObject())
            return;
        Breadcrumb crumb;
        crumb.timestamp = parseTimestamp(entry["timestamp"sv]);
        crumb.type = json::scalarText(entry["type"sv]);
        crumb.category = json::scalarText(entry["category"sv]);
        crumb.level = json::scalarText(entry["level"sv]);
        crumb.message = json::toText(entry["message"sv]);
        const Node data = entry["data"sv];
        if (data.isObject())
            crumb.data = json::toQJson(data).toObject();
        else if (!data.isNullOrAbsent())
            crumb.data.insert(QStringLiteral("value"), json::toQJson(data));
        crumbs.append(crumb);
    });
    return crumbs;
}

QList<Tag> readTags(const Node &value)
{
    QList<Tag> tags;
    auto add = [&tags](const QString &key, const Node &tagValue) {
        // Sentry drops null tags; an empty key cannot be searched for.
        if (key.isEmpty() || tagValue.isNullOrAbsent())
            return;
        tags.append({ key, json::toText(tagValue) });
    };
    value.forEachMember([&add](std::string_view key, const Node &tagValue) {
        add(QString::fromUtf8(key.data(), qsizetype(key.size())), tagValue);
    });
    value.forEachElement([&add](const Node &entry) {
        if (entry.isArray() && entry.size() == 2) {
            add(json::scalarText(entry.at(0)), entry.at(1));
        } else if (entry.isObject()) {
            add(json::scalarText(entry["key"sv]), entry["value"sv]);
        }
    });
    return tags;
}

QStringList readFingerprint(const Node &value)
{
    QStringList fingerprint;
    if (value.isString()) {
        fingerprint.append(value.string());
        return fingerprint;
    }
    value.forEachElement([&fingerprint](const Node &part) {
        if (!part.isNullOrAbsent())
            fingerprint.append(json::toText(part));
    });
    return fingerprint;
}

// Summary parses keep of `raw` only what extractValidationErrors/extractHttpOutcome read.
QJsonObject membersForDerivedFields(const Node &root)
{
    QJsonObject kept;
    const QStringList &wanted = membersReadFromRaw();
    root.forEachMember([&](std::string_view key, const Node &value) {
        const QLatin1StringView name(key.data(), qsizetype(key.size()));
        if (wanted.contains(name))
            kept.insert(name, json::toQJson(value));  // a later duplicate replaces, as in a full parse
    });
    return kept;
}

} // namespace

QString normalizeEventId(const QString &id)
{
    QString hex = id.trimmed().toLower();
    hex.remove(QLatin1Char('-'));
    if (hex.startsWith(QLatin1Char('{')) && hex.endsWith(QLatin1Char('}')))
        hex = hex.mid(1, hex.size() - 2);
    if (hex.size() != 32)
        return {};
    bool anyNonZero = false;
    for (const QChar c : hex) {
        const bool digit = c >= QLatin1Char('0') && c <= QLatin1Char('9');
        const bool letter = c >= QLatin1Char('a') && c <= QLatin1Char('f');
        if (!digit && !letter)
            return {};
        anyNonZero = anyNonZero || c != QLatin1Char('0');
    }
    return anyNonZero ? hex : QString();
}

QString generateEventId() { return QUuid::createUuid().toString(QUuid::Id128); }

double parseTimestamp(const Node &value)
{
    if (value.isNumber())
        return value.number() > 0 ? value.number() : 0;
    if (!value.isString())
        return 0;
    const QString text = value.string().trimmed();
    if (const std::optional<double> iso = parseIsoTimestamp(text))
        return *iso > 0 ? *iso : 0;
    bool numeric = false;
    const double seconds = text.toDouble(&numeric);
    return numeric && seconds > 0 ? seconds : 0;
}

Result<Event> parseEvent(const Node &json, EventDetail detail)
{
    Event event;
    QList<FieldError> errors;
    const auto frames = detail == EventDetail::Full ? detail::FrameDetail::Full : detail::FrameDetail::Summary;

    event.eventId = normalizeEventId(json::scalarText(json["event_id"sv]));
    if (event.eventId.isEmpty())
        event.eventId = generateEventId();
    event.timestamp = parseTimestamp(json["timestamp"sv]);
    event.level = levelOf(json["level"sv]);
    event.platform = json::scalarText(json["platform"sv]);
    event.logger = json::scalarText(json["logger"sv]);
    event.environment = json::scalarText(json["environment"sv]);
    event.release = json::scalarText(json["release"sv]);
    event.serverName = json::scalarText(json["server_name"sv]);
    event.transaction = json::scalarText(json["transaction"sv]);
    readMessage(json, event);

    event.exceptions = detail::parseExceptions(json["exception"sv], errors, frames);
    // A legacy top-level `stacktrace` belongs to the one exception that has
    // none (Relay moves it there); without an exception it is the event's stack.
    QList<Frame> eventStack = detail::parseEventStacktrace(json["stacktrace"sv], errors, frames);
    if (!eventStack.isEmpty() && event.exceptions.size() == 1 && event.exceptions.first().frames.isEmpty())
        event.exceptions.first().frames = std::move(eventStack);
    const bool exceptionHasStack = std::any_of(event.exceptions.cbegin(), event.exceptions.cend(),
        [](const ExceptionValue &e) { return !e.frames.isEmpty(); });
    if (!exceptionHasStack)
        event.threadFrames = detail::parseThreadFrames(json["threads"sv], frames);
    if (!exceptionHasStack && event.threadFrames.isEmpty())
        event.threadFrames = std::move(eventStack);

    if (detail == EventDetail::Full)
        event.breadcrumbs = readBreadcrumbs(json["breadcrumbs"sv]);
    event.tags = readTags(json["tags"sv]);
    event.fingerprint = readFingerprint(json["fingerprint"sv]);

    if (!errors.isEmpty())
        return errors;

    event.raw = detail == EventDetail::Full ? json::toQJson(json).toObject() : membersForDerivedFields(json);
    event.http = extractHttpOutcome(event);
    event.validationErrors = extractValidationErrors(event, event.http);
    return event;
}

Result<Event> parseEvent(const QJsonObject &json)
{
    return parseEventJson(QJsonDocument(json).toJson(QJsonDocument::Compact));
}

Result<Event> parseEventJson(const QByteArray &json, EventDetail detail)
{
    Result<json::Document> document = parseJsonDocument(json, QStringLiteral("event"));
    if (!document)
        return document.errors();
    return parseEvent(document->root(), detail);
}

} // namespace faultline
