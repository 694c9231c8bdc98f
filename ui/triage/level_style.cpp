#include "ui/triage/level_style.h"

namespace faultline {

QColor levelColor(const QString &level)
{
    if (level == QLatin1String("fatal"))
        return QColor(0xb7, 0x1c, 0x1c);
    if (level == QLatin1String("error"))
        return QColor(0xe5, 0x39, 0x35);
    if (level == QLatin1String("warning"))
        return QColor(0xf5, 0x7c, 0x00);
    if (level == QLatin1String("info"))
        return QColor(0x1e, 0x88, 0xe5);
    return QColor(0x9e, 0x9e, 0x9e); // debug and anything unknown
}

QString badgeHtml(const QString &text, const QColor &background)
{
    // QLabel's rich text has no border-radius; padding with nbsp keeps the pill readable.
    return QStringLiteral("<span style=\"background-color:%1; color:white; font-weight:600;\">&nbsp;%2&nbsp;</span>")
        .arg(background.name(), text.toHtmlEscaped());
}

} // namespace faultline
