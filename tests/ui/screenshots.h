#pragma once
// Screenshots for the README and for judging a view by eye: with FAULTLINE_SCREENSHOT_DIR set,
// each is taken in the light palette, then in a dark one, and saved as `<name>.png` and
// `<name>_dark.png` there.
#include "dark_palette.h"

#include <QApplication>
#include <QDir>
#include <QPixmap>
#include <QTest>

#include <functional>

namespace faultline::test {

// The directory FAULTLINE_SCREENSHOT_DIR names (made when missing), or empty when none is asked for.
inline QString screenshotDir()
{
    const QString dir = qEnvironmentVariable("FAULTLINE_SCREENSHOT_DIR");
    if (!dir.isEmpty())
        QDir().mkpath(dir);
    return dir;
}

// One palette's turn: what it saves gets this palette's suffix.
class ThemedShots {
public:
    ThemedShots(QString dir, bool dark)
        : m_dir(std::move(dir))
        , m_dark(dark)
    {
    }
    bool isDark() const { return m_dark; }
    QString suffix() const { return m_dark ? QStringLiteral("_dark") : QString(); }
    QString path(const QString &name) const { return m_dir + u'/' + name + suffix() + QStringLiteral(".png"); }

    // False (and says which file) when the picture is empty or cannot be written.
    [[nodiscard]] bool save(const QString &name, const QPixmap &picture) const
    {
        if (picture.save(path(name)))
            return true;
        qWarning() << "could not save the screenshot" << path(name);
        return false;
    }

private:
    QString m_dir;
    bool m_dark = false;
};

// Runs `shoot` in the palette set now, then in `dark` (the app's own dark theme is
// darkPalette()), and sets the first one again. `shoot` builds or settles what it grabs,
// saves it through the ThemedShots it is given, and may QVERIFY: after a failure the dark
// turn does not run. Runs nothing without FAULTLINE_SCREENSHOT_DIR.
inline void shootLightAndDark(
    const std::function<void(const ThemedShots &)> &shoot, const QPalette &dark = darkTestPalette())
{
    const QString dir = screenshotDir();
    if (dir.isEmpty())
        return;
    const QPalette light = QApplication::palette();
    for (const bool isDark : { false, true }) {
        QApplication::setPalette(isDark ? dark : light);
        shoot(ThemedShots(dir, isDark));
        if (QTest::currentTestFailed())
            break;
    }
    QApplication::setPalette(light);
}

// The usual case: one picture per palette, `grab` returning it (empty when it could not be taken).
inline void saveLightAndDark(
    const QString &name, const std::function<QPixmap()> &grab, const QPalette &dark = darkTestPalette())
{
    shootLightAndDark([&](const ThemedShots &shots) { QVERIFY(shots.save(name, grab())); }, dark);
}

} // namespace faultline::test
