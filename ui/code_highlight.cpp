#include "ui/code_highlight.h"

#include <QSet>

namespace faultline {

namespace {

struct Colours {
    QString keyword;
    QString string;
    QString comment;
    QString number;
};

Colours coloursFor(const QPalette &palette)
{
    const bool dark = palette.color(QPalette::Base).lightness() < 128;
    if (dark)
        return { QStringLiteral("#c792ea"), QStringLiteral("#c3e88d"), QStringLiteral("#8a8f98"),
            QStringLiteral("#f78c6c") };
    return { QStringLiteral("#7b1fa2"), QStringLiteral("#2e7d32"), QStringLiteral("#6a737d"),
        QStringLiteral("#b45309") };
}

const QSet<QString> &keywords(CodeLanguage language)
{
    static const QSet<QString> python = { "False", "None", "True", "and", "as", "assert", "async", "await", "break",
        "class", "continue", "def", "del", "elif", "else", "except", "finally", "for", "from", "global", "if", "import",
        "in", "is", "lambda", "nonlocal", "not", "or", "pass", "raise", "return", "try", "while", "with", "yield",
        "self", "match", "case" };
    static const QSet<QString> javascript = { "async", "await", "break", "case", "catch", "class", "const", "continue",
        "debugger", "default", "delete", "do", "else", "export", "extends", "false", "finally", "for", "function", "if",
        "import", "in", "instanceof", "let", "new", "null", "return", "super", "switch", "this", "throw", "true", "try",
        "typeof", "undefined", "var", "void", "while", "with", "yield", "of", "interface", "type" };
    return language == CodeLanguage::Python ? python : javascript;
}

QString span(const QString &colour, QStringView text)
{
    return QStringLiteral("<span style=\"color:%1\">%2</span>").arg(colour, text.toString().toHtmlEscaped());
}

bool isIdentifierStart(QChar c) { return c.isLetter() || c == u'_' || c == u'$'; }
bool isIdentifierPart(QChar c) { return c.isLetterOrNumber() || c == u'_' || c == u'$'; }

} // namespace

CodeLanguage codeLanguage(const QString &filename, const QString &platform)
{
    const QString name = filename.toLower();
    if (name.endsWith(QLatin1String(".py")) || name.endsWith(QLatin1String(".pyw")))
        return CodeLanguage::Python;
    for (const char *suffix : { ".js", ".mjs", ".cjs", ".jsx", ".ts", ".tsx", ".mts", ".cts" })
        if (name.endsWith(QLatin1String(suffix)))
            return CodeLanguage::JavaScript;
    if (platform == u"python")
        return CodeLanguage::Python;
    if (platform == u"javascript" || platform == u"node")
        return CodeLanguage::JavaScript;
    return CodeLanguage::Plain;
}

QString highlightedLineHtml(const QString &line, CodeLanguage language, const QPalette &palette)
{
    if (language == CodeLanguage::Plain)
        return line.toHtmlEscaped();
    const Colours colours = coloursFor(palette);
    const QSet<QString> &words = keywords(language);
    const bool python = language == CodeLanguage::Python;
    QString html;
    qsizetype i = 0;
    const qsizetype n = line.size();
    while (i < n) {
        const QChar c = line.at(i);
        const bool lineComment = python ? c == u'#' : (c == u'/' && i + 1 < n && line.at(i + 1) == u'/');
        if (lineComment) {
            html += span(colours.comment, QStringView(line).mid(i));
            break;
        }
        if (!python && c == u'/' && i + 1 < n && line.at(i + 1) == u'*') {
            const qsizetype end = line.indexOf(QLatin1String("*/"), i + 2);
            const qsizetype stop = end < 0 ? n : end + 2;
            html += span(colours.comment, QStringView(line).mid(i, stop - i));
            i = stop;
            continue;
        }
        if (c == u'"' || c == u'\'' || (!python && c == u'`')) {
            qsizetype j = i + 1;
            while (j < n && line.at(j) != c)
                j += line.at(j) == u'\\' ? 2 : 1;
            const qsizetype stop = std::min(n, j + 1);
            // f"…", r'…', b"…": the prefix belongs to the string.
            html += span(colours.string, QStringView(line).mid(i, stop - i));
            i = stop;
            continue;
        }
        if (c.isDigit()) {
            qsizetype j = i;
            while (j < n && (line.at(j).isLetterOrNumber() || line.at(j) == u'.' || line.at(j) == u'_'))
                ++j;
            html += span(colours.number, QStringView(line).mid(i, j - i));
            i = j;
            continue;
        }
        if (isIdentifierStart(c)) {
            qsizetype j = i;
            while (j < n && isIdentifierPart(line.at(j)))
                ++j;
            const QString word = line.mid(i, j - i);
            const bool stringPrefix = python && j < n && (line.at(j) == u'"' || line.at(j) == u'\'') && word.size() <= 2
                && QStringLiteral("fFrRbBuU").contains(word.at(0));
            if (stringPrefix) {
                qsizetype k = j + 1;
                while (k < n && line.at(k) != line.at(j))
                    k += line.at(k) == u'\\' ? 2 : 1;
                const qsizetype stop = std::min(n, k + 1);
                html += span(colours.string, QStringView(line).mid(i, stop - i));
                i = stop;
                continue;
            }
            html += words.contains(word) ? span(colours.keyword, word) : word.toHtmlEscaped();
            i = j;
            continue;
        }
        html += QString(c).toHtmlEscaped();
        ++i;
    }
    return html;
}

} // namespace faultline
