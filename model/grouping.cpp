#include "model/grouping.h"

#include "model/grouping_frame.h"
#include "model/grouping_v1.h"
#include "model/grouping_v2.h"

#include <QCryptographicHash>

namespace faultline {

namespace {

constexpr qsizetype maxTitleLength = 200;

// The components joined by '\n': the key of v1 and v2 alike.
QString hashOf(const QString &joinedComponents)
{
    return QString::fromLatin1(QCryptographicHash::hash(joinedComponents.toUtf8(), QCryptographicHash::Sha1).toHex());
}

bool isSynthetic(const ExceptionValue &exception) { return exception.mechanism && exception.mechanism->synthetic; }

const QList<Frame> &stackOf(const Event &event)
{
    const ExceptionValue *primary = event.primaryException();
    if (primary && !primary->frames.isEmpty())
        return primary->frames;
    return event.threadFrames;
}

QString firstLine(const QString &text)
{
    QString line = text.section(QLatin1Char('\n'), 0, 0).trimmed();
    if (line.size() > maxTitleLength)
        line = line.left(maxTitleLength - 1) + QChar(0x2026);
    return line;
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

QString describeFrame(const Frame &frame)
{
    // A script's URL without host and cache-buster: "static/app.js in inner".
    const QString location = !frame.module.isEmpty()    ? frame.module
        : frame.filename.contains(QLatin1String("://")) ? cleanScriptPath(frame.filename)
                                                        : frame.filename;
    if (frame.function.isEmpty())
        return location;
    return location.isEmpty() ? frame.function : location + QStringLiteral(" in ") + frame.function;
}

// The nearest app frame; when the SDK marked none (or all are library code),
// the frame nearest the error, so the list never shows an empty culprit for a
// stack; without frames, the transaction.
QString culpritOf(const Event &event)
{
    const QList<Frame> &frames = stackOf(event);
    for (auto it = frames.crbegin(); it != frames.crend(); ++it)
        if (isInApp(*it) && !describeFrame(*it).isEmpty())
            return describeFrame(*it);
    for (auto it = frames.crbegin(); it != frames.crend(); ++it)
        if (!describeFrame(*it).isEmpty())
            return describeFrame(*it);
    return event.transaction;
}

} // namespace

QString currentGroupingStrategy() { return grouping_v2::strategyName; }

IssueKey groupEvent(const Event &event, GroupingDetail detail)
{
    IssueKey key;
    if (detail == GroupingDetail::Explained) {
        key.explanation = grouping_v2::explain(event);
        key.components = key.explanation.hashedComponents();
        key.fingerprint = hashOf(key.components.join(QLatin1Char('\n')));
    } else {
        key.fingerprint = hashOf(grouping_v2::hashedText(event));
    }
    key.legacyFingerprint = hashOf(grouping_v1::components(event).join(QLatin1Char('\n')));
    key.title = titleOf(event);
    key.culprit = culpritOf(event);
    return key;
}

GroupingExplanation explanationOf(const IssueKey &key, const Event &event)
{
    return key.explanation.strategy.isEmpty() ? grouping_v2::explain(event) : key.explanation;
}

} // namespace faultline
