#include "model/event_parser.h"

#include "model/derived_tags.h"
#include "model/iso_timestamp.h"
#include "model/json_dom.h"
#include "model/json_object.h"
#include "model/json_text.h"
#include "model/stacktrace_parser.h"
#include "model/validation.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QUuid>

#include <algorithm>
#include <utility>

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
// A hand-written scan, one pass: the message is the sender's, and a regex
// looking for ")" after every "%(" took quadratic time on "%(%(%(…".
QString formatParams(const QString &templ, const QJsonValue &params)
{
    if (!params.isArray() && !params.isObject())
        return templ;
    static const QString conversions = QStringLiteral("sdirf%");
    const QJsonArray positional = params.toArray();
    const QJsonObject named = params.toObject();
    const QStringView text(templ);
    qsizetype next = 0;
    QString out;
    out.reserve(templ.size());
    qsizetype pos = 0;
    // Where the next ")" is, or -1 when there is none left: found once, reused.
    qsizetype closing = text.indexOf(QLatin1Char(')'));
    while (pos < text.size()) {
        const qsizetype percent = text.indexOf(QLatin1Char('%'), pos);
        if (percent < 0 || percent + 1 >= text.size())
            break;
        out += text.sliced(pos, percent - pos);
        qsizetype at = percent + 1;
        QStringView name;
        bool hasName = false;
        if (text.at(at) == QLatin1Char('(')) {
            if (closing >= 0 && closing < at)
                closing = text.indexOf(QLatin1Char(')'), at);
            if (closing >= 0) {
                name = text.sliced(at + 1, closing - at - 1);
                hasName = true;
                at = closing + 1;
            }
        }
        if (at >= text.size() || !conversions.contains(text.at(at))) {
            // Not a placeholder: keep the '%' and look again right after it.
            out += QLatin1Char('%');
            pos = percent + 1;
            continue;
        }
        const QStringView whole = text.sliced(percent, at + 1 - percent);
        if (text.at(at) == QLatin1Char('%'))
            out += QLatin1Char('%');
        else if (hasName)
            out += named.contains(name) ? json::toText(named.value(name)) : whole.toString();
        else if (next < positional.size())
            out += json::toText(positional.at(next++));
        else
            out += whole;
        pos = at + 1;
    }
    out += text.sliced(std::min(pos, text.size()));
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
            kept.insert(name, json::toQJson(value)); // a later duplicate replaces, as in a full parse
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
        event.exceptions.first().frames = std::exchange(eventStack, {});
    const bool exceptionHasStack = std::any_of(event.exceptions.cbegin(), event.exceptions.cend(),
        [](const ExceptionValue &e) { return !e.frames.isEmpty(); });
    if (!exceptionHasStack)
        event.threadFrames = detail::parseThreadFrames(json["threads"sv], frames);
    if (!exceptionHasStack && event.threadFrames.isEmpty())
        event.threadFrames = std::move(eventStack);

    if (detail == EventDetail::Full)
        event.breadcrumbs = readBreadcrumbs(json["breadcrumbs"sv]);
    event.tags = readTags(json["tags"sv]);
    event.derivedTags = readDerivedTags(json);
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
