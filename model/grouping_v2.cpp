#include "model/grouping_v2.h"

#include "model/grouping_frame.h"
#include "model/grouping_v2_parts.h"
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
        || (exception.type.size() > module.size() && exception.type.at(module.size()) == u'.'
            && exception.type.startsWith(module)))
        return exception.type;
    return module + QLatin1Char('.') + exception.type;
}

QString groupingText(const QString &text)
{
    return normalizeMessageForGrouping(QStringView(text).trimmed()).left(maxValueLength);
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

enum class Verdict { Counts, NotAppCode, LowQuality, Unidentified, Recursion, TooDeep };

struct WalkedFrame {
    Verdict verdict = Verdict::Counts;
    FrameIdentity identity; // empty for frames that are not app code
};

// Every frame's verdict, oldest first (as sent). `reasons`: notAppReasons(frames),
// used when `appOnly`. Sets `counted` to how many frames count.
QList<WalkedFrame> walkFrames(
    const QList<Frame> &frames, const QStringList &reasons, bool appOnly, QStringView platform, qsizetype *counted)
{
    QList<WalkedFrame> walked(frames.size());
    const FrameIdentity *previous = nullptr;
    for (qsizetype i = 0; i < frames.size(); ++i) {
        WalkedFrame &frame = walked[i];
        if (appOnly && !reasons.at(i).isEmpty()) {
            frame.verdict = Verdict::NotAppCode;
            continue;
        }
        frame.identity = frameIdentity(frames.at(i), platform);
        const FrameIdentity &identity = frame.identity;
        if (!identity.ignored.isEmpty())
            frame.verdict = Verdict::LowQuality;
        else if (identity.isEmpty())
            frame.verdict = Verdict::Unidentified;
        else if (previous && previous->location == identity.location && previous->function == identity.function
            && previous->contextLine == identity.contextLine)
            frame.verdict = Verdict::Recursion;
        previous = &identity;
    }
    *counted = 0;
    for (auto it = walked.rbegin(); it != walked.rend(); ++it) { // nearest the error first
        if (it->verdict != Verdict::Counts)
            continue;
        if (*counted == maxCountedFrames)
            it->verdict = Verdict::TooDeep;
        else
            ++*counted;
    }
    return walked;
}

// Records one stack's frames; ignored frames in a row for the same reason become
// one part of the explanation. Returns how many frames count.
template<typename Parts>
qsizetype recordFrames(
    Parts &parts, const QList<Frame> &frames, const QStringList &reasons, bool appOnly, QStringView platform)
{
    qsizetype counted = 0;
    const QList<WalkedFrame> walked = walkFrames(frames, reasons, appOnly, platform, &counted);
    for (qsizetype i = 0; i < walked.size(); ++i) {
        const WalkedFrame &frame = walked.at(i);
        switch (frame.verdict) {
        case Verdict::Counts:
            parts.countFrame(frame.identity);
            break;
        case Verdict::NotAppCode:
            parts.ignoreFrame([&] { return QStringLiteral("not app code: ") + reasons.at(i); });
            break;
        case Verdict::LowQuality:
            parts.ignoreFrame([&] { return frame.identity.ignored; });
            break;
        case Verdict::Unidentified:
            parts.ignoreFrame([] { return QStringLiteral("nothing to identify the frame by"); });
            break;
        case Verdict::Recursion:
            parts.ignoreFrame([] { return QStringLiteral("recursion"); });
            break;
        case Verdict::TooDeep:
            parts.ignoreFrame(
                [] { return QStringLiteral("more than %1 frames from the error").arg(maxCountedFrames); });
            break;
        }
    }
    return counted;
}

// What the strategy decided: the basis, the variant and the parts, recorded as
// an explanation or as the text the key hashes (model/grouping_v2_parts.h).
template<typename Parts> struct Outcome {
    QString basis;
    QString variant;
    Parts parts;
};

// Exceptions, oldest cause first. False when nothing in them counts.
template<typename Parts> bool recordExceptions(const Event &event, Outcome<Parts> &outcome)
{
    bool anyFrames = false;
    bool anyApp = false;
    QList<QStringList> reasons; // per exception
    for (const ExceptionValue &exception : event.exceptions) {
        reasons.append(notAppReasons(exception.frames));
        anyFrames = anyFrames || !exception.frames.isEmpty();
        anyApp = anyApp || anyAppFrame(reasons.last());
    }
    Parts parts;
    for (qsizetype e = 0; e < event.exceptions.size(); ++e) {
        const ExceptionValue &exception = event.exceptions.at(e);
        const bool synthetic = isSynthetic(exception);
        if (synthetic)
            parts.ignore(
                Kind::ExceptionType, [&] { return qualifiedType(exception); },
                [] { return QStringLiteral("synthetic: the SDK made the exception up to carry a stack"); });
        else
            parts.count(Kind::ExceptionType, qualifiedType(exception));
        const qsizetype frames = recordFrames(parts, exception.frames, reasons.at(e), anyApp, event.platform);
        const auto value = [&] { return groupingText(exception.value); };
        if (frames > 0)
            parts.ignore(Kind::ExceptionValue, value, [] { return QStringLiteral("the stack takes precedence"); });
        else if (synthetic)
            parts.ignore(Kind::ExceptionValue, value, [] { return QStringLiteral("synthetic: grouped as a message"); });
        else
            parts.count(Kind::ExceptionValue, value());
    }
    if (!parts.anyCounted())
        return false;
    outcome.basis = QStringLiteral("exception");
    outcome.variant = anyFrames ? (anyApp ? QStringLiteral("app") : QStringLiteral("system")) : QString();
    outcome.parts = std::move(parts);
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

template<typename Parts> Outcome<Parts> defaultOutcome(const Event &event)
{
    Outcome<Parts> outcome;
    if (!event.exceptions.isEmpty() && recordExceptions(event, outcome))
        return outcome;

    const auto message = [&] { return groupingText(messageOf(event)); };
    if (!event.threadFrames.isEmpty()) {
        const QStringList reasons = notAppReasons(event.threadFrames);
        const bool anyApp = anyAppFrame(reasons);
        Parts parts;
        if (recordFrames(parts, event.threadFrames, reasons, anyApp, event.platform) > 0) {
            parts.ignore(Kind::Message, message, [] { return QStringLiteral("the stack takes precedence"); });
            outcome.basis = QStringLiteral("stack");
            outcome.variant = anyApp ? QStringLiteral("app") : QStringLiteral("system");
            outcome.parts = std::move(parts);
            return outcome;
        }
    }
    outcome.parts.count(Kind::Message, message());
    if (outcome.parts.anyCounted()) {
        outcome.basis = QStringLiteral("message");
        return outcome;
    }
    outcome.basis = QStringLiteral("fallback");
    outcome.parts.countAlways(Kind::Fallback, {});
    return outcome;
}

template<typename Parts> Outcome<Parts> outcomeOf(const Event &event)
{
    const bool onlyDefault = std::all_of(event.fingerprint.cbegin(), event.fingerprint.cend(), isDefaultPlaceholder);
    if (onlyDefault)
        return defaultOutcome<Parts>(event);

    Outcome<Parts> outcome;
    outcome.basis = QStringLiteral("fingerprint");
    // Worked out once: a fingerprint may repeat "{{ default }}" thousands of times.
    std::optional<Outcome<Parts>> byDefault;
    for (const QString &fingerprintPart : event.fingerprint) {
        if (!isDefaultPlaceholder(fingerprintPart)) {
            outcome.parts.countAlways(Kind::Fingerprint, fingerprintPart);
            continue;
        }
        if (!byDefault)
            byDefault = defaultOutcome<Parts>(event);
        outcome.variant = byDefault->variant;
        outcome.parts.append(byDefault->parts);
    }
    return outcome;
}

} // namespace

GroupingExplanation explain(const Event &event)
{
    Outcome<ExplanationParts> outcome = outcomeOf<ExplanationParts>(event);
    GroupingExplanation explanation;
    explanation.strategy = strategyName;
    explanation.basis = outcome.basis;
    explanation.variant = outcome.variant;
    explanation.parts = std::move(outcome.parts.parts);
    return explanation;
}

QString hashedText(const Event &event)
{
    const Outcome<HashedParts> outcome = outcomeOf<HashedParts>(event);
    return strategyName + QLatin1Char('\n') + outcome.basis + outcome.parts.text;
}

} // namespace faultline::grouping_v2
