// `faultline --headless` refusing to start, for each problem a user can act
// on: the documented exit code and the words on stderr (the desktop dialog
// shows the same words; tests/ui/tst_desktop_shell.cpp checks it offscreen).
#include "support/faultline_process.h"

#include <QProcess>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

using namespace faultline::test;

namespace {

struct Run {
    int exitCode = -1;
    QString stderrText;
};

Run runHeadless(const QStringList &arguments, const QString &program = FAULTLINE_BINARY)
{
    QProcess process;
    process.start(program, arguments);
    process.waitForFinished(30000);
    Run run;
    run.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    run.stderrText = QString::fromUtf8(process.readAllStandardError());
    return run;
}

} // namespace

class TestStartupFailures : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;

private slots:
    void portInUseIs3()
    {
        QTcpServer squatter;
        QVERIFY(squatter.listen(QHostAddress::LocalHost, 0));
        const QString address = QStringLiteral("127.0.0.1:%1").arg(squatter.serverPort());
        const Run run = runHeadless({ "--headless", "--db", m_dir.filePath("port.db"), "--listen", address });
        QCOMPARE(run.exitCode, 3);
        QVERIFY2(run.stderrText.contains("faultline: Another program already listens on " + address + "."),
            qPrintable(run.stderrText));
        QVERIFY(run.stderrText.contains("pick another port"));
    }

    void unopenableDatabaseIs4()
    {
        QFile garbage(m_dir.filePath("garbage.db"));
        QVERIFY(garbage.open(QIODevice::WriteOnly));
        garbage.write(QByteArray(8192, 'x'));
        garbage.close();
        const Run run = runHeadless({ "--headless", "--db", garbage.fileName(), "--listen", "127.0.0.1:0" });
        QCOMPARE(run.exitCode, 4);
        QVERIFY2(run.stderrText.contains("faultline: The database " + garbage.fileName() + " cannot be opened."),
            qPrintable(run.stderrText));
        QVERIFY(run.stderrText.contains("file is not a database"));
    }

    void databaseFromANewerVersionIs5()
    {
        const QString db = m_dir.filePath("newer.db");
        FaultlineProcess faultline(FAULTLINE_BINARY, db);
        QVERIFY2(faultline.start(), qPrintable(faultline.log()));
        faultline.terminate();
        QProcess sqlite;
        sqlite.start("sqlite3", { db, "PRAGMA user_version = 999" });
        QVERIFY(sqlite.waitForFinished(10000));
        QCOMPARE(sqlite.exitCode(), 0);
        const Run run = runHeadless({ "--headless", "--db", db, "--listen", "127.0.0.1:0" });
        QCOMPARE(run.exitCode, 5);
        QVERIFY2(run.stderrText.contains("was written by a newer Faultline"), qPrintable(run.stderrText));
        QVERIFY(run.stderrText.contains("schema version 999"));
    }

    void unwritableDataDirectoryIs6()
    {
        // Root may write anywhere, so make the directory impossible rather than forbidden: its parent is a file.
        QFile file(m_dir.filePath("a-file"));
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.close();
        const Run run = runHeadless({ "--headless", "--db", file.fileName() + "/data/faultline.db" });
        QCOMPARE(run.exitCode, 6);
        QVERIFY2(run.stderrText.contains("cannot write to its data directory " + file.fileName() + "/data"),
            qPrintable(run.stderrText));
    }

    void fullDiskIs7()
    {
        // A 2 MB tmpfs in a private mount namespace (no root needed where user namespaces are allowed).
        const QString unshare = QStandardPaths::findExecutable("unshare");
        if (unshare.isEmpty() || QProcess::execute(unshare, { "-rm", "true" }) != 0)
            QSKIP("needs unshare -rm (user and mount namespaces) for a small tmpfs");
        const QString mountPoint = m_dir.filePath("small-disk");
        QVERIFY(QDir().mkpath(mountPoint));
        const QString script = QStringLiteral("mount -t tmpfs -o size=2m tmpfs '%1' && exec '%2' --headless --db "
                                              "'%1/faultline.db' --listen 127.0.0.1:0")
                                   .arg(mountPoint, FAULTLINE_BINARY);
        const Run run = runHeadless({ "-rm", "sh", "-c", script }, unshare);
        QCOMPARE(run.exitCode, 7);
        QVERIFY2(run.stderrText.contains("faultline: The disk holding " + mountPoint + " is full."),
            qPrintable(run.stderrText));
    }

    void secondCollectorForTheSameDatabaseIs8()
    {
        const QString db = m_dir.filePath("shared.db");
        FaultlineProcess first(FAULTLINE_BINARY, db);
        QVERIFY2(first.start(), qPrintable(first.log()));
        const Run run = runHeadless({ "--headless", "--db", db, "--listen", "127.0.0.1:0" });
        QCOMPARE(run.exitCode, 8);
        QVERIFY2(run.stderrText.contains("Faultline already collects for " + db), qPrintable(run.stderrText));
        QVERIFY(run.stderrText.contains(QStringLiteral("on 127.0.0.1:%1").arg(first.port())));
        QVERIFY(first.isRunning()); // the first one goes on
    }
};

QTEST_GUILESS_MAIN(TestStartupFailures)
#include "tst_startup_failures.moc"
