// The one command-line parser (app/cli_arguments.h) as the subcommands and the
// server options (app/server_options.h) use it: what is accepted, what exits 2,
// and which kind of application a command line asks for.
#include "app/cli_arguments.h"
#include "app/server_options.h"

#include <QCoreApplication>
#include <QSettings>
#include <QStandardPaths>
#include <QTest>

using namespace faultline;

namespace {

const CliSyntax kSyntax { { QStringLiteral("--db"), QStringLiteral("--query") }, { QStringLiteral("--json") },
    { { QStringLiteral("-q"), QStringLiteral("--query") } }, false, QStringLiteral("usage: faultline issues") };

std::optional<CliArguments> parse(const QStringList &words, QString *complaint = nullptr)
{
    QString text;
    QTextStream err(&text);
    std::optional<CliArguments> arguments = parseCliArguments(words, kSyntax, err);
    err.flush();
    if (complaint)
        *complaint = text;
    return arguments;
}

std::optional<ServerOptions> serverOptions(const QStringList &words, int *exitCode)
{
    return parseServerOptions(QStringList { QStringLiteral("faultline") } + words, exitCode);
}

} // namespace

class TestCommandLine : public QObject {
    Q_OBJECT

private slots:
    void initTestCase()
    {
        // The stored settings (listen address, data directory) must not come from this machine's user.
        QStandardPaths::setTestModeEnabled(true);
        QSettings().clear();
    }

    void optionsInBothSpellings()
    {
        const auto arguments = parse({ "--db", "a.db", "--query=level:error", "--json" });
        QVERIFY(arguments);
        QCOMPARE(arguments->value("--db"), QStringLiteral("a.db"));
        QCOMPARE(arguments->value("--query"), QStringLiteral("level:error"));
        QVERIFY(arguments->isSet("--json"));
        QVERIFY(!arguments->isSet("--raw"));
    }

    void aliasesAndDashedValues()
    {
        const auto arguments = parse({ "-q", "-level:info" });
        QVERIFY(arguments);
        QCOMPARE(arguments->value("--query"), QStringLiteral("-level:info"));
    }

    void theLastValueWins() { QCOMPARE(parse({ "--db", "a", "--db", "b" })->value("--db"), QStringLiteral("b")); }

    void mistakesAreNamed_data()
    {
        QTest::addColumn<QStringList>("words");
        QTest::addColumn<QString>("complaint");
        QTest::newRow("unknown option") << QStringList { "--bogus" } << "faultline: unknown option --bogus";
        QTest::newRow("missing value") << QStringList { "--db" } << "faultline: --db needs a value";
        QTest::newRow("value for a flag") << QStringList { "--json=1" } << "faultline: --json takes no value";
        QTest::newRow("stray word") << QStringList { "extra" } << "faultline: unexpected argument 'extra'";
        QTest::newRow("option before word") << QStringList { "extra", "--bogus" } << "unknown option --bogus";
    }

    void mistakesAreNamed()
    {
        QFETCH(QStringList, words);
        QFETCH(QString, complaint);
        QString text;
        QVERIFY(!parse(words, &text));
        QVERIFY2(text.contains(complaint), qPrintable(text));
        QVERIFY2(text.contains("usage: faultline issues"), qPrintable(text));
    }

    void everythingAfterDoubleDashIsPositional()
    {
        CliSyntax syntax = kSyntax;
        syntax.positionals = true;
        QString text;
        QTextStream err(&text);
        const auto arguments = parseCliArguments({ "--", "--json", "-" }, syntax, err);
        QVERIFY(arguments);
        QCOMPARE(arguments->positionals, QStringList({ "--json", "-" }));
        QVERIFY(!arguments->isSet("--json"));
    }

    void numbersWithinBounds()
    {
        const auto arguments = parse({ "--db", "12" });
        QCOMPARE(arguments->number("--db", 0, 100), std::optional<qint64>(12));
        QCOMPARE(arguments->number("--db", 0, 10), std::nullopt);
        QCOMPARE(parse({ "--db", "x" })->number("--db", 0, 100), std::nullopt);
    }

