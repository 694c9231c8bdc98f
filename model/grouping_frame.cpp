#include "model/grouping_frame.h"

#include <QStringList>

#include <algorithm>

namespace faultline {

namespace {

// Sentry ignores longer context lines too: minified bundles put a whole file on one.
constexpr qsizetype maxContextLine = 120;

bool isDigit(QChar c) { return c >= u'0' && c <= u'9'; }
bool isHexDigit(QChar c) { return isDigit(c) || (c >= u'a' && c <= u'f') || (c >= u'A' && c <= u'F'); }

bool hasUrlOrigin(QStringView path)
{
    const qsizetype scheme = path.indexOf(u"://");
    if (scheme <= 0)
        return false;
    for (QChar c : path.first(scheme))
        if (!c.isLetterOrNumber() && c != u'+' && c != u'-' && c != u'.')
            return false;
    return !path.startsWith(u"file://");
}

enum class HashSpelling { HexOnly, HexOrBase64 };

// A bundler's content hash: "3f9a1c" (webpack), "a1b2c3d4e5f6" (hex with a
// digit), "BxQ3_4aZ"/"DiwrgTda" (Vite/Rollup: 8 base64url characters, mixed
// case; only in file names, where words of that shape are rare).
bool isContentHash(QStringView part, HashSpelling spelling = HashSpelling::HexOrBase64)
{
    if (part.size() < 5)
        return false;
    bool digit = false, lower = false, upper = false, hexOnly = true, base64url = true;
    for (QChar c : part) {
        digit = digit || isDigit(c);
        lower = lower || (c >= u'a' && c <= u'z');
        upper = upper || (c >= u'A' && c <= u'Z');
        hexOnly = hexOnly && isHexDigit(c);
        base64url = base64url && ((c.unicode() < 128 && c.isLetterOrNumber()) || c == u'_');
    }
    if (hexOnly && digit && part.size() >= 6)
        return true;
    return spelling == HashSpelling::HexOrBase64 && base64url && part.size() == 8
        && ((lower && upper) || (digit && (lower || upper)));
}

// "main.3f9a1c.js" -> "main.js", "index-BxQ3_4aZ.js" -> "index.js", "app.js" stays.
QString withoutContentHashes(QStringView fileName)
{
    QStringList parts = fileName.toString().split(u'.');
    for (qsizetype i = parts.size() - 2; i >= 1; --i) // never the stem or the extension
        if (isContentHash(parts.at(i)))
            parts.removeAt(i);
    QString stem = parts.first();
    const qsizetype dash = stem.lastIndexOf(u'-');
    if (dash > 0 && isContentHash(QStringView(stem).sliced(dash + 1)))
        stem.truncate(dash);
    parts.first() = stem;
    return parts.join(u'.');
}

QString baseName(QStringView path)
{
    const qsizetype slash = std::max(path.lastIndexOf(u'/'), path.lastIndexOf(u'\\'));
    return path.sliced(slash + 1).toString();
}

QString collapsedWhitespace(const QString &line) { return line.simplified(); }

bool usesContextLines(QStringView platform)
{
    return platform == u"python" || isJavaScriptPlatform(platform) || platform == u"ruby" || platform == u"php";
}

QString javaScriptFunction(QString function)
{
    const qsizetype alias = function.indexOf(QLatin1String(" [as "));
    if (alias > 0)
        function.truncate(alias);
    // Browsers differ in how they qualify a method (Object.foo, Foo.foo, foo).
    function = function.section(u'.', -1);
    if (function == u"?" || function == u"<anonymous>" || function == u"Anonymous function"
        || function == u"<anonymous function>" || function.endsWith(u"/<"))
        return {};
    return function;
}

QString rubyFunction(QString function)
{
    // "block in foo", "block (2 levels) in foo": the block's nesting is noise.
    if (function.startsWith(u"block "))
        return QStringLiteral("block");
    // ERB templates get generated suffixes: _app_views_x_erb__1234_5678
    const qsizetype suffix = function.lastIndexOf(QLatin1String("__"));
    if (suffix > 0) {
        const QStringView tail = QStringView(function).sliced(suffix + 2);
        const qsizetype underscore = tail.indexOf(u'_');
        if (underscore >= 4 && tail.size() - underscore - 1 >= 4
            && std::all_of(tail.begin(), tail.end(), [](QChar c) { return isDigit(c) || c == u'_'; }))
            function.truncate(suffix);
    }
    return function;
}

} // namespace

bool isJavaScriptPlatform(QStringView platform) { return platform == u"javascript" || platform == u"node"; }

QString cleanScriptPath(QStringView url)
{
    QStringView path = url;
    const qsizetype end = std::min(path.indexOf(u'?') < 0 ? path.size() : path.indexOf(u'?'),
        path.indexOf(u'#') < 0 ? path.size() : path.indexOf(u'#'));
    path = path.first(end);
    const qsizetype scheme = path.indexOf(u"://");
    if (scheme > 0) {
        path = path.sliced(scheme + 3);
        const qsizetype slash = path.indexOf(u'/');
        path = slash < 0 ? QStringView() : path.sliced(slash); // the host goes
    }
    while (path.startsWith(u'/') || path.startsWith(u"./"))
        path = path.sliced(path.startsWith(u'/') ? 1 : 2);
    QStringList dirs = path.toString().split(u'/');
    QString file = dirs.takeLast();
    dirs.removeIf([](const QString &dir) { return isContentHash(dir, HashSpelling::HexOnly); });
    dirs.append(withoutContentHashes(file));
    return dirs.join(u'/');
}

FrameIdentity frameIdentity(const Frame &frame, QStringView platform)
{
    const bool javaScript = isJavaScriptPlatform(platform);
    const QString &path = frame.absPath.isEmpty() ? frame.filename : frame.absPath;
    FrameIdentity identity;
    const bool fromUrl = hasUrlOrigin(path) || hasUrlOrigin(frame.filename);
    if (fromUrl) {
        identity.location = cleanScriptPath(hasUrlOrigin(path) ? path : frame.filename);
    } else if (!frame.module.isEmpty() && !(javaScript && frame.module.contains(u'/'))) {
        identity.location = frame.module; // stable across checkouts and deploy directories
    } else if (!frame.filename.isEmpty() && frame.filename != u"<anonymous>" && frame.filename != u"[native code]") {
        // The base name only, as Sentry does: release directories differ per deploy.
        const QString name = baseName(frame.filename).toLower();
        identity.location = javaScript ? withoutContentHashes(cleanScriptPath(name)) : name;
    }

    if (javaScript)
        identity.function = javaScriptFunction(frame.function);
    else if (platform == u"ruby")
        identity.function = rubyFunction(frame.function);
    else
        identity.function = frame.function;

    // Engines insert these differently from one browser to the next (Sentry ignores them too).
    static const QStringList lowQualityPaths { QStringLiteral("<anonymous>"), QStringLiteral("[native code]"),
        QStringLiteral("native code"), QStringLiteral("eval code") };
    if (javaScript && (lowQualityPaths.contains(path) || frame.function == u"eval"))
        identity.ignored = QStringLiteral("low-quality JavaScript frame (native, eval or anonymous code)");

    if (usesContextLines(platform) && frame.contextLine.size() <= maxContextLine) {
        // Without a function, a line fetched from a URL may be any version of the script.
        if (!(fromUrl && identity.function.isEmpty()))
            identity.contextLine = collapsedWhitespace(frame.contextLine);
    }
    return identity;
}

} // namespace faultline
