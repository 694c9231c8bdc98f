#include "model/stacktrace_parser.h"

#include "model/json_text.h"

#include <limits>

namespace faultline::detail {

namespace {

using json::Node;
using namespace std::string_view_literals;

QStringList stringList(const Node &value)
{
    QStringList lines;
    lines.reserve(value.size());
    value.forEachElement([&lines](const Node &line) { lines.append(json::toText(line)); });
    return lines;
}

// Sentry keeps whatever the SDK sent as vars; we need an object for the UI, so
// a list becomes {"0": …, "1": …} and a scalar {"value": …} instead of being lost.
QJsonObject varsObject(const Node &value)
{
    if (value.isObject())
        return json::toQJson(value).toObject();
    QList<std::pair<QString, QJsonValue>> wrapped;
    if (value.isArray()) {
        value.forEachElement([&](const Node &element) {
            wrapped.append({ QString::number(wrapped.size()), json::toQJson(element) });
        });
    } else if (!value.isNullOrAbsent()) {
        wrapped.append({ QStringLiteral("value"), json::toQJson(value) });
    }
    return json::objectFromMembers(std::move(wrapped));
}

// How many entries varsObject() would have.
int varsCount(const Node &value)
{
    if (value.isObject() || value.isArray())
        return int(value.size());
    return value.isNullOrAbsent() ? 0 : 1;
}

int intOrZero(const Node &value)
{
    const auto number = json::toInteger(value);
    if (!number || *number < 0 || *number > std::numeric_limits<int>::max())
        return 0;
    return static_cast<int>(*number);
}

std::optional<Mechanism> parseMechanism(const Node &value)
{
    if (!value.isObject())
        return std::nullopt;
    Mechanism mechanism;
    mechanism.type = json::scalarText(value["type"sv]);
    const Node handled = value["handled"sv];
    if (handled.isBool())
        mechanism.handled = handled.boolean();
    mechanism.synthetic = value["synthetic"sv].boolean(false);
    mechanism.source = json::scalarText(value["source"sv]);
    return mechanism;
}

QJsonArray appended(QJsonArray loc, const QJsonValue &part)
{
    loc.append(part);
    return loc;
}

} // namespace

Frame parseFrame(const Node &object, FrameDetail detail)
{
    Frame frame;
    frame.filename = json::scalarText(object["filename"sv]);
    frame.absPath = json::scalarText(object["abs_path"sv]);
    frame.module = json::scalarText(object["module"sv]);
    frame.function = json::scalarText(object["function"sv]);
    frame.lineno = intOrZero(object["lineno"sv]);
    frame.colno = intOrZero(object["colno"sv]);
    frame.contextLine = json::scalarText(object["context_line"sv]);
    if (detail == FrameDetail::Full) {
        frame.preContext = stringList(object["pre_context"sv]);
        frame.postContext = stringList(object["post_context"sv]);
    }
    const Node inApp = object["in_app"sv];
    if (inApp.isBool())
        frame.inApp = inApp.boolean();
    const Node vars = object["vars"sv];
    frame.varCount = varsCount(vars);
    if (detail == FrameDetail::Full)
        frame.vars = varsObject(vars);
    if (frame.filename.isEmpty() && !frame.absPath.isEmpty())
        frame.filename = frame.absPath;
    return frame;
}

QList<Frame> parseFrames(const Node &frames, const QJsonArray &loc, QList<FieldError> &errors, FrameDetail detail)
{
    QList<Frame> result;
    if (frames.isNullOrAbsent())
        return result;
    if (!frames.isArray()) {
        errors.append({ loc, QStringLiteral("frames must be a list"), QStringLiteral("type_error.list") });
        return result;
    }
    result.reserve(frames.size());
    int index = 0;
    frames.forEachElement([&](const Node &frame) {
        if (frame.isObject())
            result.append(parseFrame(frame, detail));
        else
            errors.append({ appended(loc, index), QStringLiteral("frame must be an object"),
                QStringLiteral("type_error.object") });
        ++index;
    });
    return result;
}

QList<ExceptionValue> parseExceptions(const Node &exception, QList<FieldError> &errors, FrameDetail detail)
{
    QList<ExceptionValue> result;
    auto parseValue = [&](const Node &entry, const QJsonArray &loc) {
        if (!entry.isObject()) {
            errors.append(
                { loc, QStringLiteral("exception value must be an object"), QStringLiteral("type_error.object") });
            return;
        }
        ExceptionValue value;
        value.type = json::scalarText(entry["type"sv]);
        value.value = json::toText(entry["value"sv]);
        value.module = json::scalarText(entry["module"sv]);
        value.mechanism = parseMechanism(entry["mechanism"sv]);
        const Node stacktrace = entry["stacktrace"sv];
        if (stacktrace.isObject()) {
            value.frames = parseFrames(stacktrace["frames"sv],
                appended(appended(loc, QStringLiteral("stacktrace")), QStringLiteral("frames")), errors, detail);
        }
        result.append(value);
    };
    // raven-go sends one exception as a bare object; Sentry reads it as a list of one.
    const bool single = exception.isObject() && !exception.contains("values"sv)
        && (exception.contains("type"sv) || exception.contains("value"sv) || exception.contains("stacktrace"sv));
    if (single) {
        parseValue(exception, QJsonArray { QStringLiteral("exception") });
        return result;
    }
    bool wrapped = false;
    const Node values = json::valuesList(exception, &wrapped);
    const QJsonArray baseLoc = wrapped ? QJsonArray { QStringLiteral("exception"), QStringLiteral("values") }
                                       : QJsonArray { QStringLiteral("exception") };
    int index = 0;
    values.forEachElement([&](const Node &entry) { parseValue(entry, appended(baseLoc, index++)); });
    return result;
}

QList<Frame> parseEventStacktrace(const Node &stacktrace, QList<FieldError> &errors, FrameDetail detail)
{
    if (!stacktrace.isObject())
        return {};
    return parseFrames(
        stacktrace["frames"sv], QJsonArray { QStringLiteral("stacktrace"), QStringLiteral("frames") }, errors, detail);
}

QList<Frame> parseThreadFrames(const Node &threads, FrameDetail detail)
{
    QList<Node> withFrames;
    json::valuesList(threads).forEachElement([&withFrames](const Node &thread) {
        const Node frames = thread["stacktrace"sv]["frames"sv];
        if (frames.isArray() && frames.size() > 0)
            withFrames.append(thread);
    });
    if (withFrames.isEmpty())
        return {};

    auto pick = [&withFrames]() -> Node {
        for (const Node &thread : withFrames)
            if (thread["crashed"sv].boolean(false))
                return thread;
        for (const Node &thread : withFrames)
            if (thread["current"sv].boolean(false))
                return thread;
        return withFrames.first();
    };

    QList<Frame> frames;
    pick()["stacktrace"sv]["frames"sv].forEachElement([&](const Node &frame) {
        if (frame.isObject())
            frames.append(parseFrame(frame, detail));
    });
    return frames;
}

} // namespace faultline::detail
