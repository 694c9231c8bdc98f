#pragma once
// One colour per Sentry level, used by the list's dot, the detail badge and
// the breadcrumbs; chosen to read on both light and dark palettes.
#include <QColor>
#include <QString>

namespace faultline {

QColor levelColor(const QString &level);
// A small rounded "pill" label in rich text, e.g. for level and status badges.
QString badgeHtml(const QString &text, const QColor &background);

} // namespace faultline
