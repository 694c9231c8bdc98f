#include "ui/key_value_table.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace faultline {

KeyValueTable::KeyValueTable(QWidget *parent)
    : KeyValueTable(tr("Key"), tr("Value"), parent)
{
}

KeyValueTable::KeyValueTable(const QString &keyHeader, const QString &valueHeader, QWidget *parent)
    : FittedTable({ keyHeader, valueHeader }, parent)
{
    connect(this, &QTableWidget::cellClicked, this,
        [this](int row, int) { emit pairActivated(fullText(row, 0), fullText(row, 1)); });
}

void KeyValueTable::setPairs(const QList<QPair<QString, QString>> &pairs)
{
    QList<QStringList> rows;
    rows.reserve(pairs.size());
    for (const auto &pair : pairs)
        rows.append({ pair.first, pair.second });
    setRows(rows);
}

void KeyValueTable::setObject(const QJsonObject &object)
{
    QList<QPair<QString, QString>> pairs;
    for (auto it = object.begin(); it != object.end(); ++it)
        pairs.append({ it.key(), displayValue(it.value()) });
    setPairs(pairs);
}

QString KeyValueTable::displayValue(const QJsonValue &value)
{
    switch (value.type()) {
    case QJsonValue::String:
        return value.toString();
    case QJsonValue::Null:
        return QStringLiteral("null");
    case QJsonValue::Bool:
        return value.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    case QJsonValue::Double: {
        const double number = value.toDouble();
        if (number == double(qint64(number)) && qAbs(number) < 1e15)
            return QString::number(qint64(number));
        return QString::number(number);
    }
    case QJsonValue::Array:
        return QString::fromUtf8(QJsonDocument(value.toArray()).toJson(QJsonDocument::Compact));
    case QJsonValue::Object:
        return QString::fromUtf8(QJsonDocument(value.toObject()).toJson(QJsonDocument::Compact));
    case QJsonValue::Undefined:
        break;
    }
    return {};
}

} // namespace faultline
