#include "app/listen_address.h"

namespace faultline {

std::optional<ListenAddress> parseListenAddress(const QString &text, QString *error)
{
    const qsizetype colon = text.lastIndexOf(QLatin1Char(':'));
    if (colon <= 0) {
        *error = QStringLiteral("--listen expects HOST:PORT, e.g. 127.0.0.1:8990");
        return std::nullopt;
    }
    QString host = text.left(colon);
    if (host.startsWith(QLatin1Char('[')) && host.endsWith(QLatin1Char(']')))
        host = host.mid(1, host.size() - 2);
    if (host == QLatin1String("localhost"))
        host = QStringLiteral("127.0.0.1");
    bool ok = false;
    const uint port = text.mid(colon + 1).toUInt(&ok);
    QHostAddress address;
    if (!address.setAddress(host)) {
        *error = QStringLiteral("--listen: '%1' is not an IP address").arg(host);
        return std::nullopt;
    }
    if (!ok || port > 65535) {
        *error = QStringLiteral("--listen: '%1' is not a port number").arg(text.mid(colon + 1));
        return std::nullopt;
    }
    return ListenAddress{address, quint16(port)};
}

}  // namespace faultline
