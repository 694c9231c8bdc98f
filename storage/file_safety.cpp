#include "storage/file_safety.h"

#include <QDir>
#include <QFileInfo>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace faultline {

namespace {

QString octal(mode_t mode) { return QStringLiteral("0%1").arg(mode & 0777, 3, 8, QLatin1Char('0')); }

// chmod to `wanted` unless the bits are already no wider; a line when changed.
void tighten(const QString &path, mode_t wanted, QStringList &changes)
{
    struct stat info { };
    const QByteArray native = QFile::encodeName(path);
    if (::lstat(native.constData(), &info) != 0 || S_ISLNK(info.st_mode) || info.st_uid != ::geteuid())
        return; // absent, a link (not ours to follow), or someone else's
    if ((info.st_mode & 0777 & ~wanted) == 0)
        return;
    if (::chmod(native.constData(), wanted) == 0)
        changes.append(QStringLiteral("tightened %1 from %2 to %3").arg(path, octal(info.st_mode), octal(wanted)));
    else
        changes.append(QStringLiteral("cannot tighten %1 (%2): %3")
                           .arg(path, octal(info.st_mode), QString::fromLocal8Bit(std::strerror(errno))));
}

} // namespace

QStringList tightenDataFiles(const QString &dbPath, const QString &privateDirectory)
{
    QStringList changes;
    if (!privateDirectory.isEmpty())
        tighten(privateDirectory, 0700, changes);
    for (const char *suffix : { "", "-wal", "-shm", "-journal" })
        tighten(dbPath + QLatin1String(suffix), 0600, changes);
    const QDir directory = QFileInfo(dbPath).absoluteDir();
    for (const QString &log : directory.entryList({ QStringLiteral("faultline.log*") }, QDir::Files))
        tighten(directory.filePath(log), 0600, changes);
    return changes;
}

QString sharedMemoryFileProblem(const QString &dbPath)
{
    const QString shm = dbPath + QStringLiteral("-shm");
    const QByteArray native = QFile::encodeName(shm);
    struct stat info { };
    if (::stat(native.constData(), &info) != 0)
        return {}; // SQLite creates it
    // access(), not open() + close(): closing any descriptor of the file drops
    // every POSIX lock this process holds on it, SQLite's included, and another
    // process then re-initialises (truncates) the -shm under our mapping: SIGBUS.
    if (::access(native.constData(), W_OK) == 0)
        return {};
    return QStringLiteral("%1 exists but cannot be written (%2); SQLite would crash on it. Check its owner, "
                          "permissions and attributes (lsattr; chattr -i), or remove it while no Faultline runs")
        .arg(shm, QString::fromLocal8Bit(std::strerror(errno)));
}

} // namespace faultline
