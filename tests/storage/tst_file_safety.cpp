// Issue 15, findings 12 and 13: data files readable by their owner only, and a
// -shm file SQLite could not write refused with a word instead of a SIGBUS.
#include "storage/database.h"
#include "storage/file_safety.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <sys/stat.h>

using namespace faultline;

namespace {

mode_t modeOf(const QString &path)
{
    struct stat info { };
    return ::stat(QFile::encodeName(path).constData(), &info) == 0 ? (info.st_mode & 0777) : 0;
}

bool chattr(const char *flag, const QString &path)
{
    return QProcess::execute(QStringLiteral("chattr"), { QString::fromLatin1(flag), path }) == 0;
}

} // namespace

class TestFileSafety : public QObject {
    Q_OBJECT

private slots:
    void dataFilesAreTightened()
    {
        QTemporaryDir dir;
        const QString directory = dir.filePath(QStringLiteral("data"));
        QVERIFY(QDir().mkpath(directory));
        const QString db = directory + QStringLiteral("/faultline.db");
        for (const QString &path : { db, db + QStringLiteral("-wal"), directory + QStringLiteral("/faultline.log"),
                 directory + QStringLiteral("/faultline.log.1") }) {
            QFile file(path);
            QVERIFY(file.open(QIODevice::WriteOnly));
            QVERIFY(::chmod(QFile::encodeName(path).constData(), 0644) == 0);
        }
        QVERIFY(::chmod(QFile::encodeName(directory).constData(), 0755) == 0);

        const QStringList changes = tightenDataFiles(db, directory);
        QCOMPARE(changes.size(), 5);
        QVERIFY2(changes.join('\n').contains(QStringLiteral("tightened %1 from 0644 to 0600").arg(db)),
            qPrintable(changes.join('\n')));
        QCOMPARE(modeOf(directory), mode_t(0700));
        QCOMPARE(modeOf(db), mode_t(0600));
        QCOMPARE(modeOf(db + QStringLiteral("-wal")), mode_t(0600));
        QCOMPARE(modeOf(directory + QStringLiteral("/faultline.log.1")), mode_t(0600));
        QVERIFY(tightenDataFiles(db, directory).isEmpty()); // nothing left to say the second time
    }

    void aChosenDirectoryIsLeftAlone()
    {
        QTemporaryDir dir;
        QVERIFY(::chmod(QFile::encodeName(dir.path()).constData(), 0755) == 0);
        const QString db = dir.filePath(QStringLiteral("mine.db"));
        QFile file(db);
        QVERIFY(file.open(QIODevice::WriteOnly));
        QVERIFY(::chmod(QFile::encodeName(db).constData(), 0644) == 0);
        QCOMPARE(tightenDataFiles(db).size(), 1);
        QCOMPARE(modeOf(dir.path()), mode_t(0755));
        QCOMPARE(modeOf(db), mode_t(0600));
    }

    void unwritableSharedMemoryFileIsRefused()
    {
        QTemporaryDir dir;
        const QString db = dir.filePath(QStringLiteral("faultline.db"));
        QString error;
        QVERIFY2(Database::open(db, Database::Mode::ReadWrite, &error), qPrintable(error));
        const QString shm = db + QStringLiteral("-shm");
        QFile file(shm);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(QByteArray(32768, '\0'));
        file.close();
        if (!chattr("+i", shm))
            QSKIP("chattr +i is not allowed here (needs CAP_LINUX_IMMUTABLE and a filesystem that has it)");
        const auto writable = Database::open(db, Database::Mode::ReadWrite, &error);
        const auto readable = Database::open(db, Database::Mode::ReadOnly, &error);
        chattr("-i", shm);
        QVERIFY(!writable);
        QVERIFY(!readable);
        QVERIFY2(error.contains(shm) && error.contains(QLatin1String("cannot be written")), qPrintable(error));
        QVERIFY(sharedMemoryFileProblem(db).isEmpty()); // writable again
    }
};

QTEST_GUILESS_MAIN(TestFileSafety)
#include "tst_file_safety.moc"
