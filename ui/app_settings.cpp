#include "ui/app_settings.h"

#include "model/collector_address.h"

#include <QApplication>
#include <QSettings>
#include <QStyle>

namespace faultline {

namespace {
const QString kListenKey = QStringLiteral("collector/listenAddress");
const QString kDataDirectoryKey = QStringLiteral("storage/dataDirectory");
const QString kThemeKey = QStringLiteral("appearance/theme");
const QString kKeepCollectingKey = QStringLiteral("desktop/keepCollectingWhenClosed");
const QString kMinFreeMegabytesKey = QStringLiteral("storage/minFreeMegabytes");
const QString kMinFreePercentKey = QStringLiteral("storage/minFreePercent");
} // namespace

AppSettings AppSettings::load()
{
    const QSettings settings;
    AppSettings loaded;
    loaded.listenAddress = settings.value(kListenKey).toString().trimmed();
    loaded.dataDirectory = settings.value(kDataDirectoryKey).toString().trimmed();
    loaded.theme = themeFromKey(settings.value(kThemeKey).toString());
    loaded.keepCollectingWhenClosed = settings.value(kKeepCollectingKey, true).toBool();
    loaded.minFreeMegabytes = qMax(0, settings.value(kMinFreeMegabytesKey, loaded.minFreeMegabytes).toInt());
    loaded.minFreePercent = qBound(0, settings.value(kMinFreePercentKey, loaded.minFreePercent).toInt(), 50);
    return loaded;
}

void AppSettings::save() const
{
    QSettings settings;
    auto store = [&settings](const QString &key, const QString &value) {
        if (value.isEmpty())
            settings.remove(key); // back to the default, also if the default changes later
        else
            settings.setValue(key, value);
    };
    store(kListenKey, listenAddress.trimmed());
    store(kDataDirectoryKey, dataDirectory.trimmed());
    settings.setValue(kThemeKey, themeKey(theme));
    settings.setValue(kKeepCollectingKey, keepCollectingWhenClosed);
    settings.setValue(kMinFreeMegabytesKey, minFreeMegabytes);
    settings.setValue(kMinFreePercentKey, minFreePercent);
}

QString AppSettings::themeKey(Theme theme)
{
    switch (theme) {
    case Theme::Light:
        return QStringLiteral("light");
    case Theme::Dark:
        return QStringLiteral("dark");
    case Theme::System:
        break;
    }
    return QStringLiteral("system");
}

Theme AppSettings::themeFromKey(const QString &key)
{
    if (key == QLatin1String("light"))
        return Theme::Light;
    if (key == QLatin1String("dark"))
        return Theme::Dark;
    return Theme::System;
}

QString AppSettings::listenAddressProblem(const QString &address)
{
    if (address.trimmed().isEmpty())
        return {};
    QString problem;
    if (parseCollectorAddress(address, &problem))
        return {};
    problem[0] = problem.at(0).toUpper();
    return problem + u'.';
}

QPalette darkPalette()
{
    QPalette dark;
    const QColor text(0xe0, 0xe0, 0xe0);
    const QColor disabled(0x80, 0x80, 0x80);
    dark.setColor(QPalette::Window, QColor(0x2b, 0x2b, 0x2b));
    dark.setColor(QPalette::WindowText, text);
    dark.setColor(QPalette::Base, QColor(0x1e, 0x1e, 0x1e));
    dark.setColor(QPalette::AlternateBase, QColor(0x26, 0x26, 0x26));
    dark.setColor(QPalette::Text, text);
    dark.setColor(QPalette::Button, QColor(0x35, 0x35, 0x35));
    dark.setColor(QPalette::ButtonText, text);
    dark.setColor(QPalette::BrightText, Qt::white);
    dark.setColor(QPalette::Highlight, QColor(0x2f, 0x6f, 0xb5));
    dark.setColor(QPalette::HighlightedText, Qt::white);
    dark.setColor(QPalette::Link, QColor(0x6c, 0xb4, 0xff));
    dark.setColor(QPalette::PlaceholderText, QColor(0x9a, 0x9a, 0x9a));
    dark.setColor(QPalette::ToolTipBase, QColor(0x35, 0x35, 0x35));
    dark.setColor(QPalette::ToolTipText, text);
    dark.setColor(QPalette::Light, QColor(0x4a, 0x4a, 0x4a));
    dark.setColor(QPalette::Midlight, QColor(0x3e, 0x3e, 0x3e));
    dark.setColor(QPalette::Mid, QColor(0x30, 0x30, 0x30));
    dark.setColor(QPalette::Dark, QColor(0x1a, 0x1a, 0x1a));
    dark.setColor(QPalette::Shadow, Qt::black);
    for (QPalette::ColorRole role : { QPalette::WindowText, QPalette::Text, QPalette::ButtonText })
        dark.setColor(QPalette::Disabled, role, disabled);
    return dark;
}

void applyTheme(Theme theme, const QPalette &systemPalette)
{
    switch (theme) {
    case Theme::System:
        QApplication::setPalette(systemPalette);
        return;
    case Theme::Light:
        QApplication::setPalette(QApplication::style()->standardPalette());
        return;
    case Theme::Dark:
        QApplication::setPalette(darkPalette());
        return;
    }
}

} // namespace faultline
