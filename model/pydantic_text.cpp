#include "model/pydantic_text.h"

#include <QRegularExpression>

namespace faultline::detail {

namespace {

QString unquote(const QString &text)
{
    if (text.size() >= 2 && (text.startsWith(QLatin1Char('\'')) || text.startsWith(QLatin1Char('"')))
        && text.endsWith(text.at(0)))
        return text.mid(1, text.size() - 2);
    return text;
}

// "  Value error, x [type=value_error, input_value='a, b', input_type=str]".
// input_value is a repr that may itself hold ", " and "]", so cut from the ends.
bool parseV2Line(const QString &line, ValidationIssue &issue)
{
    if (!line.endsWith(QLatin1Char(']')))
        return false;
    const qsizetype open = line.lastIndexOf(QLatin1String(" [type="));
    if (open < 0)
        return false;
    issue.msg = line.left(open).trimmed();
    QString inner = line.mid(open + 7, line.size() - open - 8);
    const qsizetype typeEnd = inner.indexOf(QLatin1String(", "));
    issue.type = (typeEnd < 0 ? inner : inner.left(typeEnd)).trimmed();
    if (typeEnd >= 0) {
        QString rest = inner.mid(typeEnd + 2);
        const qsizetype inputType = rest.lastIndexOf(QLatin1String(", input_type="));
        if (inputType >= 0)
            rest = rest.left(inputType);
        if (rest.startsWith(QLatin1String("input_value=")))
            issue.input = unquote(rest.mid(12));
    }
    return true;
}

// "  value is not a valid integer (type=type_error.integer)" or "(type=x; limit_value=1)".
// As ^(.*) \(type=([^;)]+)(?:;[^)]*)?\)$ would read it (the last " (type=" that
// fits), but scanned from the end once: that regex took quadratic time on
// "a (type=b a (type=b …", and the line is the sender's.
bool parseV1Line(const QString &untrimmed, ValidationIssue &issue)
{
    const QStringView line = QStringView(untrimmed).trimmed();
    if (!line.endsWith(QLatin1Char(')')))
        return false;
    const QLatin1StringView marker(" (type=");
    const qsizetype body = line.size() - 1; // without the closing ')'
    // The type and its details may hold no ')': the marker must come after the last one.
    const qsizetype lastParen = line.first(body).lastIndexOf(QLatin1Char(')'));
    for (qsizetype at = line.first(body).lastIndexOf(marker); at >= 0 && at + marker.size() > lastParen;
         at = at > 0 ? line.first(at + marker.size() - 1).lastIndexOf(marker) : -1) {
        const QStringView rest = line.sliced(at + marker.size(), body - at - marker.size());
        if (rest.isEmpty() || rest.front() == QLatin1Char(';'))
            continue;
        const qsizetype semicolon = rest.indexOf(QLatin1Char(';'));
        issue.msg = line.first(at).trimmed().toString();
        issue.type = (semicolon < 0 ? rest : rest.first(semicolon)).trimmed().toString();
        return true;
    }
    return false;
}

QStringList splitLoc(const QString &loc, bool v2)
{
    if (loc.isEmpty())
        return {};
    if (v2)
        return loc.split(QLatin1Char('.'));
    return loc.split(QLatin1String(" -> "));
}

int indentOf(const QString &line)
{
    int n = 0;
    while (n < line.size() && line.at(n) == QLatin1Char(' '))
        ++n;
    return n;
}

} // namespace

QList<ValidationIssue> parsePydanticErrors(const QString &text)
{
    static const QRegularExpression header(QStringLiteral(R"(^\s*\d+ validation errors? for \S.*$)"));
    const QStringList lines = text.split(QLatin1Char('\n'));
    QList<ValidationIssue> issues;
    if (lines.isEmpty() || !header.match(lines.first()).hasMatch())
        return issues;

    QString loc; // empty: a model-level error (v2 prints no loc line for those)
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const QString &line = lines.at(i);
        if (line.trimmed().isEmpty())
            continue;
        const int indent = indentOf(line);
        if (indent == 0) {
            loc = line.trimmed();
            continue;
        }
        if (indent >= 4) // v2's "For further information visit …"
            continue;
        ValidationIssue issue;
        if (parseV2Line(line, issue)) {
            issue.loc = splitLoc(loc, true);
        } else if (parseV1Line(line, issue)) {
            issue.loc = splitLoc(loc, false);
        } else {
            issue.msg = line.trimmed();
            issue.loc = splitLoc(loc, false);
        }
        issues.append(issue);
    }
    return issues;
}

} // namespace faultline::detail
