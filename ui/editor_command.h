#pragma once
// The command that opens a file at a line in the user's editor, and the one
// that shows a commit in their git tool. Built as a program plus an argument
// list for QProcess::startDetached: file names never pass through a shell.
#include <QString>
#include <QStringList>

namespace faultline {

enum class EditorPreset { System, VSCode, JetBrains, Kate, Gedit, TerminalEditor, Custom };
enum class GitToolPreset { Auto, GitShowInTerminal, Gitk, Custom };

struct ExternalCommand {
    QString program;
    QStringList arguments;
    QString workingDirectory; // empty = inherit
    bool isValid() const { return !program.isEmpty(); }
};

// The user's choices, kept in QSettings under "editor/…".
struct EditorSettings {
    EditorPreset editor = EditorPreset::System;
    QString customEditor; // e.g. "subl {file}:{line}:{column}"; split like a shell would, no shell runs
    GitToolPreset gitTool = GitToolPreset::Auto;
    QString customGitTool; // e.g. "tig show {commit}", run in {checkout}

    static EditorSettings load();
    void save() const;
    static QString presetKey(EditorPreset preset); // "vscode", … as stored
    static EditorPreset presetFromKey(const QString &key);
    static QString presetLabel(EditorPreset preset); // "VS Code (code -g file:line:col)", …
};

// What the environment offers; passed in so tests decide.
struct CommandEnvironment {
    QString visual; // $VISUAL, else $EDITOR
    QString terminal; // "x-terminal-emulator", "konsole", …; empty = none found
    bool hasGitk = false;

    static CommandEnvironment current();
};

// `line`/`column` ≤ 0 mean unknown (column is dropped, line too when unknown).
ExternalCommand editorCommand(
    const EditorSettings &settings, const CommandEnvironment &environment, const QString &file, int line, int column);
ExternalCommand gitToolCommand(const EditorSettings &settings, const CommandEnvironment &environment,
    const QString &checkout, const QString &commit);

} // namespace faultline
