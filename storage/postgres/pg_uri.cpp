#include "storage/postgres/pg_uri.h"

#include <QRegularExpression>
#include <QStringList>

#include <libpq-fe.h>

namespace faultline {

namespace {

const QString kMask = QStringLiteral("***");

bool isSecretKeyword(QStringView key)
{
    return key.compare(u"password", Qt::CaseInsensitive) == 0 || key.compare(u"sslpassword", Qt::CaseInsensitive) == 0;
}

// "user:secret@host" → "user:***@host". libpq ends the credentials at the
// first '@' met before any '/', so a password with a raw '/' is not one to it
// either (it must be percent-encoded).
QString maskUserInfo(const QString &uri, qsizetype authorityStart)
{
    qsizetype at = -1;
    for (qsizetype i = authorityStart; i < uri.size(); ++i) {
        if (uri.at(i) == u'/')
            break;
        if (uri.at(i) == u'@') {
            at = i;
            break;
        }
    }
    if (at < 0)
        return uri;
    const qsizetype colon = uri.indexOf(u':', authorityStart);
    if (colon < 0 || colon > at)
        return uri;
    return uri.left(colon + 1) + kMask + uri.mid(at);
}

QString maskQueryParameters(const QString &uri)
{
    const qsizetype question = uri.indexOf(u'?');
    if (question < 0)
        return uri;
    QStringList parameters = uri.mid(question + 1).split(u'&');
    for (QString &parameter : parameters) {
        const qsizetype equals = parameter.indexOf(u'=');
        if (equals > 0 && isSecretKeyword(QStringView(parameter).left(equals)))
            parameter = parameter.left(equals + 1) + kMask;
    }
    return uri.left(question + 1) + parameters.join(u'&');
}

// key = value pairs; a value may be single-quoted with backslash escapes.
QString maskKeywordValues(const QString &conninfo)
{
    static const QRegularExpression pair(
        QStringLiteral(R"((\w+)\s*=\s*('(?:[^'\\]|\\.)*'?|\S*))"), QRegularExpression::UseUnicodePropertiesOption);
    QString masked;
    qsizetype copied = 0;
    for (auto it = pair.globalMatch(conninfo); it.hasNext();) {
        const QRegularExpressionMatch match = it.next();
        if (!isSecretKeyword(match.capturedView(1)))
            continue;
        masked += QStringView(conninfo).mid(copied, match.capturedStart(2) - copied);
        masked += kMask;
        copied = match.capturedEnd(2);
    }
    masked += QStringView(conninfo).mid(copied);
    return masked;
}

} // namespace

QString connectionStringForLog(const QString &text)
{
    const qsizetype scheme = postgresUriSchemeLength(text);
    if (scheme < 0)
        return maskKeywordValues(text);
    return maskQueryParameters(maskUserInfo(text, scheme));
}

QString postgresServerName(const QString &text)
{
    char *parseError = nullptr;
    PQconninfoOption *options = PQconninfoParse(text.toUtf8().constData(), &parseError);
    if (!options) {
        PQfreemem(parseError);
        return connectionStringForLog(text);
    }
    QString host = qEnvironmentVariable("PGHOST");
    QString port = qEnvironmentVariable("PGPORT");
    QString database = qEnvironmentVariable("PGDATABASE");
    for (PQconninfoOption *option = options; option->keyword; ++option) {
        if (!option->val || !*option->val)
            continue;
        const QString value = QString::fromUtf8(option->val);
        if (qstrcmp(option->keyword, "host") == 0)
            host = value;
        else if (qstrcmp(option->keyword, "port") == 0)
            port = value;
        else if (qstrcmp(option->keyword, "dbname") == 0)
            database = value;
    }
    PQconninfoFree(options);
    if (host.isEmpty() || host.startsWith(u'/')) // a Unix socket's directory: no one reads a path as a place
        return database.isEmpty() ? QStringLiteral("the local socket")
                                  : QStringLiteral("%1 on the local socket").arg(database);
    const QString server = port.isEmpty() ? host : QStringLiteral("%1:%2").arg(host, port);
    return database.isEmpty() ? server : QStringLiteral("%1/%2").arg(server, database);
}

} // namespace faultline
