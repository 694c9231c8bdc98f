#include "model/collector_address.h"

#include <arpa/inet.h>

namespace faultline {

namespace {

bool isIpAddress(const QString &host)
{
    const QByteArray text = host.toLatin1();
    unsigned char buffer[sizeof(in6_addr)];
    return inet_pton(AF_INET, text.constData(), buffer) == 1 || inet_pton(AF_INET6, text.constData(), buffer) == 1;
}

} // namespace

std::optional<CollectorAddress> parseCollectorAddress(const QString &text, QString *problem)
{
    const QString trimmed = text.trimmed();
    const qsizetype colon = trimmed.lastIndexOf(u':');
    if (colon <= 0) {
        *problem
            = QStringLiteral("write the address as host:port, e.g. %1").arg(QLatin1String(kDefaultCollectorHostPort));
        return std::nullopt;
    }
    QString host = trimmed.left(colon);
    if (host.startsWith(u'[') && host.endsWith(u']'))
        host = host.mid(1, host.size() - 2);
    if (host == u"localhost")
        host = QStringLiteral("127.0.0.1");
    if (!isIpAddress(host)) {
        *problem = QStringLiteral("'%1' is not an IP address (use 127.0.0.1 for this machine only, 0.0.0.0 for "
                                  "every interface, or [::1])")
                       .arg(host);
        return std::nullopt;
    }
    bool isNumber = false;
    const uint port = trimmed.mid(colon + 1).toUInt(&isNumber);
    if (!isNumber || port > 65535) {
        *problem = QStringLiteral("'%1' is not a port number (0 to 65535)").arg(trimmed.mid(colon + 1));
        return std::nullopt;
    }
    return CollectorAddress { host, quint16(port) };
}

} // namespace faultline
