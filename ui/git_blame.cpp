#include "ui/git_blame.h"

#include <QFileInfo>
#include <QProcess>
#include <QTimeZone>
#include <QtConcurrent/QtConcurrentRun>

namespace faultline {

BlameResult parseBlamePorcelain(const QByteArray &output)
{
    BlameResult result;
    const QList<QByteArray> lines = output.split('\n');
    if (lines.isEmpty() || lines.first().size() < 40) {
        result.error = QStringLiteral("git blame gave no answer");
        return result;
    }
    result.commit = QString::fromLatin1(lines.first().left(40));
    qint64 epoch = 0;
    QByteArray zone;
    for (const QByteArray &line : lines.mid(1)) {
        if (line.startsWith('\t'))
            break; // the line's content ends the header
        const qsizetype space = line.indexOf(' ');
        const QByteArray key = line.left(space);
        const QString value = space < 0 ? QString() : QString::fromUtf8(line.mid(space + 1));
        if (key == "author")
            result.author = value;
        else if (key == "author-mail")
            result.authorMail = value.mid(1, value.size() - 2);
        else if (key == "author-time")
            epoch = value.toLongLong();
        else if (key == "author-tz")
            zone = value.toLatin1();
        else if (key == "summary")
            result.summary = value;
    }
    if (epoch > 0) {
        // "+0130": hours and minutes east of UTC, as the author's clock showed it.
        const int sign = zone.startsWith('-') ? -1 : 1;
        const int offset = zone.size() == 5 ? sign * (zone.mid(1, 2).toInt() * 3600 + zone.mid(3, 2).toInt() * 60) : 0;
        result.authorTime = QDateTime::fromSecsSinceEpoch(epoch, QTimeZone(offset));
    }
    return result;
}

BlameResult blameLine(const QString &localFile, int line, int timeoutMs)
{
    BlameResult result;
    const QFileInfo file(localFile);
    if (line <= 0 || !file.isFile()) {
        result.error = QStringLiteral("no such line on disk");
        return result;
    }
    QProcess git;
    git.setWorkingDirectory(file.absolutePath());
    git.setProgram(QStringLiteral("git"));
    git.setArguments({ QStringLiteral("blame"), QStringLiteral("--porcelain"), QStringLiteral("-L"),
        QStringLiteral("%1,%1").arg(line), QStringLiteral("--"), file.fileName() });
    git.start();
    if (!git.waitForStarted(timeoutMs)) {
        result.error = QStringLiteral("git could not start: %1").arg(git.errorString());
        return result;
    }
    if (!git.waitForFinished(timeoutMs)) {
        git.kill();
        git.waitForFinished(1000);
        result.error = QStringLiteral("git blame took longer than %1 s").arg(timeoutMs / 1000.0);
        return result;
    }
    if (git.exitStatus() != QProcess::NormalExit || git.exitCode() != 0) {
        result.error = QString::fromUtf8(git.readAllStandardError()).trimmed().section(QLatin1Char('\n'), 0, 0);
        if (result.error.isEmpty())
            result.error = QStringLiteral("git blame failed");
        return result;
    }
    return parseBlamePorcelain(git.readAllStandardOutput());
}

QFuture<BlameResult> blameLineAsync(QThreadPool *pool, const QString &localFile, int line, int timeoutMs)
{
    return QtConcurrent::run(pool, [localFile, line, timeoutMs]() { return blameLine(localFile, line, timeoutMs); });
}

} // namespace faultline
