#include "model/event_comparison.h"

#include "model/grouping.h"
#include "model/grouping_explanation.h"

#include <QMap>

#include <algorithm>

namespace faultline {

namespace {

QList<GroupingPart> countedParts(const GroupingExplanation &explanation)
{
    QList<GroupingPart> parts;
    for (const GroupingPart &part : explanation.parts)
        if (part.counts())
            parts.append(part);
    return parts;
}

QString partText(const GroupingPart &part)
{
    if (part.kind != GroupingPart::Kind::Frame)
        return part.value;
    const QString label = groupingFrameLabel(part);
    return part.contextLine.isEmpty() ? label : label + QStringLiteral(" · ") + part.contextLine;
}

QString partLabel(const GroupingPart &part, int frameNumber)
{
    return part.kind == GroupingPart::Kind::Frame ? QStringLiteral("frame %1").arg(frameNumber)
                                                  : groupingPartKindName(part.kind);
}

void addRow(EventComparison &comparison, const QString &section, const QString &label, const QString &left,
    const QString &right)
{
    comparison.rows.append({ section, label, left, right, left != right });
}

// The grouping rows, aligned part by part, and the first place they differ.
void compareGrouping(EventComparison &comparison, const GroupingExplanation &left, const GroupingExplanation &right)
{
    const QString grouping = QStringLiteral("Grouping");
    addRow(comparison, grouping, QStringLiteral("grouped by"), left.basis, right.basis);
    if (left.basis != right.basis)
        comparison.firstDifference = QStringLiteral("grouped by %1 / by %2").arg(left.basis, right.basis);
    const QList<GroupingPart> leftParts = countedParts(left);
    const QList<GroupingPart> rightParts = countedParts(right);
    int frames = 0;
    for (qsizetype i = 0; i < std::max(leftParts.size(), rightParts.size()); ++i) {
        const GroupingPart *a = i < leftParts.size() ? &leftParts.at(i) : nullptr;
        const GroupingPart *b = i < rightParts.size() ? &rightParts.at(i) : nullptr;
        const GroupingPart &shape = a ? *a : *b;
        if (shape.kind == GroupingPart::Kind::Frame)
            ++frames;
        const QString leftText = a ? partText(*a) : QString();
        const QString rightText = b ? partText(*b) : QString();
        const QString label = partLabel(shape, frames);
        addRow(comparison, grouping, label, leftText, rightText);
        if (comparison.firstDifference.isEmpty() && (leftText != rightText || !a || !b || a->kind != b->kind))
            comparison.firstDifference = QStringLiteral("%1 `%2` / `%3`")
                                             .arg(label, leftText.isEmpty() ? QStringLiteral("(none)") : leftText,
                                                 rightText.isEmpty() ? QStringLiteral("(none)") : rightText);
    }
}

QMap<QString, QString> tagMap(const Event &event)
{
    QMap<QString, QString> tags;
    for (const Tag &tag : event.tags)
        tags.insert(tag.first, tag.second);
    for (const Tag &tag : event.derivedTags)
        tags.insert(tag.first, tag.second);
    if (!event.release.isEmpty())
        tags.insert(QStringLiteral("release"), event.release);
    if (!event.environment.isEmpty())
        tags.insert(QStringLiteral("environment"), event.environment);
    return tags;
}

} // namespace

EventComparison compareEvents(const Event &left, const Event &right)
{
    const IssueKey leftKey = groupEvent(left);
    const IssueKey rightKey = groupEvent(right);
    EventComparison comparison;
    comparison.leftKey = leftKey.fingerprint;
    comparison.rightKey = rightKey.fingerprint;
    comparison.sameKey = leftKey.fingerprint == rightKey.fingerprint;
    compareGrouping(comparison, leftKey.explanation, rightKey.explanation);
    if (comparison.sameKey)
        comparison.firstDifference.clear(); // a fingerprint sent by the SDK can join different-looking events

    const QString exception = QStringLiteral("Exception");
    const ExceptionValue *a = left.primaryException();
    const ExceptionValue *b = right.primaryException();
    addRow(comparison, exception, QStringLiteral("title"), leftKey.title, rightKey.title);
    addRow(comparison, exception, QStringLiteral("type"), a ? a->type : QString(), b ? b->type : QString());
    addRow(comparison, exception, QStringLiteral("module"), a ? a->module : QString(), b ? b->module : QString());
    addRow(comparison, exception, QStringLiteral("value"), a ? a->value : left.message, b ? b->value : right.message);
    addRow(comparison, exception, QStringLiteral("culprit"), leftKey.culprit, rightKey.culprit);

    const QMap<QString, QString> leftTags = tagMap(left);
    const QMap<QString, QString> rightTags = tagMap(right);
    QStringList keys = leftTags.keys() + rightTags.keys();
    keys.removeDuplicates();
    std::sort(keys.begin(), keys.end());
    for (const QString &key : keys)
        addRow(comparison, QStringLiteral("Tags"), key, leftTags.value(key), rightTags.value(key));
    return comparison;
}

} // namespace faultline
