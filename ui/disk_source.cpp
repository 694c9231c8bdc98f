#include "ui/disk_source.h"

#include <QFile>
#include <QFileInfo>

namespace faultline {

namespace {

constexpr qint64 kMaxSourceBytes = 8 * 1024 * 1024;

QString trimmedRight(const QString &text)
{
    qsizetype end = text.size();
    while (end > 0 && text.at(end - 1).isSpace())
        --end;
    return text.left(end);
}

bool sameLine(const QString &fromSdk, const QString &fromDisk)
{
    const QString sdk = trimmedRight(fromSdk);
    const QString disk = trimmedRight(fromDisk);
    if (sdk == disk)
        return true;
    // SDKs cut long lines and append "..." (sentry-python at 512 characters).
    return sdk.endsWith(QLatin1String("...")) && sdk.size() > 3 && disk.startsWith(sdk.chopped(3));
}

} // namespace

DiskContext readDiskContext(const QString &localFile, int line, int radius)
{
    DiskContext context;
    // Opening a FIFO or a device would wait on it (or read forever): only regular files are source.
    const QFileInfo info(localFile);
    if (!info.isFile()) {
        context.error = info.exists() ? QStringLiteral("%1 is not a regular file").arg(localFile)
                                      : QStringLiteral("no such file");
        context.missing = !info.exists();
        return context;
    }
    QFile file(localFile);
    if (!file.open(QIODevice::ReadOnly)) {
        context.error = QStringLiteral("cannot read %1: %2").arg(localFile, file.errorString());
        return context;
    }
    if (file.size() > kMaxSourceBytes) {
        context.error = QStringLiteral("%1 is larger than %2 MB").arg(localFile).arg(kMaxSourceBytes >> 20);
        return context;
    }
    QStringList lines = QString::fromUtf8(file.readAll()).split(QLatin1Char('\n'));
    if (!lines.isEmpty() && lines.last().isEmpty())
        lines.removeLast(); // the newline that ends the last line
    for (QString &text : lines)
        if (text.endsWith(QLatin1Char('\r')))
            text.chop(1);
    if (line <= 0 || line > lines.size()) {
        context.error = QStringLiteral("line %1 is past the end of the file (%2 lines)").arg(line).arg(lines.size());
        return context;
    }
    const int index = line - 1;
    const int first = qMax(0, index - radius);
    context.preContext = lines.mid(first, index - first);
    context.contextLine = lines.at(index);
    context.postContext = lines.mid(index + 1, radius);
    return context;
}

bool sdkContextMatches(const Frame &frame, const DiskContext &disk)
{
    if (frame.contextLine.isEmpty() && frame.preContext.isEmpty())
        return true;
    if (!disk.ok() || !sameLine(frame.contextLine, disk.contextLine))
        return false;
    // Compare the nearest lines both sides have; the disk may show fewer at a file's edges.
    for (qsizetype i = 1; i <= frame.preContext.size() && i <= disk.preContext.size(); ++i)
        if (!sameLine(frame.preContext.at(frame.preContext.size() - i), disk.preContext.at(disk.preContext.size() - i)))
            return false;
    for (qsizetype i = 0; i < frame.postContext.size() && i < disk.postContext.size(); ++i)
        if (!sameLine(frame.postContext.at(i), disk.postContext.at(i)))
            return false;
    return frame.preContext.size() <= disk.preContext.size() && frame.postContext.size() <= disk.postContext.size();
}

Frame withDiskContext(Frame frame, const DiskContext &disk)
{
    frame.preContext = disk.preContext;
    frame.contextLine = disk.contextLine;
    frame.postContext = disk.postContext;
    return frame;
}

} // namespace faultline