    void serverDefaults()
    {
        int exitCode = -1;
        const auto options = serverOptions({}, &exitCode);
        QVERIFY(options);
        QCOMPARE(exitCode, 0);
        QVERIFY(!options->headless);
        QCOMPARE(options->listen.host, QHostAddress(QHostAddress::LocalHost));
        QCOMPARE(options->listen.port, kDefaultCollectorPort);
        QCOMPARE(options->minFreeBytes, qint64(kDefaultMinFreeMegabytes) << 20);
        QCOMPARE(options->minFreePercent, kDefaultMinFreePercent);
    }

    void serverOptionsRead()
    {
        int exitCode = -1;
        const auto options
            = serverOptions({ "--headless", "--db=/tmp/x.db", "--listen", "[::1]:0", "--rate-limit", "60",
                                "--min-free-mb", "0", "--log-level", "debug", "faultline://issue/7" },
                &exitCode);
        QVERIFY(options);
        QVERIFY(options->headless);
        QCOMPARE(options->dbPath, QStringLiteral("/tmp/x.db"));
        QCOMPARE(options->listen.host, QHostAddress(QHostAddress::LocalHostIPv6));
        QCOMPARE(options->listen.port, quint16(0));
        QCOMPARE(options->projectEventsPerMinute, 60);
        QCOMPARE(options->minFreeBytes, qint64(0));
        QCOMPARE(options->minFreePercent, 0); // 0 MB turns the guard off
        QCOMPARE(options->logLevel, QStringLiteral("debug"));
        QCOMPARE(options->links, QStringList { "faultline://issue/7" });
    }

    void badServerCommandLinesExitTwo_data()
    {
        QTest::addColumn<QStringList>("words");
        QTest::newRow("unknown option") << QStringList { "--bogus" };
        QTest::newRow("missing value") << QStringList { "--listen" };
        QTest::newRow("host name") << QStringList { "--listen", "myhost:8990" };
        QTest::newRow("negative rate") << QStringList { "--rate-limit", "-1" };
        QTest::newRow("megabytes in words") << QStringList { "--min-free-mb", "lots" };
        QTest::newRow("unknown command") << QStringList { "issuez" };
    }

    void badServerCommandLinesExitTwo()
    {
        QFETCH(QStringList, words);
        int exitCode = -1;
        QVERIFY(!serverOptions(words, &exitCode));
        QCOMPARE(exitCode, 2);
    }

    void helpAndVersionExitZero()
    {
        for (const char *word : { "--help", "-h", "--version", "-v" }) {
            int exitCode = -1;
            QVERIFY(!serverOptions({ word }, &exitCode));
            QCOMPARE(exitCode, 0);
        }
    }

    void helpListsEveryOption()
    {
        const QString help = serverHelpText(QStringLiteral("faultline"));
        QVERIFY(help.startsWith(QLatin1String("Usage: faultline [options] [faultline://issue/ID]\n")));
        for (const char *line : { "\nOptions:\n", "  -h, --help ", "  -v, --version ", "  --headless ",
                 "  --db <PATH> ", "  --listen <HOST:PORT> ", "(default 127.0.0.1:8990)", "  --rate-limit <N> ",
                 "  --min-free-mb <N> ", "(default 1024; 0 = off)", "\nArguments:\n  link " })
            QVERIFY2(help.contains(QLatin1String(line)), line);
    }

    void windowOrNot_data()
    {
        QTest::addColumn<QStringList>("words");
        QTest::addColumn<bool>("window");
        QTest::newRow("plain") << QStringList {} << true;
        QTest::newRow("a link") << QStringList { "faultline://issue/3" } << true;
        QTest::newRow("headless") << QStringList { "--db", "x.db", "--headless" } << false;
        QTest::newRow("help") << QStringList { "-h" } << false;
        QTest::newRow("version") << QStringList { "--version" } << false;
        // Qt's own options are only taken out by QApplication.
        QTest::newRow("Qt option") << QStringList { "-platform", "offscreen" } << true;
    }

    void windowOrNot()
    {
        QFETCH(QStringList, words);
        QFETCH(bool, window);
        QCOMPARE(wantsWindow(QStringList { QStringLiteral("faultline") } + words), window);
    }
};

QTEST_GUILESS_MAIN(TestCommandLine)
#include "tst_command_line.moc"
