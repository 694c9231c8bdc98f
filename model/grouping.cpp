#include "model/grouping.h"

#include <QCryptographicHash>
#include <QRegularExpression>

#include <algorithm>
#include <optional>

namespace faultline {

namespace {

// Bump when the components change meaning, so old and new issues don't merge by accident.
const QString groupingVersion = QStringLiteral("v1");
// Deep recursions would otherwise make every extra level a new issue.
constexpr qsizetype maxFallbackFrames = 10;
constexpr qsizetype maxTitleLength = 200;

bool isDefaultPlaceholder(const QString &part)
{
    static const QRegularExpression placeholder(QStringLiteral(R"(^\{\{\s*default\s*\}\}$)"));
    return placeholder.match(part.trimmed()).hasMatch();
}

bool isSynthetic(const ExceptionValue &exception) { return exception.mechanism && exception.mechanism->synthetic; }

const QList<Frame> &stackOf(const Event &event)
{
    const ExceptionValue *primary = event.primaryException();
    if (primary && !primary->frames.isEmpty())
        return primary->frames;
    return event.threadFrames;
}

QString frameLocation(const Frame &frame) { return frame.module.isEmpty() ? frame.filename : frame.module; }

// Frames that identify the code path: the in-app ones, or when the SDK marked
// none, the top (most recent) few of all of them.
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

QString firstLine(const QString &text)
{
    QString line = text.section(QLatin1Char('\n'), 0, 0).trimmed();
    if (line.size() > maxTitleLength)
        line = line.left(maxTitleLength - 1) + QChar(0x2026);
    return line;
}

// The default grouping without the version prefix, so a fingerprint's
// {{ default }} can splice it in.
QStringList defaultComponents(const Event &event)
{
    const ExceptionValue *primary = event.primaryException();
    const QList<Frame> &frames = stackOf(event);
    const QString message = event.messageTemplate.isEmpty() ? event.message : event.messageTemplate;

    // A synthetic exception (node's captureMessage) has no meaningful type:
    // the message is the identity.
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

QString titleOf(const Event &event)
{
    const ExceptionValue *primary = event.primaryException();
    const QString message = firstLine(event.message.isEmpty() ? event.messageTemplate : event.message);
    if (primary && !isSynthetic(*primary)) {
        const QString value = firstLine(primary->value);
        if (!primary->type.isEmpty())
            return value.isEmpty() ? primary->type : primary->type + QStringLiteral(": ") + value;
        if (!value.isEmpty())
            return value;
    }
    if (!message.isEmpty())
        return message;
    if (primary && !firstLine(primary->value).isEmpty())
        return firstLine(primary->value);
    return QStringLiteral("<unlabeled event>");
}

QString culpritOf(const Event &event)
{
    const QList<Frame> &frames = stackOf(event);
    for (auto it = frames.crbegin(); it != frames.crend(); ++it) {
        if (!isInApp(*it))
            continue;
        const QString location = frameLocation(*it);
        if (it->function.isEmpty())
            return location;
        return location.isEmpty() ? it->function : location + QStringLiteral(" in ") + it->function;
    }
    return event.transaction;
}

} // namespace

bool isInApp(const Frame &frame)
{
    // sentry-python 1.x marks every frame in_app unless told the project's
    // root, so Django's own frames arrive as app code; @sentry/node can do the
    // same for bundled dependencies. Installed packages and Node internals are
    // never the user's code, whatever the flag says.
    const bool libraryPath = frame.absPath.contains(QLatin1String("/site-packages/"))
        || frame.absPath.contains(QLatin1String("/dist-packages/"))
        || frame.filename.contains(QLatin1String("/site-packages/"))
        || frame.filename.contains(QLatin1String("/dist-packages/"))
        || frame.filename.startsWith(QLatin1String("node:")) || frame.filename.contains(QLatin1String("node_modules/"))
        || frame.absPath.contains(QLatin1String("node_modules/"));
    return frame.inApp.value_or(false) && !libraryPath;
}

IssueKey groupEvent(const Event &event)
{
    IssueKey key;
    key.components.append(groupingVersion);
    // ["{{ default }}"] alone is the default grouping, and must hash like it.
    const bool onlyDefault = std::all_of(event.fingerprint.cbegin(), event.fingerprint.cend(), isDefaultPlaceholder);
    if (onlyDefault) {
        key.components += defaultComponents(event);
    } else {
        key.components.append(QStringLiteral("fingerprint"));
        // Computed once: a fingerprint may repeat "{{ default }}" thousands of times.
        std::optional<QStringList> defaults;
        for (const QString &part : event.fingerprint) {
            if (!isDefaultPlaceholder(part)) {
                key.components.append(part);
                continue;
            }
            if (!defaults)
                defaults = defaultComponents(event);
            key.components += *defaults;
        }
    }
    key.fingerprint = QString::fromLatin1(
        QCryptographicHash::hash(key.components.join(QLatin1Char('\n')).toUtf8(), QCryptographicHash::Sha1).toHex());
    key.title = titleOf(event);
    key.culprit = culpritOf(event);
    return key;
}

} // namespace faultline
