#include "model/grouping_explanation.h"

#include <QJsonArray>

#include <algorithm>
#include <array>
#include <string>
#include <utility>

namespace faultline {

namespace {

using Kind = GroupingPart::Kind;

constexpr std::array<std::pair<Kind, const char16_t *>, 6> kindNames { {
    { Kind::Fingerprint, u"fingerprint" },
    { Kind::ExceptionType, u"type" },
    { Kind::ExceptionValue, u"value" },
    { Kind::Frame, u"frame" },
    { Kind::Message, u"message" },
    { Kind::Fallback, u"fallback" },
} };

} // namespace

QString groupingPartKindName(Kind kind)
{
    for (const auto &[k, name] : kindNames)
        if (k == kind) // no copy: every counted part of every event's key names its kind
            return QString::fromRawData(
                reinterpret_cast<const QChar *>(name), qsizetype(std::char_traits<char16_t>::length(name)));
    return QStringLiteral("fallback");
}

namespace {

QString kindName(Kind kind) { return groupingPartKindName(kind); }

Kind kindFromName(const QString &name)
{
    for (const auto &[k, kindText] : kindNames)
        if (name == QStringView(kindText))
            return k;
    return Kind::Fallback;
}

QString quoted(const QString &text) { return QLatin1Char('`') + text + QLatin1Char('`'); }

// "app.views" + "post" reads "app.views.post"; a file "static/app.js in inner".
bool isFileLocation(const QString &location)
{
    static const QStringList extensions { QStringLiteral(".js"), QStringLiteral(".mjs"), QStringLiteral(".cjs"),
        QStringLiteral(".ts"), QStringLiteral(".tsx"), QStringLiteral(".jsx"), QStringLiteral(".rb"),
        QStringLiteral(".py"), QStringLiteral(".go"), QStringLiteral(".php") };
    return location.contains(u'/')
        || std::any_of(extensions.cbegin(), extensions.cend(), [&](const QString &e) { return location.endsWith(e); });
}

QString firstLineOf(const QString &text)
{
    const qsizetype newline = text.indexOf(u'\n');
    return newline < 0 ? text : text.left(newline) + QChar(0x2026);
}

QString describeFrame(const GroupingPart &part)
{
    QString text = quoted(groupingFrameLabel(part));
    if (!part.contextLine.isEmpty())
        text += QStringLiteral(" line ") + quoted(part.contextLine);
    return text;
}

QString describeCounted(const GroupingPart &part)
{
    switch (part.kind) {
    case Kind::Fingerprint:
        return QStringLiteral("fingerprint ") + quoted(part.value);
    case Kind::ExceptionType:
        return QStringLiteral("exception type ") + quoted(part.value);
    case Kind::ExceptionValue:
        return QStringLiteral("exception value ") + quoted(firstLineOf(part.value));
    case Kind::Frame:
        return describeFrame(part);
    case Kind::Message:
        return QStringLiteral("message ") + quoted(firstLineOf(part.value));
    case Kind::Fallback:
        break;
    }
    return QStringLiteral("nothing (no exception, stack or message)");
}

QString describeIgnored(const GroupingPart &part)
{
    if (part.kind == Kind::Frame)
        return (part.count == 1 ? QStringLiteral("1 frame") : QStringLiteral("%1 frames").arg(part.count))
            + QStringLiteral(" (") + part.ignored + QLatin1Char(')');
    return describeCounted(part) + QStringLiteral(" (") + part.ignored + QLatin1Char(')');
}

} // namespace

QString groupingFrameLabel(const GroupingPart &frame)
{
    QString text = frame.value;
    if (!frame.function.isEmpty() && !text.isEmpty())
        text += (isFileLocation(text) ? QStringLiteral(" in ") : QStringLiteral(".")) + frame.function;
    else if (!frame.function.isEmpty())
        text = frame.function;
    return text.isEmpty() ? QStringLiteral("?") : text;
}

QStringList GroupingExplanation::hashedComponents() const
{
    QStringList components { strategy, basis };
    for (const GroupingPart &part : parts) {
        if (!part.counts())
            continue;
        components.append(kindName(part.kind));
        components.append(part.value);
        if (part.kind == Kind::Frame) {
            components.append(part.function);
            components.append(part.contextLine);
        }
    }
    return components;
}

QJsonObject toJson(const GroupingExplanation &explanation)
{
    QJsonArray parts;
    for (const GroupingPart &part : explanation.parts) {
        QJsonObject json { { QStringLiteral("kind"), kindName(part.kind) } };
        if (!part.value.isEmpty())
            json.insert(QStringLiteral("value"), part.value);
        if (!part.function.isEmpty())
            json.insert(QStringLiteral("function"), part.function);
        if (!part.contextLine.isEmpty())
            json.insert(QStringLiteral("line"), part.contextLine);
        if (!part.ignored.isEmpty())
            json.insert(QStringLiteral("ignored"), part.ignored);
        if (part.count != 1)
            json.insert(QStringLiteral("count"), part.count);
        parts.append(json);
    }
    QJsonObject json { { QStringLiteral("strategy"), explanation.strategy },
        { QStringLiteral("basis"), explanation.basis }, { QStringLiteral("parts"), parts } };
    if (!explanation.variant.isEmpty())
        json.insert(QStringLiteral("variant"), explanation.variant);
    return json;
}

GroupingExplanation groupingExplanationFromJson(const QJsonObject &json)
{
    GroupingExplanation explanation;
    explanation.strategy = json.value(QStringLiteral("strategy")).toString();
    explanation.basis = json.value(QStringLiteral("basis")).toString();
    explanation.variant = json.value(QStringLiteral("variant")).toString();
    for (const QJsonValue &value : json.value(QStringLiteral("parts")).toArray()) {
        const QJsonObject object = value.toObject();
        GroupingPart part;
        part.kind = kindFromName(object.value(QStringLiteral("kind")).toString());
        part.value = object.value(QStringLiteral("value")).toString();
        part.function = object.value(QStringLiteral("function")).toString();
        part.contextLine = object.value(QStringLiteral("line")).toString();
        part.ignored = object.value(QStringLiteral("ignored")).toString();
        part.count = std::max(1, object.value(QStringLiteral("count")).toInt(1));
        explanation.parts.append(part);
    }
    return explanation;
}

QString describeGrouping(const GroupingExplanation &explanation)
{
    QStringList counted;
    QStringList frames;
    QStringList ignored;
    for (const GroupingPart &part : explanation.parts) {
        if (!part.counts())
            ignored.append(describeIgnored(part));
        else if (part.kind == Kind::Frame)
            frames.append(describeFrame(part));
        else
            counted.append(describeCounted(part));
    }
    if (!frames.isEmpty())
        counted.append((frames.size() == 1 ? QStringLiteral("frame ") : QStringLiteral("frames "))
            + frames.join(QStringLiteral(", ")));
    QString text = counted.isEmpty() ? QStringLiteral("nothing") : counted.join(QStringLiteral(", "));
    if (explanation.variant == u"system")
        text += QStringLiteral(" (no frame is app code, so all frames count)");
    if (!ignored.isEmpty())
        text += QStringLiteral("; ignored: ") + ignored.join(QStringLiteral(", "));
    return text;
}

} // namespace faultline
