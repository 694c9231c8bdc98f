#include "model/grouping_v2.h"

#include "model/grouping_frame.h"
#include "model/in_app.h"
#include "model/message_normalizer.h"

#include <QStringList>

#include <algorithm>
#include <optional>

namespace faultline::grouping_v2 {

namespace {

using Kind = GroupingPart::Kind;

// Deep (or mutual) recursion would otherwise make every extra level a new issue.
constexpr qsizetype maxCountedFrames = 50;
// Values and messages past this many characters do not count; stored
// explanations stay small, and a dump pasted into a message does not split issues.
constexpr qsizetype maxValueLength = 512;

bool isDefaultPlaceholder(const QString &part)
{
    const QStringView text = QStringView(part).trimmed();
    return text.startsWith(u"{{") && text.endsWith(u"}}") && text.sliced(2, text.size() - 4).trimmed() == u"default";
}

bool isSynthetic(const ExceptionValue &exception) { return exception.mechanism && exception.mechanism->synthetic; }

// "pydantic.error_wrappers.ValidationError", not "ValidationError": two
// libraries' exceptions of one name are different bugs.
QString qualifiedType(const ExceptionValue &exception)
{
    const QString &module = exception.module;
    if (exception.type.isEmpty() || module.isEmpty() || module == u"builtins" || module == u"exceptions"
        || exception.type.startsWith(module + QLatin1Char('.')))
        return exception.type;
    return module + QLatin1Char('.') + exception.type;
}

QString groupingText(const QString &text)
{
    return normalizeMessageForGrouping(QStringView(text).trimmed()).left(maxValueLength);
}

GroupingPart part(Kind kind, const QString &value, const QString &ignored = {})
{
    GroupingPart p;
    p.kind = kind;
    p.value = value;
    p.ignored = ignored;
    return p;
}

// Why each frame of a stack is not app code ("" = it is), worked out once: whether the
// event has app frames and which frames count both need it.
QStringList notAppReasons(const QList<Frame> &frames)
{
    QStringList reasons;
    reasons.reserve(frames.size());
    for (const Frame &frame : frames)
        reasons.append(notAppCodeReason(frame));
    return reasons;
}

bool anyAppFrame(const QStringList &reasons)
{
    return std::any_of(reasons.cbegin(), reasons.cend(), [](const QString &reason) { return reason.isEmpty(); });
}

// Appends one stack's frames (oldest first, as sent); ignored frames in a row
// for the same reason become one part. `reasons`: notAppReasons(frames), used when
// `appOnly`. Returns how many frames count.
qsizetype appendFrames(QList<GroupingPart> &parts, const QList<Frame> &frames, const QStringList &reasons, bool appOnly,
    QStringView platform)
{
    QList<GroupingPart> perFrame;
    perFrame.reserve(frames.size());
    std::optional<FrameIdentity> previous;
    for (qsizetype i = 0; i < frames.size(); ++i) {
        const Frame &frame = frames.at(i);
        GroupingPart p;
        p.kind = Kind::Frame;
        const QString reason = appOnly ? reasons.at(i) : QString();
        if (!reason.isEmpty()) {
            p.ignored = QStringLiteral("not app code: ") + reason;
        } else {
            const FrameIdentity identity = frameIdentity(frame, platform);
            p.value = identity.location;
            p.function = identity.function;
            p.contextLine = identity.contextLine;
            if (!identity.ignored.isEmpty())
                p.ignored = identity.ignored;
            else if (identity.isEmpty())
                p.ignored = QStringLiteral("nothing to identify the frame by");
            else if (previous && previous->location == identity.location && previous->function == identity.function
                && previous->contextLine == identity.contextLine)
                p.ignored = QStringLiteral("recursion");
            previous = identity;
        }
        perFrame.append(p);
    }
    qsizetype counted = 0;
    for (auto it = perFrame.rbegin(); it != perFrame.rend(); ++it) { // nearest the error first
        if (!it->counts())
            continue;
        if (counted == maxCountedFrames)
            *it = part(Kind::Frame, {}, QStringLiteral("more than %1 frames from the error").arg(maxCountedFrames));
        else
            ++counted;
    }
    for (GroupingPart &p : perFrame) {
        if (!p.counts()) {
            p.value.clear();
            p.function.clear();
            p.contextLine.clear();
            if (!parts.isEmpty() && parts.last().kind == Kind::Frame && parts.last().ignored == p.ignored) {
                ++parts.last().count;
                continue;
            }
        }
        parts.append(p);
    }
    return counted;
}

// Exceptions, oldest cause first. False when nothing in them counts.
bool explainExceptions(const Event &event, GroupingExplanation &explanation)
{
    bool anyFrames = false;
    bool anyApp = false;
    QList<QStringList> reasons; // per exception
    for (const ExceptionValue &exception : event.exceptions) {
        reasons.append(notAppReasons(exception.frames));
        anyFrames = anyFrames || !exception.frames.isEmpty();
        anyApp = anyApp || anyAppFrame(reasons.last());
    }
    QList<GroupingPart> parts;
    for (qsizetype e = 0; e < event.exceptions.size(); ++e) {
        const ExceptionValue &exception = event.exceptions.at(e);
        const bool synthetic = isSynthetic(exception);
        const QString type = qualifiedType(exception);
        if (!type.isEmpty())
            parts.append(part(Kind::ExceptionType, type,
                synthetic ? QStringLiteral("synthetic: the SDK made the exception up to carry a stack") : QString()));
        const qsizetype frames = appendFrames(parts, exception.frames, reasons.at(e), anyApp, event.platform);
        const QString value = groupingText(exception.value);
        if (!value.isEmpty()) {
            if (frames > 0)
                parts.append(part(Kind::ExceptionValue, value, QStringLiteral("the stack takes precedence")));
            else if (synthetic)
                parts.append(part(Kind::ExceptionValue, value, QStringLiteral("synthetic: grouped as a message")));
            else
                parts.append(part(Kind::ExceptionValue, value));
        }
    }
    if (std::none_of(parts.cbegin(), parts.cend(), [](const GroupingPart &p) { return p.counts(); }))
        return false;
    explanation.basis = QStringLiteral("exception");
    explanation.variant = anyFrames ? (anyApp ? QStringLiteral("app") : QStringLiteral("system")) : QString();
    explanation.parts = parts;
    return true;
}

QString messageOf(const Event &event)
{
    if (!event.messageTemplate.isEmpty())
        return event.messageTemplate;
    if (!event.message.isEmpty())
        return event.message;
    // captureException("text") without a stack: the text is the message.
    const ExceptionValue *primary = event.primaryException();
    return primary ? primary->value : QString();
}

GroupingExplanation explainDefault(const Event &event)
{
    GroupingExplanation explanation;
    explanation.strategy = strategyName;
    if (!event.exceptions.isEmpty() && explainExceptions(event, explanation))
        return explanation;

    const QString message = groupingText(messageOf(event));
    if (!event.threadFrames.isEmpty()) {
        const QStringList reasons = notAppReasons(event.threadFrames);
        const bool anyApp = anyAppFrame(reasons);
        QList<GroupingPart> parts;
        if (appendFrames(parts, event.threadFrames, reasons, anyApp, event.platform) > 0) {
            if (!message.isEmpty())
                parts.append(part(Kind::Message, message, QStringLiteral("the stack takes precedence")));
            explanation.basis = QStringLiteral("stack");
            explanation.variant = anyApp ? QStringLiteral("app") : QStringLiteral("system");
            explanation.parts = parts;
            return explanation;
        }
    }
    if (!message.isEmpty()) {
        explanation.basis = QStringLiteral("message");
        explanation.parts = { part(Kind::Message, message) };
        return explanation;
    }
    explanation.basis = QStringLiteral("fallback");
    explanation.parts = { part(Kind::Fallback, {}) };
    return explanation;
}

} // namespace

GroupingExplanation explain(const Event &event)
{
    const bool onlyDefault = std::all_of(event.fingerprint.cbegin(), event.fingerprint.cend(), isDefaultPlaceholder);
    if (onlyDefault)
        return explainDefault(event);

    GroupingExplanation explanation;
    explanation.strategy = strategyName;
    explanation.basis = QStringLiteral("fingerprint");
    // Computed once: a fingerprint may repeat "{{ default }}" thousands of times.
    std::optional<GroupingExplanation> byDefault;
    for (const QString &fingerprintPart : event.fingerprint) {
        if (!isDefaultPlaceholder(fingerprintPart)) {
            explanation.parts.append(part(Kind::Fingerprint, fingerprintPart));
            continue;
        }
        if (!byDefault)
            byDefault = explainDefault(event);
        explanation.variant = byDefault->variant;
        explanation.parts += byDefault->parts;
    }
    return explanation;
}

} // namespace faultline::grouping_v2
