#include "model/json_text.h"

#include <QJsonDocument>
#include <QLocale>

#include <algorithm>
#include <cmath>

namespace faultline::json {

namespace {

// Doubles hold integers exactly up to 2^53; beyond that "integral" is noise.
constexpr double maxExactInteger = 9007199254740992.0;

QString numberText(double number)
{
    if (std::isfinite(number) && std::trunc(number) == number && std::fabs(number) <= maxExactInteger)
        return QString::number(static_cast<qint64>(number));
    return QString::number(number, 'g', QLocale::FloatingPointShortest);
}

} // namespace

QString toText(const QJsonValue &value)
{
    switch (value.type()) {
    case QJsonValue::String:
        return value.toString();
    case QJsonValue::Double:
        return numberText(value.toDouble());
    case QJsonValue::Bool:
        return value.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    case QJsonValue::Object:
        return QString::fromUtf8(QJsonDocument(value.toObject()).toJson(QJsonDocument::Compact));
    case QJsonValue::Array:
        return QString::fromUtf8(QJsonDocument(value.toArray()).toJson(QJsonDocument::Compact));
    case QJsonValue::Null:
    case QJsonValue::Undefined:
        break;
    }
    return {};
}

QString scalarText(const QJsonValue &value)
{
    if (value.isObject() || value.isArray())
        return {};
    return toText(value);
}

std::optional<qint64> toInteger(const QJsonValue &value)
{
    if (value.isDouble()) {
        const double number = value.toDouble();
        if (!std::isfinite(number) || std::fabs(number) > maxExactInteger)
            return std::nullopt;
        return static_cast<qint64>(number);
    }
    if (value.isString()) {
        bool ok = false;
        const qint64 number = value.toString().trimmed().toLongLong(&ok);
        if (ok)
            return number;
    }
    return std::nullopt;
}

QJsonObject objectFromMembers(QList<std::pair<QString, QJsonValue>> members)
{
    std::stable_sort(members.begin(), members.end(), [](const auto &a, const auto &b) { return a.first < b.first; });
    QJsonObject object;
    for (qsizetype i = 0; i < members.size(); ++i) {
        // Of equal keys, stable sorting keeps the sender's order: the last one wins.
        if (i + 1 < members.size() && members.at(i + 1).first == members.at(i).first)
            continue;
        object.insert(members.at(i).first, members.at(i).second);
    }
    return object;
}

} // namespace faultline::json
