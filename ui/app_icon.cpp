#include "ui/app_icon.h"

#include <QGuiApplication>
#include <QPalette>

// Q_INIT_RESOURCE must be called outside a namespace; calling it also makes the linker keep
// the resources of this static library.
static void initIconResources() { Q_INIT_RESOURCE(resources); }

namespace faultline {

QIcon applicationIcon()
{
    initIconResources();
    // The installed theme icon first (the desktop may restyle it), else the embedded SVG.
    return QIcon::fromTheme(QStringLiteral("faultline"), QIcon(QStringLiteral(":/icons/faultline.svg")));
}

QIcon trayIcon(bool darkPanel)
{
    initIconResources();
    return QIcon(darkPanel ? QStringLiteral(":/icons/faultline-tray-dark.svg")
                           : QStringLiteral(":/icons/faultline-tray-light.svg"));
}

bool paletteLooksDark() { return QGuiApplication::palette().color(QPalette::Window).lightness() < 128; }

} // namespace faultline
