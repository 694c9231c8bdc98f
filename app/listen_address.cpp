#include "app/listen_address.h"

#include "model/collector_address.h"

namespace faultline {

std::optional<ListenAddress> parseListenAddress(const QString &text, QString *error)
{
    QString problem;
    const std::optional<CollectorAddress> parsed = parseCollectorAddress(text, &problem);
    if (!parsed) {
        *error = QStringLiteral("--listen: %1").arg(problem);
        return std::nullopt;
    }
    return ListenAddress { QHostAddress(parsed->host), parsed->port };
}

} // namespace faultline
