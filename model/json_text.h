#pragma once
// Small helpers for reading loosely typed JSON the way Sentry's normaliser
// does: numbers and bools become text where text is expected, wrong types are
// treated as absent rather than as errors.
#include <QJsonArray>
#include <QJsonObject>
#include <QJsonValue>
#include <QList>
#include <QString>

#include <optional>
#include <utility>

namespace faultline::json {

// Strings as they are; integral numbers without ".0"; other numbers in their
// shortest round-tripping form; bools as true/false; null/undefined as "".
// Objects and arrays as compact JSON, so nothing is silently lost.
QString toText(const QJsonValue &value);

// Like toText, but "" for objects, arrays and null: for fields that are a
// single scalar in every SDK (environment, release, logger…).
QString scalarText(const QJsonValue &value);

// An integer from a number or a numeric string; nullopt otherwise.
std::optional<qint64> toInteger(const QJsonValue &value);

// An object from members in any order, a later duplicate replacing an earlier
// one. QJsonObject keeps its keys sorted and insert() moves every key after the
// new one, so member-by-member building is quadratic; this sorts first and
// appends in order, so sender-controlled objects cost n log n.
QJsonObject objectFromMembers(QList<std::pair<QString, QJsonValue>> members);

} // namespace faultline::json
