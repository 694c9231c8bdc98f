#pragma once
// Counts and sizes in words: "1 event" / "3 events" without a translation
// catalogue (tr's %n needs one to drop the "(s)"), "2.5 MB".
#include <QCoreApplication>
#include <QLocale>
#include <QString>

namespace faultline {

inline QString countText(qint64 count, const char *one, const char *many)
{
    const QString number = QLocale().toString(count);
    return QCoreApplication::translate("faultline", count == 1 ? one : many).arg(number);
}

// "38 bytes", "2.5 MB": page bodies' sizes.
inline QString humanSize(qint64 bytes)
{
    return QLocale::c().formattedDataSize(bytes, 1, QLocale::DataSizeTraditionalFormat);
}

} // namespace faultline
