#pragma once
// --listen and the stored address as a QHostAddress: model/collector_address.h parses both.
#include <QHostAddress>
#include <QString>

#include <optional>

namespace faultline {

struct ListenAddress {
    QHostAddress host;
    quint16 port = 0;
};

std::optional<ListenAddress> parseListenAddress(const QString &text, QString *error);

} // namespace faultline
