#include "model/event_shape.h"

#include "model/json_dom.h"

#include <QJsonArray>

namespace faultline {

namespace {

using json::Node;
using namespace std::string_view_literals;

// {values: [...]} or a bare list, as Sentry accepts both.
Node listOf(const Node &value) { return value.isObject() ? value["values"sv] : value; }

bool tagsExceed(const Node &tags, const EventShapeLimits &limits)
{
    if (tags.size() > limits.maxTags)
        return true;
    const auto tooLong = [&limits](std::string_view text) { return qsizetype(text.size()) > limits.maxTagChars; };
    // Byte length is at least the character count: a cheap gate, trimEventShape() decides.
    return tags.anyMember([&](std::string_view key, const Node &value) {
        return tooLong(key) || tooLong(value.stringView());
    }) || tags.anyElement([&](const Node &pair) {
        return pair.isArray() && (tooLong(pair.at(0).stringView()) || tooLong(pair.at(1).stringView()));
    });
}

bool stacksExceed(const Node &owners, int maxOwners, int maxFrames)
{
    const Node list = listOf(owners);
    return list.size() > maxOwners || list.anyElement([maxFrames](const Node &owner) {
        return owner["stacktrace"sv]["frames"sv].size() > maxFrames;
    });
}

QJsonArray firstAndLast(const QJsonArray &array, qsizetype keep)
{
    QJsonArray kept;
    const qsizetype head = keep / 2;
    for (qsizetype i = 0; i < head; ++i)
        kept.append(array.at(i));
    for (qsizetype i = array.size() - (keep - head); i < array.size(); ++i)
        kept.append(array.at(i));
    return kept;
}

QJsonArray last(const QJsonArray &array, qsizetype keep)
{
    QJsonArray kept;
    for (qsizetype i = std::max<qsizetype>(0, array.size() - keep); i < array.size(); ++i)
        kept.append(array.at(i));
    return kept;
}

// Applies `trim` to the list in `value` (bare or under "values"), returning the new value.
template<typename Trim> QJsonValue withList(const QJsonValue &value, Trim &&trim)
{
    if (value.isArray())
        return trim(value.toArray());
    if (!value.isObject() || !value.toObject().value(QLatin1String("values")).isArray())
        return value;
    QJsonObject object = value.toObject();
    object.insert(QStringLiteral("values"), trim(object.value(QLatin1String("values")).toArray()));
    return object;
}

QJsonValue trimmedStacks(const QJsonValue &owners, int maxOwners, int maxFrames, const QString &what, QStringList &cuts)
{
    return withList(owners, [&](QJsonArray list) {
        if (list.size() > maxOwners) {
            cuts.append(QStringLiteral("%1: %2 > %3").arg(what).arg(list.size()).arg(maxOwners));
            list = last(list, maxOwners);
        }
        for (auto it = list.begin(); it != list.end(); ++it) {
            QJsonObject owner = it->toObject();
            QJsonObject stacktrace = owner.value(QLatin1String("stacktrace")).toObject();
            const QJsonArray frames = stacktrace.value(QLatin1String("frames")).toArray();
            if (frames.size() <= maxFrames)
                continue;
            cuts.append(QStringLiteral("%1 frames: %2 > %3").arg(what).arg(frames.size()).arg(maxFrames));
            stacktrace.insert(QStringLiteral("frames"), firstAndLast(frames, maxFrames));
            owner.insert(QStringLiteral("stacktrace"), stacktrace);
            *it = owner;
        }
        return list;
    });
}

QJsonValue trimmedTags(const QJsonValue &tags, const EventShapeLimits &limits, QStringList &cuts)
{
    const auto fits = [&limits](const QString &key, const QJsonValue &value) {
        return key.size() <= limits.maxTagChars && (!value.isString() || value.toString().size() <= limits.maxTagChars);
    };
    qsizetype dropped = 0;
    qsizetype total = 0;
    QJsonValue result;
    if (tags.isObject()) {
        const QJsonObject object = tags.toObject();
        QJsonObject kept;
        total = object.size();
        for (auto it = object.begin(); it != object.end() && kept.size() < limits.maxTags; ++it)
            fits(it.key(), it.value()) ? void(kept.insert(it.key(), it.value())) : void(++dropped);
        result = kept;
    } else if (tags.isArray()) {
        const QJsonArray array = tags.toArray();
        QJsonArray kept;
        total = array.size();
        for (qsizetype i = 0; i < array.size() && kept.size() < limits.maxTags; ++i) {
            const QJsonArray pair = array.at(i).toArray();
            const bool ok = pair.size() != 2 || fits(pair.at(0).toString(), pair.at(1));
            ok ? kept.append(array.at(i)) : void(++dropped);
        }
        result = kept;
    } else {
        return tags;
    }
    if (total > limits.maxTags)
        cuts.append(QStringLiteral("tags: %1 > %2").arg(total).arg(limits.maxTags));
    if (dropped > 0)
        cuts.append(QStringLiteral("tags: %1 longer than %2 characters dropped").arg(dropped).arg(limits.maxTagChars));
    return result;
}

} // namespace

bool exceedsShapeLimits(const Node &event, const EventShapeLimits &limits)
{
    return tagsExceed(event["tags"sv], limits) || listOf(event["breadcrumbs"sv]).size() > limits.maxBreadcrumbs
        || stacksExceed(event["exception"sv], limits.maxExceptions, limits.maxFramesPerStack)
        || stacksExceed(event["threads"sv], limits.maxThreads, limits.maxFramesPerStack)
        || event["stacktrace"sv]["frames"sv].size() > limits.maxFramesPerStack
        || event["extra"sv].size() > limits.maxExtraKeys || event["fingerprint"sv].size() > limits.maxFingerprintParts;
}

QStringList trimEventShape(QJsonObject &event, const EventShapeLimits &limits)
{
    QStringList cuts;
    if (event.contains(QLatin1String("tags")))
        event.insert(QStringLiteral("tags"), trimmedTags(event.value(QLatin1String("tags")), limits, cuts));
    if (event.contains(QLatin1String("breadcrumbs"))) {
        event.insert(
            QStringLiteral("breadcrumbs"), withList(event.value(QLatin1String("breadcrumbs")), [&](QJsonArray list) {
                if (list.size() <= limits.maxBreadcrumbs)
                    return list;
                cuts.append(QStringLiteral("breadcrumbs: %1 > %2").arg(list.size()).arg(limits.maxBreadcrumbs));
                return last(list, limits.maxBreadcrumbs);
            }));
    }
    for (const char *key : { "exception", "threads" }) {
        const QString name = QString::fromLatin1(key);
        if (event.contains(name))
            event.insert(name,
                trimmedStacks(event.value(name),
                    key == std::string_view("exception") ? limits.maxExceptions : limits.maxThreads,
                    limits.maxFramesPerStack, name, cuts));
    }
    QJsonObject stacktrace = event.value(QLatin1String("stacktrace")).toObject();
    if (const QJsonArray frames = stacktrace.value(QLatin1String("frames")).toArray();
        frames.size() > limits.maxFramesPerStack) {
        cuts.append(QStringLiteral("stacktrace frames: %1 > %2").arg(frames.size()).arg(limits.maxFramesPerStack));
        stacktrace.insert(QStringLiteral("frames"), firstAndLast(frames, limits.maxFramesPerStack));
        event.insert(QStringLiteral("stacktrace"), stacktrace);
    }
    if (const QJsonObject extra = event.value(QLatin1String("extra")).toObject(); extra.size() > limits.maxExtraKeys) {
        QJsonObject kept;
        for (auto it = extra.begin(); it != extra.end() && kept.size() < limits.maxExtraKeys; ++it)
            kept.insert(it.key(), it.value());
        cuts.append(QStringLiteral("extra: %1 keys > %2").arg(extra.size()).arg(limits.maxExtraKeys));
        event.insert(QStringLiteral("extra"), kept);
    }
    if (const QJsonArray parts = event.value(QLatin1String("fingerprint")).toArray();
        parts.size() > limits.maxFingerprintParts) {
        QJsonArray kept;
        for (qsizetype i = 0; i < limits.maxFingerprintParts; ++i)
            kept.append(parts.at(i));
        cuts.append(QStringLiteral("fingerprint: %1 parts > %2").arg(parts.size()).arg(limits.maxFingerprintParts));
        event.insert(QStringLiteral("fingerprint"), kept);
    }
    return cuts;
}

} // namespace faultline
