#include "model/grouping_v1.h"

#include <QRegularExpression>

#include <algorithm>
#include <optional>

namespace faultline::grouping_v1 {

namespace {

// Deep recursions would otherwise make every extra level a new issue.
constexpr qsizetype maxFallbackFrames = 10;

bool isDefaultPlaceholder(const QString &part)
{
    static const QRegularExpression placeholder(QStringLiteral(R"(^\{\{\s*default\s*\}\}$)"));
    return placeholder.match(part.trimmed()).hasMatch();
}

bool isSynthetic(const ExceptionValue &exception) { return exception.mechanism && exception.mechanism->synthetic; }

// v1's notion of app code: only installed packages and Node paths overrode the SDK.
bool isInApp(const Frame &frame)
{
    const bool libraryPath = frame.absPath.contains(QLatin1String("/site-packages/"))
        || frame.absPath.contains(QLatin1String("/dist-packages/"))
        || frame.filename.contains(QLatin1String("/site-packages/"))
        || frame.filename.contains(QLatin1String("/dist-packages/"))
        || frame.filename.startsWith(QLatin1String("node:")) || frame.filename.contains(QLatin1String("node_modules/"))
        || frame.absPath.contains(QLatin1String("node_modules/"));
    return frame.inApp.value_or(false) && !libraryPath;
}

const QList<Frame> &stackOf(const Event &event)
{
    const ExceptionValue *primary = event.primaryException();
    if (primary && !primary->frames.isEmpty())
        return primary->frames;
    return event.threadFrames;
}

QString frameLocation(const Frame &frame) { return frame.module.isEmpty() ? frame.filename : frame.module; }

QStringList frameComponents(const QList<Frame> &frames)
{
    QStringList components;
    for (const Frame &frame : frames)
        if (isInApp(frame))
            components.append(frameLocation(frame) + QLatin1Char('|') + frame.function);
    if (components.isEmpty()) {
        const qsizetype first = std::max<qsizetype>(0, frames.size() - maxFallbackFrames);
        for (qsizetype i = first; i < frames.size(); ++i)
            components.append(frameLocation(frames.at(i)) + QLatin1Char('|') + frames.at(i).function);
    }
    return components;
}

QStringList defaultComponents(const Event &event)
{
    const ExceptionValue *primary = event.primaryException();
    const QList<Frame> &frames = stackOf(event);
    const QString message = event.messageTemplate.isEmpty() ? event.message : event.messageTemplate;
    const bool synthetic = primary && isSynthetic(*primary);
    if (primary && !synthetic && (!primary->type.isEmpty() || !frames.isEmpty()))
        return QStringList { QStringLiteral("exception"), primary->type } + frameComponents(frames);
    if (!message.isEmpty())
        return { QStringLiteral("message"), message };
    if (primary && !primary->value.isEmpty())
        return { QStringLiteral("message"), primary->value };
    if (!frames.isEmpty())
        return QStringList { QStringLiteral("stack") } + frameComponents(frames);
    return { QStringLiteral("fallback") };
}

} // namespace

QStringList components(const Event &event)
{
    QStringList result { QStringLiteral("v1") };
    const bool onlyDefault = std::all_of(event.fingerprint.cbegin(), event.fingerprint.cend(), isDefaultPlaceholder);
    if (onlyDefault) {
        result += defaultComponents(event);
    } else {
        result.append(QStringLiteral("fingerprint"));
        // Computed once: a fingerprint may repeat "{{ default }}" thousands of times.
        std::optional<QStringList> defaults;
        for (const QString &part : event.fingerprint) {
            if (!isDefaultPlaceholder(part)) {
                result.append(part);
                continue;
            }
            if (!defaults)
                defaults = defaultComponents(event);
            result += *defaults;
        }
    }
    return result;
}

} // namespace faultline::grouping_v1
