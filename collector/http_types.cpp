#include "collector/http_types.h"

namespace faultline {

QByteArray HttpRequest::header(QByteArrayView name) const
{
    QByteArray joined;
    for (const auto &[key, value] : headers) {
        if (key.compare(name, Qt::CaseInsensitive) != 0)
            continue;
        if (!joined.isEmpty())
            joined += ", ";
        joined += value;
    }
    return joined;
}

QString HttpRequest::peerAddress() const
{
    const qsizetype colon = peer.lastIndexOf(QLatin1Char(':'));
    const QString address = colon > 0 ? peer.left(colon) : QString();
    return QHostAddress(address).isNull() ? QString() : address;
}

} // namespace faultline
