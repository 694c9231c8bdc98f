#pragma once
// "HOST:PORT" / "[v6]:PORT" parsing for --listen.
#include <QHostAddress>
#include <QString>

#include <optional>

namespace faultline {

struct ListenAddress {
    QHostAddress host;
    quint16 port = 0;
};

std::optional<ListenAddress> parseListenAddress(const QString &text, QString *error);

}  // namespace faultline
