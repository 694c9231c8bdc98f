#include "model/in_app.h"

#include <initializer_list>

namespace faultline {

namespace {

bool isDigit(QChar c) { return c >= u'0' && c <= u'9'; }

// Whether `path` has "<marker><digits>[.<digits>]/<then>" somewhere, e.g.
// marker "lib/python" finds "lib/python3.11/" and "lib/python3/".
bool hasVersionedDir(QStringView path, QStringView marker, QStringView then = {})
{
    for (qsizetype at = path.indexOf(marker, 0, Qt::CaseInsensitive); at >= 0;
         at = path.indexOf(marker, at + 1, Qt::CaseInsensitive)) {
        qsizetype i = at + marker.size();
        const qsizetype digitsStart = i;
        while (i < path.size() && isDigit(path[i]))
            ++i;
        if (i == digitsStart)
            continue;
        if (i < path.size() && path[i] == u'.') {
            const qsizetype minorStart = ++i;
            while (i < path.size() && isDigit(path[i]))
                ++i;
            if (i == minorStart)
                continue;
        }
        if (i < path.size() && path[i] == u'/' && path.sliced(i + 1).startsWith(then, Qt::CaseInsensitive))
            return true;
    }
    return false;
}

bool containsAny(QStringView path, std::initializer_list<const char16_t *> needles)
{
    for (const char16_t *needle : needles)
        if (path.contains(QStringView(needle), Qt::CaseInsensitive))
            return true;
    return false;
}

// Why a path is library code whatever the SDK said, or nothing.
QString libraryPathReason(QString path)
{
    if (path.isEmpty())
        return {};
    path.replace(u'\\', u'/'); // Windows paths, so one set of rules serves both
    if (containsAny(path, { u"/site-packages/", u"/dist-packages/" }))
        return QStringLiteral("installed package");
    // The interpreter's own library: /usr/lib/python3.11/json/decoder.py,
    // /opt/venv/lib/python3.12/logging/__init__.py, C:/Python311/Lib/json/…
    if (path.startsWith(u"<frozen ") || hasVersionedDir(path, u"lib/python")
        || hasVersionedDir(path, u"/python", u"lib/"))
        return QStringLiteral("Python standard library");
    if (path.startsWith(u"node:") || path.startsWith(u"internal/"))
        return QStringLiteral("Node.js internals");
    if (path.contains(u"node_modules/"))
        return QStringLiteral("installed package (node_modules)");
    if (containsAny(
            path, { u"chrome-extension://", u"moz-extension://", u"safari-extension://", u"safari-web-extension://" }))
        return QStringLiteral("browser extension");
    return {};
}

} // namespace

QString notAppCodeReason(const Frame &frame)
{
    for (const QString *path : { &frame.absPath, &frame.filename }) {
        const QString reason = libraryPathReason(*path);
        if (!reason.isEmpty())
            return reason;
    }
    if (!frame.inApp.value_or(false))
        return QStringLiteral("not marked as app code by the SDK");
    return {};
}

} // namespace faultline
