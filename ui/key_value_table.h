#pragma once
// Two-column key/value table (tags, headers, user, contexts, locals). Clicking
// a row reports it, so tags can be added to the search.
#include "ui/fitted_table.h"

#include <QJsonObject>
#include <QPair>

namespace faultline {

class KeyValueTable : public FittedTable {
    Q_OBJECT
public:
    explicit KeyValueTable(QWidget *parent = nullptr);
    KeyValueTable(const QString &keyHeader, const QString &valueHeader, QWidget *parent = nullptr);

    void setPairs(const QList<QPair<QString, QString>> &pairs);
    // Nested objects and arrays become compact JSON; strings are shown unquoted.
    void setObject(const QJsonObject &object);

    static QString displayValue(const QJsonValue &value);

signals:
    void pairActivated(const QString &key, const QString &value);
};

} // namespace faultline
