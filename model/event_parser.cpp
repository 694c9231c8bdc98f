#include "model/event_parser.h"
#include "model/json_object.h"

#include "model/iso_timestamp.h"
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

QString levelOf(const QJsonValue &value)
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
void readLogEntry(const QJsonObject &entry, Event &event)
{
    const QString templ = json::toText(entry.value(QLatin1String("message")));
    const QString formatted = json::toText(entry.value(QLatin1String("formatted")));
    if (!templ.isEmpty())
        event.messageTemplate = templ;
    if (!formatted.isEmpty())
        event.message = formatted;
    else if (!templ.isEmpty())
        event.message = formatParams(templ, entry.value(QLatin1String("params")));
}

void readMessage(const QJsonObject &json, Event &event)
{
    const QJsonValue message = json.value(QLatin1String("message"));
    if (message.isObject())
        readLogEntry(message.toObject(), event);
    else
        event.message = json::scalarText(message);
    // logentry is the current interface: it wins over a legacy `message`.
    const QJsonValue logentry = json.value(QLatin1String("logentry"));
    if (logentry.isObject()) {
        Event fromEntry;
        readLogEntry(logentry.toObject(), fromEntry);
        if (!fromEntry.message.isEmpty())
            event.message = fromEntry.message;
        if (!fromEntry.messageTemplate.isEmpty())
            event.messageTemplate = fromEntry.messageTemplate;
    }
}

QList<Breadcrumb> readBreadcrumbs(const QJsonValue &value)
{
    QList<Breadcrumb> crumbs;
    const auto values = json::valuesList(value);
    if (!values)
        return crumbs;
    for (const QJsonValue &entry : *values) {
        if (!entry.isObject())
            continue;
        const QJsonObject object = entry.toObject();
        Breadcrumb crumb;
        crumb.timestamp = parseTimestamp(object.value(QLatin1String("timestamp")));
        crumb.type = json::scalarText(object.value(QLatin1String("type")));
        crumb.category = json::scalarText(object.value(QLatin1String("category")));
        crumb.level = json::scalarText(object.value(QLatin1String("level")));
        crumb.message = json::toText(object.value(QLatin1String("message")));
        const QJsonValue data = object.value(QLatin1String("data"));
        if (data.isObject())
            crumb.data = data.toObject();
        else if (!data.isNull() && !data.isUndefined())
            crumb.data.insert(QStringLiteral("value"), data);
        crumbs.append(crumb);
    }
    return crumbs;
}

QList<Tag> readTags(const QJsonValue &value)
{
    QList<Tag> tags;
    auto add = [&tags](const QString &key, const QJsonValue &tagValue) {
        // Sentry drops null tags; an empty key cannot be searched for.
        if (key.isEmpty() || tagValue.isNull() || tagValue.isUndefined())
            return;
        tags.append({ key, json::toText(tagValue) });
    };
    if (value.isObject()) {
        const QJsonObject object = value.toObject();
        for (auto it = object.begin(); it != object.end(); ++it)
            add(it.key(), it.value());
    } else if (value.isArray()) {
        for (const QJsonValue &entry : value.toArray()) {
            if (entry.isArray() && entry.toArray().size() == 2)
                add(json::scalarText(entry.toArray().at(0)), entry.toArray().at(1));
            else if (entry.isObject())
                add(json::scalarText(entry.toObject().value(QLatin1String("key"))),
                    entry.toObject().value(QLatin1String("value")));
        }
    }
    return tags;
}

QStringList readFingerprint(const QJsonValue &value)
{
    QStringList fingerprint;
    if (value.isString()) {
        fingerprint.append(value.toString());
        return fingerprint;
    }
    for (const QJsonValue &part : value.toArray())
        if (!part.isNull() && !part.isUndefined())
            fingerprint.append(json::toText(part));
    return fingerprint;
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

double parseTimestamp(const QJsonValue &value)
{
    if (value.isDouble())
        return value.toDouble() > 0 ? value.toDouble() : 0;
    if (!value.isString())
        return 0;
    const QString text = value.toString().trimmed();
    if (const std::optional<double> iso = parseIsoTimestamp(text))
        return *iso > 0 ? *iso : 0;
    bool numeric = false;
    const double seconds = text.toDouble(&numeric);
    return numeric && seconds > 0 ? seconds : 0;
}

Result<Event> parseEvent(const QJsonObject &json)
{
    Event event;
    QList<FieldError> errors;

    event.eventId = normalizeEventId(json::scalarText(json.value(QLatin1String("event_id"))));
    if (event.eventId.isEmpty())
        event.eventId = generateEventId();
    event.timestamp = parseTimestamp(json.value(QLatin1String("timestamp")));
    event.level = levelOf(json.value(QLatin1String("level")));
    event.platform = json::scalarText(json.value(QLatin1String("platform")));
    event.logger = json::scalarText(json.value(QLatin1String("logger")));
    event.environment = json::scalarText(json.value(QLatin1String("environment")));
    event.release = json::scalarText(json.value(QLatin1String("release")));
    event.serverName = json::scalarText(json.value(QLatin1String("server_name")));
    event.transaction = json::scalarText(json.value(QLatin1String("transaction")));
    readMessage(json, event);

    event.exceptions = detail::parseExceptions(json.value(QLatin1String("exception")), errors);
    const bool exceptionHasStack = std::any_of(event.exceptions.cbegin(), event.exceptions.cend(),
        [](const ExceptionValue &e) { return !e.frames.isEmpty(); });
    if (!exceptionHasStack)
        event.threadFrames = detail::parseThreadFrames(json.value(QLatin1String("threads")));

    event.breadcrumbs = readBreadcrumbs(json.value(QLatin1String("breadcrumbs")));
    event.tags = readTags(json.value(QLatin1String("tags")));
    event.fingerprint = readFingerprint(json.value(QLatin1String("fingerprint")));

    if (!errors.isEmpty())
        return errors;

    event.raw = json;
    event.http = extractHttpOutcome(event);
    event.validationErrors = extractValidationErrors(event, event.http);
    return event;
}

Result<Event> parseEventJson(const QByteArray &json)
{
    Result<QJsonObject> object = parseJsonObject(json, QStringLiteral("event"));
    if (!object)
        return object.errors();
    return parseEvent(object.value());
}

} // namespace faultline
