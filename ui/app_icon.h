#pragma once
// Faultline's icons (resources/icons/): the application icon for windows,
// the .desktop file and the package, and the monochrome tray glyph in the
// variant that stays visible on the panel's colour.
#include <QIcon>

namespace faultline {

QIcon applicationIcon();
// `darkPanel`: the glyph is light, for dark panels; otherwise dark, for light ones.
QIcon trayIcon(bool darkPanel);
// Guesses the panel from the application palette (Qt 6.4 has no colour-scheme hint).
bool paletteLooksDark();

} // namespace faultline
