// The commands that open a file in the user's editor and a commit in their
// git tool: program plus argument list, never a shell string.
#include "ui/editor_command.h"

#include <QTest>

using namespace faultline;

namespace {

const QString kFile = QStringLiteral("/home/ann/my shop/app's.py"); // spaces and quotes stay inside one argument

ExternalCommand open(EditorPreset preset, int line, int column, const CommandEnvironment &env = {})
{
    EditorSettings settings;
    settings.editor = preset;
    return editorCommand(settings, env, kFile, line, column);
}

} // namespace

class TestEditorCommand : public QObject {
    Q_OBJECT
private slots:
    void presets_data()
    {
        QTest::addColumn<int>("preset");
        QTest::addColumn<int>("line");
        QTest::addColumn<int>("column");
        QTest::addColumn<QString>("program");
        QTest::addColumn<QStringList>("arguments");
        QTest::newRow("system") << int(EditorPreset::System) << 12 << 5 << "xdg-open" << QStringList { kFile };
        QTest::newRow("vscode") << int(EditorPreset::VSCode) << 12 << 5 << "code"
                                << QStringList { "-g", kFile + ":12:5" };
        QTest::newRow("vscode, no column")
            << int(EditorPreset::VSCode) << 12 << 0 << "code" << QStringList { "-g", kFile + ":12" };
        QTest::newRow("vscode, no line") << int(EditorPreset::VSCode) << 0 << 0 << "code"
                                         << QStringList { "-g", kFile };
        QTest::newRow("jetbrains") << int(EditorPreset::JetBrains) << 12 << 5 << "idea"
                                   << QStringList { "--line", "12", "--column", "5", kFile };
        QTest::newRow("kate") << int(EditorPreset::Kate) << 12 << 5 << "kate"
                              << QStringList { "-l", "12", "-c", "5", kFile };
        QTest::newRow("gedit") << int(EditorPreset::Gedit) << 12 << 5 << "gedit" << QStringList { "+12", kFile };
    }

    void presets()
    {
        QFETCH(int, preset);
        QFETCH(int, line);
        QFETCH(int, column);
        QFETCH(QString, program);
        QFETCH(QStringList, arguments);
        const ExternalCommand command = open(EditorPreset(preset), line, column);
        QCOMPARE(command.program, program);
        QCOMPARE(command.arguments, arguments);
    }

    void visualRunsInATerminal()
    {
        CommandEnvironment env;
        env.visual = QStringLiteral("nvim -p");
        env.terminal = QStringLiteral("x-terminal-emulator");
        ExternalCommand command = open(EditorPreset::TerminalEditor, 7, 3, env);
        QCOMPARE(command.program, QStringLiteral("x-terminal-emulator"));
        QCOMPARE(command.arguments, (QStringList { "-e", "nvim", "-p", "+7", kFile }));
        env.terminal = QStringLiteral("/usr/bin/gnome-terminal");
        env.visual = QStringLiteral("hx");
        command = open(EditorPreset::TerminalEditor, 7, 3, env);
        QCOMPARE(command.arguments, (QStringList { "--", "hx", kFile + ":7" }));
        // No terminal: nothing to run, so the caller falls back to xdg-open.
        env.terminal.clear();
        QVERIFY(!open(EditorPreset::TerminalEditor, 7, 3, env).isValid());
    }

    void customTemplateFillsArgumentsNotAShell()
    {
        EditorSettings settings;
        settings.editor = EditorPreset::Custom;
        settings.customEditor = QStringLiteral("subl --wait \"{file}:{line}:{column}\"");
        const ExternalCommand command = editorCommand(settings, {}, kFile + QStringLiteral("; rm -rf ~"), 9, 2);
        QCOMPARE(command.program, QStringLiteral("subl"));
        QCOMPARE(command.arguments, (QStringList { "--wait", kFile + "; rm -rf ~:9:2" }));
    }

    void gitTools()
    {
        EditorSettings settings;
        CommandEnvironment env;
        env.terminal = QStringLiteral("xterm");
        const QString commit = QStringLiteral("0123456789abcdef0123456789abcdef01234567");
        ExternalCommand command = gitToolCommand(settings, env, QStringLiteral("/home/ann/shop"), commit);
        QCOMPARE(command.program, QStringLiteral("xterm"));
        QCOMPARE(command.arguments, (QStringList { "-e", "git", "-C", "/home/ann/shop", "show", commit }));
        env.hasGitk = true;
        command = gitToolCommand(settings, env, QStringLiteral("/home/ann/shop"), commit);
        QCOMPARE(command.program, QStringLiteral("gitk"));
        QCOMPARE(command.arguments, (QStringList { "--select-commit=" + commit }));
        QCOMPARE(command.workingDirectory, QStringLiteral("/home/ann/shop"));
        settings.gitTool = GitToolPreset::Custom;
        settings.customGitTool = QStringLiteral("tig show {commit}");
        command = gitToolCommand(settings, env, QStringLiteral("/home/ann/shop"), commit);
        QCOMPARE(command.program, QStringLiteral("tig"));
        QCOMPARE(command.arguments, (QStringList { "show", commit }));
    }

    void presetKeysRoundTrip()
    {
        for (EditorPreset preset : { EditorPreset::System, EditorPreset::VSCode, EditorPreset::JetBrains,
                 EditorPreset::Kate, EditorPreset::Gedit, EditorPreset::TerminalEditor, EditorPreset::Custom })
            QCOMPARE(EditorSettings::presetFromKey(EditorSettings::presetKey(preset)), preset);
        QCOMPARE(EditorSettings::presetFromKey(QStringLiteral("emacs-someday")), EditorPreset::System);
    }
};

QTEST_GUILESS_MAIN(TestEditorCommand)
#include "tst_editor_command.moc"
