#include "ui/editor_command.h"

#include <QCoreApplication>
#include <QFileInfo>
#include <QProcess>
#include <QProcessEnvironment>
#include <QSettings>
#include <QStandardPaths>

namespace faultline {

namespace {

struct PresetName {
    EditorPreset preset;
    const char *key;
    const char *label;
};

const PresetName kPresets[] = {
    { EditorPreset::System, "system", QT_TRANSLATE_NOOP("EditorSettings", "System default (xdg-open)") },
    { EditorPreset::VSCode, "vscode", QT_TRANSLATE_NOOP("EditorSettings", "VS Code (code -g file:line:col)") },
    { EditorPreset::JetBrains, "jetbrains", QT_TRANSLATE_NOOP("EditorSettings", "JetBrains IDE (idea --line N file)") },
    { EditorPreset::Kate, "kate", QT_TRANSLATE_NOOP("EditorSettings", "Kate (kate -l N -c C file)") },
    { EditorPreset::Gedit, "gedit", QT_TRANSLATE_NOOP("EditorSettings", "gedit (gedit +N file)") },
    { EditorPreset::TerminalEditor, "terminal",
        QT_TRANSLATE_NOOP("EditorSettings", "$VISUAL / $EDITOR in a terminal") },
    { EditorPreset::Custom, "custom", QT_TRANSLATE_NOOP("EditorSettings", "Custom command") },
};

// A terminal runs the rest of its arguments as the command; gnome-terminal wants "--" instead of -e.
ExternalCommand inTerminal(const QString &terminal, const QStringList &command)
{
    if (terminal.isEmpty() || command.isEmpty())
        return {};
    const QString name = QFileInfo(terminal).fileName();
    QStringList arguments;
    arguments << (name == QLatin1String("gnome-terminal") ? QStringLiteral("--") : QStringLiteral("-e"));
    arguments << command;
    return { terminal, arguments, {} };
}

// {file}, {line}, {column}, {commit}, {checkout} in each argument of a user's template.
ExternalCommand fromTemplate(const QString &text, const QList<QPair<QString, QString>> &values)
{
    QStringList parts = QProcess::splitCommand(text);
    if (parts.isEmpty())
        return {};
    for (QString &part : parts)
        for (const auto &[name, value] : values)
            part.replace(QLatin1Char('{') + name + QLatin1Char('}'), value);
    const QString program = parts.takeFirst();
    return { program, parts, {} };
}

} // namespace

QString EditorSettings::presetKey(EditorPreset preset)
{
    for (const PresetName &name : kPresets)
        if (name.preset == preset)
            return QString::fromLatin1(name.key);
    return QStringLiteral("system");
}

EditorPreset EditorSettings::presetFromKey(const QString &key)
{
    for (const PresetName &name : kPresets)
        if (key == QLatin1String(name.key))
            return name.preset;
    return EditorPreset::System;
}

QString EditorSettings::presetLabel(EditorPreset preset)
{
    for (const PresetName &name : kPresets)
        if (name.preset == preset)
            return QCoreApplication::translate("EditorSettings", name.label);
    return {};
}

EditorSettings EditorSettings::load()
{
    QSettings settings;
    EditorSettings loaded;
    loaded.editor = presetFromKey(settings.value(QStringLiteral("editor/preset")).toString());
    loaded.customEditor = settings.value(QStringLiteral("editor/custom")).toString();
    const QString git = settings.value(QStringLiteral("editor/gitTool")).toString();
    loaded.gitTool = git == QLatin1String("terminal") ? GitToolPreset::GitShowInTerminal
        : git == QLatin1String("gitk")                ? GitToolPreset::Gitk
        : git == QLatin1String("custom")              ? GitToolPreset::Custom
                                                      : GitToolPreset::Auto;
    loaded.customGitTool = settings.value(QStringLiteral("editor/customGitTool")).toString();
    return loaded;
}

void EditorSettings::save() const
{
    QSettings settings;
    settings.setValue(QStringLiteral("editor/preset"), presetKey(editor));
    settings.setValue(QStringLiteral("editor/custom"), customEditor);
    const char *git = gitTool == GitToolPreset::GitShowInTerminal ? "terminal"
        : gitTool == GitToolPreset::Gitk                          ? "gitk"
        : gitTool == GitToolPreset::Custom                        ? "custom"
                                                                  : "auto";
    settings.setValue(QStringLiteral("editor/gitTool"), QString::fromLatin1(git));
    settings.setValue(QStringLiteral("editor/customGitTool"), customGitTool);
}

CommandEnvironment CommandEnvironment::current()
{
    const QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    CommandEnvironment found;
    found.visual = env.value(QStringLiteral("VISUAL"), env.value(QStringLiteral("EDITOR")));
    const QStringList terminals = { env.value(QStringLiteral("TERMINAL")), QStringLiteral("x-terminal-emulator"),
        QStringLiteral("gnome-terminal"), QStringLiteral("konsole"), QStringLiteral("xfce4-terminal"),
        QStringLiteral("xterm") };
    for (const QString &terminal : terminals) {
        if (!terminal.isEmpty() && !QStandardPaths::findExecutable(terminal).isEmpty()) {
            found.terminal = terminal;
            break;
        }
    }
    found.hasGitk = !QStandardPaths::findExecutable(QStringLiteral("gitk")).isEmpty();
    return found;
}

ExternalCommand editorCommand(
    const EditorSettings &settings, const CommandEnvironment &environment, const QString &file, int line, int column)
{
    const QString lineText = QString::number(qMax(line, 1));
    const QString columnText = QString::number(qMax(column, 1));
    switch (settings.editor) {
    case EditorPreset::System:
        break;
    case EditorPreset::VSCode: {
        QString target = file;
        if (line > 0)
            target += QLatin1Char(':') + lineText + (column > 0 ? QLatin1Char(':') + columnText : QString());
        return { QStringLiteral("code"), { QStringLiteral("-g"), target }, {} };
    }
    case EditorPreset::JetBrains: {
        QStringList arguments;
        if (line > 0)
            arguments << QStringLiteral("--line") << lineText;
        if (line > 0 && column > 0)
            arguments << QStringLiteral("--column") << columnText;
        return { QStringLiteral("idea"), arguments << file, {} };
    }
    case EditorPreset::Kate: {
        QStringList arguments;
        if (line > 0)
            arguments << QStringLiteral("-l") << lineText;
        if (line > 0 && column > 0)
            arguments << QStringLiteral("-c") << columnText;
        return { QStringLiteral("kate"), arguments << file, {} };
    }
    case EditorPreset::Gedit:
        return { QStringLiteral("gedit"),
            line > 0 ? QStringList { QLatin1Char('+') + lineText, file } : QStringList { file }, {} };
    case EditorPreset::TerminalEditor: {
        QStringList command = QProcess::splitCommand(environment.visual);
        if (command.isEmpty())
            command = { QStringLiteral("vi") };
        // vi, vim, nvim, nano, emacs, micro all take "+N"; helix wants file:line.
        const QString editor = QFileInfo(command.first()).fileName();
        if (editor == QLatin1String("hx") || editor == QLatin1String("helix"))
            command << (line > 0 ? file + QLatin1Char(':') + lineText : file);
        else
            command << (line > 0 ? QStringList { QLatin1Char('+') + lineText, file } : QStringList { file });
        return inTerminal(environment.terminal, command);
    }
    case EditorPreset::Custom:
        return fromTemplate(settings.customEditor,
            { { QStringLiteral("file"), file }, { QStringLiteral("line"), lineText },
                { QStringLiteral("column"), columnText } });
    }
    return { QStringLiteral("xdg-open"), { file }, {} };
}

ExternalCommand gitToolCommand(const EditorSettings &settings, const CommandEnvironment &environment,
    const QString &checkout, const QString &commit)
{
    ExternalCommand command;
    GitToolPreset tool = settings.gitTool;
    if (tool == GitToolPreset::Auto)
        tool = environment.hasGitk ? GitToolPreset::Gitk : GitToolPreset::GitShowInTerminal;
    switch (tool) {
    case GitToolPreset::Gitk:
        command = { QStringLiteral("gitk"), { QStringLiteral("--select-commit=") + commit }, {} };
        break;
    case GitToolPreset::Custom:
        command = fromTemplate(
            settings.customGitTool, { { QStringLiteral("commit"), commit }, { QStringLiteral("checkout"), checkout } });
        break;
    case GitToolPreset::Auto:
    case GitToolPreset::GitShowInTerminal:
        command = inTerminal(environment.terminal,
            { QStringLiteral("git"), QStringLiteral("-C"), checkout, QStringLiteral("show"), commit });
        break;
    }
    command.workingDirectory = checkout;
    return command;
}

} // namespace faultline
