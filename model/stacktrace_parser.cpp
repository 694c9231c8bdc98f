#include "model/stacktrace_parser.h"

#include "model/json_text.h"

#include <limits>

namespace faultline::detail {

namespace {

QStringList stringList(const QJsonValue &value)
{
    QStringList lines;
    if (!value.isArray())
        return lines;
    const QJsonArray array = value.toArray();
    lines.reserve(array.size());
    for (const QJsonValue &line : array)
        lines.append(json::toText(line));
    return lines;
}

// Sentry keeps whatever the SDK sent as vars; we need an object for the UI, so
// a list becomes {"0": …, "1": …} and a scalar {"value": …} instead of being lost.
QJsonObject varsObject(const QJsonValue &value)
{
    if (value.isObject())
        return value.toObject();
    QJsonObject wrapped;
    if (value.isArray()) {
        const QJsonArray array = value.toArray();
        for (qsizetype i = 0; i < array.size(); ++i)
            wrapped.insert(QString::number(i), array.at(i));
    } else if (!value.isNull() && !value.isUndefined()) {
        wrapped.insert(QStringLiteral("value"), value);
    }
    return wrapped;
}

int intOrZero(const QJsonValue &value)
{
    const auto number = json::toInteger(value);
    if (!number || *number < 0 || *number > std::numeric_limits<int>::max())
        return 0;
    return static_cast<int>(*number);
}

std::optional<Mechanism> parseMechanism(const QJsonValue &value)
{
    if (!value.isObject())
        return std::nullopt;
    const QJsonObject object = value.toObject();
    Mechanism mechanism;
    mechanism.type = json::scalarText(object.value(QLatin1String("type")));
    const QJsonValue handled = object.value(QLatin1String("handled"));
    if (handled.isBool())
        mechanism.handled = handled.toBool();
    mechanism.synthetic = object.value(QLatin1String("synthetic")).toBool(false);
    return mechanism;
}

QJsonArray appended(QJsonArray loc, const QJsonValue &part)
{
    loc.append(part);
    return loc;
}

} // namespace

Frame parseFrame(const QJsonObject &object)
{
    Frame frame;
    frame.filename = json::scalarText(object.value(QLatin1String("filename")));
    frame.absPath = json::scalarText(object.value(QLatin1String("abs_path")));
    frame.module = json::scalarText(object.value(QLatin1String("module")));
    frame.function = json::scalarText(object.value(QLatin1String("function")));
    frame.lineno = intOrZero(object.value(QLatin1String("lineno")));
    frame.colno = intOrZero(object.value(QLatin1String("colno")));
    frame.contextLine = json::scalarText(object.value(QLatin1String("context_line")));
    frame.preContext = stringList(object.value(QLatin1String("pre_context")));
    frame.postContext = stringList(object.value(QLatin1String("post_context")));
    const QJsonValue inApp = object.value(QLatin1String("in_app"));
    if (inApp.isBool())
        frame.inApp = inApp.toBool();
    frame.vars = varsObject(object.value(QLatin1String("vars")));
    if (frame.filename.isEmpty() && !frame.absPath.isEmpty())
        frame.filename = frame.absPath;
    return frame;
}

QList<Frame> parseFrames(const QJsonValue &frames, const QJsonArray &loc, QList<FieldError> &errors)
{
    QList<Frame> result;
    if (frames.isNull() || frames.isUndefined())
        return result;
    if (!frames.isArray()) {
        errors.append({ loc, QStringLiteral("frames must be a list"), QStringLiteral("type_error.list") });
        return result;
    }
    const QJsonArray array = frames.toArray();
    result.reserve(array.size());
    for (qsizetype j = 0; j < array.size(); ++j) {
        const QJsonValue frame = array.at(j);
        if (!frame.isObject()) {
            errors.append({ appended(loc, static_cast<int>(j)), QStringLiteral("frame must be an object"),
                QStringLiteral("type_error.object") });
            continue;
        }
        result.append(parseFrame(frame.toObject()));
    }
    return result;
}

QList<ExceptionValue> parseExceptions(const QJsonValue &exception, QList<FieldError> &errors)
{
    QList<ExceptionValue> result;
    bool wrapped = false;
    const auto values = json::valuesList(exception, &wrapped);
    if (!values)
        return result;
    const QJsonArray baseLoc = wrapped ? QJsonArray { QStringLiteral("exception"), QStringLiteral("values") }
                                       : QJsonArray { QStringLiteral("exception") };
    for (qsizetype i = 0; i < values->size(); ++i) {
        const QJsonArray loc = appended(baseLoc, static_cast<int>(i));
        const QJsonValue entry = values->at(i);
        if (!entry.isObject()) {
            errors.append(
                { loc, QStringLiteral("exception value must be an object"), QStringLiteral("type_error.object") });
            continue;
        }
        const QJsonObject object = entry.toObject();
        ExceptionValue value;
        value.type = json::scalarText(object.value(QLatin1String("type")));
        value.value = json::toText(object.value(QLatin1String("value")));
        value.module = json::scalarText(object.value(QLatin1String("module")));
        value.mechanism = parseMechanism(object.value(QLatin1String("mechanism")));
        const QJsonValue stacktrace = object.value(QLatin1String("stacktrace"));
        if (stacktrace.isObject()) {
            value.frames = parseFrames(stacktrace.toObject().value(QLatin1String("frames")),
                appended(appended(loc, QStringLiteral("stacktrace")), QStringLiteral("frames")), errors);
        }
        result.append(value);
    }
    return result;
}

QList<Frame> parseThreadFrames(const QJsonValue &threads)
{
    const auto values = json::valuesList(threads);
    if (!values)
        return {};

    QList<QJsonObject> withFrames;
    for (const QJsonValue &thread : *values) {
        const QJsonObject object = thread.toObject();
        const QJsonValue frames = object.value(QLatin1String("stacktrace")).toObject().value(QLatin1String("frames"));
        if (frames.isArray() && !frames.toArray().isEmpty())
            withFrames.append(object);
    }
    if (withFrames.isEmpty())
        return {};

    auto pick = [&withFrames]() -> QJsonObject {
        for (const QJsonObject &thread : withFrames)
            if (thread.value(QLatin1String("crashed")).toBool(false))
                return thread;
        for (const QJsonObject &thread : withFrames)
            if (thread.value(QLatin1String("current")).toBool(false))
                return thread;
        return withFrames.first();
    };

    QList<Frame> frames;
    for (const QJsonValue &frame :
        pick().value(QLatin1String("stacktrace")).toObject().value(QLatin1String("frames")).toArray())
        if (frame.isObject())
            frames.append(parseFrame(frame.toObject()));
    return frames;
}

} // namespace faultline::detail
