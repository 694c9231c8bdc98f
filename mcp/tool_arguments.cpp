#include "mcp/tool_arguments.h"

#include <QJsonArray>
#include <QJsonDocument>

#include <cmath>
#include <limits>

namespace faultline {

namespace {

QString shown(const QJsonValue &value)
{
    if (value.isString())
        return QLatin1Char('"') + value.toString().left(60) + QLatin1Char('"');
    if (value.isObject() || value.isArray())
        return value.isObject() ? QStringLiteral("an object") : QStringLiteral("an array");
    return QString::fromUtf8(QJsonDocument(QJsonArray { value }).toJson(QJsonDocument::Compact)).mid(1).chopped(1);
}

std::optional<qint64> integerValue(const QJsonValue &value)
{
    if (!value.isDouble())
        return std::nullopt;
    const double number = value.toDouble();
    if (std::trunc(number) != number || std::fabs(number) > 9007199254740992.0)
        return std::nullopt;
    return qint64(number);
}

} // namespace

ToolArguments::ToolArguments(QJsonObject arguments, const QStringList &known)
    : m_arguments(std::move(arguments))
{
    // Agents misspell names ("issueId"); silently ignoring them would answer another question.
    for (auto it = m_arguments.begin(); it != m_arguments.end(); ++it)
        if (!known.contains(it.key())) {
            fail(QStringLiteral("unknown argument \"%1\" (this tool takes: %2)")
                     .arg(it.key(), known.isEmpty() ? QStringLiteral("nothing") : known.join(QStringLiteral(", "))));
            break;
        }
}

void ToolArguments::fail(const QString &message)
{
    if (m_error.isEmpty())
        m_error = message;
}

qint64 ToolArguments::requiredId(const QString &name)
{
    const QJsonValue value = m_arguments.value(name);
    if (value.isUndefined()) {
        fail(QStringLiteral("\"%1\" is required (an issue id from search_issues)").arg(name));
        return 0;
    }
    // Numbers in strings are common from agents ("42"); accept them, refuse anything else.
    std::optional<qint64> id = integerValue(value);
    if (!id && value.isString()) {
        bool ok = false;
        const qint64 parsed = value.toString().trimmed().toLongLong(&ok);
        if (ok)
            id = parsed;
    }
    if (!id || *id <= 0) {
        fail(QStringLiteral("\"%1\" must be a positive integer, got %2").arg(name, shown(value)));
        return 0;
    }
    return *id;
}

QString ToolArguments::optionalString(const QString &name, const QString &fallback)
{
    const QJsonValue value = m_arguments.value(name);
    if (value.isUndefined() || value.isNull())
        return fallback;
    if (!value.isString()) {
        fail(QStringLiteral("\"%1\" must be a string, got %2").arg(name, shown(value)));
        return fallback;
    }
    return value.toString();
}

QString ToolArguments::requiredString(const QString &name)
{
    if (!m_arguments.contains(name)) {
        fail(QStringLiteral("\"%1\" is required").arg(name));
        return {};
    }
    const QString text = optionalString(name).trimmed();
    if (text.isEmpty())
        fail(QStringLiteral("\"%1\" must not be empty").arg(name));
    return text;
}

int ToolArguments::limit(const QString &name, int fallback, int maximum)
{
    const QJsonValue value = m_arguments.value(name);
    if (value.isUndefined() || value.isNull())
        return fallback;
    const std::optional<qint64> number = integerValue(value);
    if (!number || *number < 1 || *number > maximum) {
        fail(QStringLiteral("\"%1\" must be an integer from 1 to %2, got %3").arg(name).arg(maximum).arg(shown(value)));
        return fallback;
    }
    return int(*number);
}

bool ToolArguments::confirmation(const QString &name)
{
    const QJsonValue value = m_arguments.value(name);
    if (value.isBool() && value.toBool())
        return true;
    fail(value.isUndefined()
            ? QStringLiteral("\"%1\": true is required: this changes the issue for everyone using this Faultline; "
                             "ask the user first, then call again with \"%1\": true")
                  .arg(name)
            : QStringLiteral("\"%1\" must be the boolean true, got %2").arg(name, shown(value)));
    return false;
}

int ToolArguments::cursorOffset(const QString &name)
{
    const QString cursor = optionalString(name);
    if (cursor.isEmpty())
        return 0;
    const std::optional<int> offset = decodeCursor(cursor);
    if (!offset) {
        fail(QStringLiteral("\"%1\" is not a cursor this server gave out; pass nextCursor from the previous answer "
                            "unchanged, or leave it out for the first page")
                 .arg(name));
        return 0;
    }
    return *offset;
}

QString encodeCursor(int offset)
{
    return QString::fromLatin1(QByteArray("o:" + QByteArray::number(offset))
                                   .toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
}

std::optional<int> decodeCursor(const QString &cursor)
{
    const auto decoded = QByteArray::fromBase64Encoding(
        cursor.toLatin1(), QByteArray::Base64UrlEncoding | QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded || !(*decoded).startsWith("o:") || cursor.size() > 32)
        return std::nullopt;
    bool ok = false;
    const int offset = (*decoded).mid(2).toInt(&ok);
    if (!ok || offset < 0 || offset > std::numeric_limits<int>::max() / 2)
        return std::nullopt;
    return offset;
}

} // namespace faultline
