#pragma once
// "1 event" / "3 events" without a translation catalogue (tr's %n needs one
// to drop the "(s)").
#include <QCoreApplication>
#include <QLocale>
#include <QString>

namespace faultline {

inline QString countText(qint64 count, const char *one, const char *many)
{
    const QString number = QLocale().toString(count);
    return QCoreApplication::translate("faultline", count == 1 ? one : many).arg(number);
}

} // namespace faultline
