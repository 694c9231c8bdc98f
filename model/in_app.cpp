#include "model/in_app.h"

#include <QVarLengthArray>

#include <initializer_list>

namespace faultline {

namespace {

bool isDigit(QChar c) { return c >= u'0' && c <= u'9'; }

// Needles for the case-insensitive rules, already case-folded. Searched in a
// case-folded copy of the path, folded once per path: Qt's case-insensitive
// search folds every character again for every needle and position, which made
// this function most of grouping's cost at ingest (a few frames per event, two
// paths each).
constexpr QStringView sitePackages = u"/site-packages/";
constexpr QStringView distPackages = u"/dist-packages/";
constexpr QStringView libPython = u"lib/python";
constexpr QStringView slashPython = u"/python";
constexpr QStringView lib = u"lib/";
constexpr QStringView extensionSchemes[]
    = { u"chrome-extension://", u"moz-extension://", u"safari-extension://", u"safari-web-extension://" };

// Whether `folded` has "<marker><digits>[.<digits>]/<then>" somewhere, e.g.
// marker "lib/python" finds "lib/python3.11/" and "lib/python3/".
bool hasVersionedDir(QStringView folded, QStringView marker, QStringView then = {})
{
    for (qsizetype at = folded.indexOf(marker); at >= 0; at = folded.indexOf(marker, at + 1)) {
        qsizetype i = at + marker.size();
        const qsizetype digitsStart = i;
        while (i < folded.size() && isDigit(folded[i]))
            ++i;
        if (i == digitsStart)
            continue;
        if (i < folded.size() && folded[i] == u'.') {
            const qsizetype minorStart = ++i;
            while (i < folded.size() && isDigit(folded[i]))
                ++i;
            if (i == minorStart)
                continue;
        }
        if (i < folded.size() && folded[i] == u'/' && folded.sliced(i + 1).startsWith(then))
            return true;
    }
    return false;
}

// Whether `text` contains `needle`, of which `character` is one.
bool containsVia(QStringView text, char16_t character, QStringView needle)
{
    return text.contains(QChar(character)) && text.contains(needle);
}

// Why a path is library code whatever the SDK said, or nothing. `path` has
// Windows separators turned into '/', so one set of rules serves both.
QString slashedPathReason(QStringView path)
{
    // What QString::toCaseFolded() gives, without the allocation for the usual path;
    // case folding keeps the length, so positions stay comparable.
    QVarLengthArray<char16_t, 256> buffer(path.size());
    for (qsizetype i = 0; i < path.size(); ++i) {
        const char16_t c = path[i].unicode();
        buffer[i] = c < 0x80 ? ((c >= u'A' && c <= u'Z') ? char16_t(c + 32) : c) : char16_t(QChar::toCaseFolded(c));
    }
    const QStringView folded(buffer.data(), buffer.size());

    // A rule's needles are searched only where the part they share is found, and
    // that only where one of its rarer characters is (a vectorised scan): most
    // paths match no rule, and this runs for every frame of every event.
    if (containsVia(folded, u'k', u"-packages/") && (folded.contains(sitePackages) || folded.contains(distPackages)))
        return QStringLiteral("installed package");
    // The interpreter's own library: /usr/lib/python3.11/json/decoder.py,
    // /opt/venv/lib/python3.12/logging/__init__.py, C:/Python311/Lib/json/…
    if (path.startsWith(u"<frozen ")
        || (containsVia(folded, u'h', u"python")
            && (hasVersionedDir(folded, libPython) || hasVersionedDir(folded, slashPython, lib))))
        return QStringLiteral("Python standard library");
    if (path.startsWith(u"node:") || path.startsWith(u"internal/"))
        return QStringLiteral("Node.js internals");
    if (containsVia(path, u'_', u"node_modules/"))
        return QStringLiteral("installed package (node_modules)");
    if (containsVia(folded, u':', u"-extension://"))
        for (QStringView scheme : extensionSchemes)
            if (folded.contains(scheme))
                return QStringLiteral("browser extension");
    return {};
}

QString libraryPathReason(const QString &path)
{
    if (path.isEmpty())
        return {};
    if (!path.contains(u'\\'))
        return slashedPathReason(path);
    QString slashed = path;
    slashed.replace(u'\\', u'/');
    return slashedPathReason(slashed);
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
