#include "model/derived_tags.h"

#include "model/json_dom.h"

#include <QRegularExpression>

namespace faultline {

namespace {

using json::Node;
using namespace std::string_view_literals;

constexpr QChar kSeparator = u'\x1f';

QString clean(const QString &text)
{
    QString value = text.simplified(); // os.version arrives as "12.11\n" from Node
    value.remove(kSeparator);
    return value;
}

// "CPython 3.11.2": a context's name and version, as Sentry's tag shows it.
QString nameAndVersion(const Node &context)
{
    const QString name = clean(json::scalarText(context["name"sv]));
    const QString version = clean(json::scalarText(context["version"sv]));
    if (name.isEmpty())
        return {};
    return version.isEmpty() ? name : name + u' ' + version;
}

QString headerValue(const Node &headers, QLatin1StringView wanted)
{
    QString found;
    headers.forEachMember([&](std::string_view key, const Node &value) {
        if (QLatin1StringView(key.data(), qsizetype(key.size())).compare(wanted, Qt::CaseInsensitive) == 0)
            found = json::scalarText(value);
    });
    headers.forEachElement([&](const Node &pair) { // [["User-Agent", "…"], …]
        if (pair.isArray() && json::scalarText(pair.at(0)).compare(wanted, Qt::CaseInsensitive) == 0)
            found = json::scalarText(pair.at(1));
    });
    return found;
}

void addUserTags(const Node &user, QList<Tag> &tags)
{
    if (!user.isObject())
        return;
    // Sentry's order for the `user` tag; ip_address is searched as user.ip.
    static const std::pair<std::string_view, const char *> identities[]
        = { { "id"sv, "id" }, { "email"sv, "email" }, { "username"sv, "username" }, { "ip_address"sv, "ip" } };
    QString primary;
    QList<Tag> parts;
    for (const auto &[member, name] : identities) {
        const QString value = clean(json::scalarText(user[member]));
        if (value.isEmpty())
            continue;
        const QString prefix = QLatin1StringView(name);
        if (primary.isEmpty())
            primary = prefix + u':' + value;
        parts.append({ QStringLiteral("user.") + prefix, value });
    }
    if (primary.isEmpty())
        return;
    tags.append({ QStringLiteral("user"), primary });
    tags.append(parts);
}

} // namespace

QList<Tag> readDerivedTags(const Node &event)
{
    QList<Tag> tags;
    const QString serverName = clean(json::scalarText(event["server_name"sv]));
    if (!serverName.isEmpty())
        tags.append({ QStringLiteral("server_name"), serverName });
    addUserTags(event["user"sv], tags);
    const Node contexts = event["contexts"sv];
    QString browser = nameAndVersion(contexts["browser"sv]);
    if (browser.isEmpty())
        browser = browserFromUserAgent(headerValue(event["request"sv]["headers"sv], QLatin1StringView("User-Agent")));
    if (!browser.isEmpty())
        tags.append({ QStringLiteral("browser"), browser });
    for (const auto &[member, key] : { std::pair { "os"sv, "os" }, std::pair { "runtime"sv, "runtime" } }) {
        const QString value = nameAndVersion(contexts[member]);
        if (!value.isEmpty())
            tags.append({ QLatin1StringView(key), value });
    }
    const Node device = contexts["device"sv];
    const QString model = clean(json::scalarText(device["model"sv]));
    if (!model.isEmpty())
        tags.append({ QStringLiteral("device"), model });
    return tags;
}

const QStringList &derivedTagKeys()
{
    static const QStringList keys = { QStringLiteral("server_name"), QStringLiteral("user"), QStringLiteral("user.id"),
        QStringLiteral("user.email"), QStringLiteral("user.username"), QStringLiteral("user.ip"),
        QStringLiteral("browser"), QStringLiteral("os"), QStringLiteral("runtime"), QStringLiteral("device") };
    return keys;
}

bool isDerivedTagKey(const QString &key) { return derivedTagKeys().contains(key); }

bool isUserIdentityKey(const QString &key) { return key.startsWith(QLatin1String("user.")) && isDerivedTagKey(key); }

QString browserFromUserAgent(const QString &userAgent)
{
    // Order matters: Edge and Opera also say Chrome, Chrome also says Safari.
    static const std::pair<const char *, QRegularExpression> browsers[] = {
        { "Edge", QRegularExpression(QStringLiteral(R"(Edg(?:e|A|iOS)?/(\d+))")) },
        { "Opera", QRegularExpression(QStringLiteral(R"(OPR/(\d+))")) },
        { "Firefox", QRegularExpression(QStringLiteral(R"(Firefox/(\d+))")) },
        { "Chrome", QRegularExpression(QStringLiteral(R"((?:Chrome|CriOS)/(\d+))")) },
        { "Safari", QRegularExpression(QStringLiteral(R"(Version/(\d+(?:\.\d+)?).*Safari/)")) },
    };
    for (const auto &[name, pattern] : browsers) {
        const QRegularExpressionMatch match = pattern.match(userAgent);
        if (match.hasMatch())
            return QLatin1StringView(name) + u' ' + match.captured(1);
    }
    return {};
}

QString derivedTagSegment(const QString &key, const QString &value) { return key + u'=' + value + kSeparator; }

QString derivedTagsColumn(const QList<Tag> &tags)
{
    if (tags.isEmpty())
        return {};
    QString column(kSeparator);
    for (const Tag &tag : tags)
        column += derivedTagSegment(tag.first, tag.second);
    return column;
}

QList<Tag> parseDerivedTagsColumn(const QString &column)
{
    QList<Tag> tags;
    for (const QString &segment : column.split(kSeparator, Qt::SkipEmptyParts)) {
        const qsizetype eq = segment.indexOf(u'=');
        if (eq > 0)
            tags.append({ segment.left(eq), segment.mid(eq + 1) });
    }
    return tags;
}

} // namespace faultline
