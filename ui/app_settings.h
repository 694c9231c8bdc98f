#pragma once
// The preferences the Settings dialog edits, stored with QSettings, and the
// colour theme they select. Listen address and data directory are read at
// start-up (empty = the built-in default), so changing them takes a restart.
#include "model/disk_reserve.h"

#include <QPalette>
#include <QString>

namespace faultline {

enum class Theme { System, Light, Dark };

struct AppSettings {
    QString listenAddress; // "127.0.0.1:8990"; empty = default
    QString dataDirectory; // where faultline.db lives; empty = default
    Theme theme = Theme::System;
    bool keepCollectingWhenClosed = true; // closing the window hides it; Quit stops collecting
    // The collector refuses events (507) while the database's disk has less free than the
    // smaller of these; read at start-up. 0 MB and 0 % turn the guard off.
    int minFreeMegabytes = kDefaultMinFreeMegabytes;
    int minFreePercent = kDefaultMinFreePercent;

    static AppSettings load();
    void save() const;

    static QString themeKey(Theme theme); // "system" | "light" | "dark", as stored
    static Theme themeFromKey(const QString &key); // unknown → System
    // Empty when fine, else why not: "host:port", port 1–65535. Empty input is fine (default).
    static QString listenAddressProblem(const QString &address);

    friend bool operator==(const AppSettings &, const AppSettings &) = default;
};

// Dark: a fixed dark palette. Light: the style's standard palette. System: `systemPalette`,
// the palette the application started with.
void applyTheme(Theme theme, const QPalette &systemPalette);
QPalette darkPalette();

} // namespace faultline
