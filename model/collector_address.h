#pragma once
// The collector's address, "HOST:PORT" or "[V6]:PORT", as `--listen`, the stored
// setting and the settings dialog take it. One parser, so the dialog never accepts
// an address the next start refuses (it once took `myhost:8990`, and the start
// exited with code 2).
#include <QString>

#include <optional>

namespace faultline {

inline constexpr quint16 kDefaultCollectorPort = 8990;
inline constexpr const char *kDefaultCollectorHostPort = "127.0.0.1:8990";

struct CollectorAddress {
    QString host; // an IPv4 or IPv6 address in text form ("localhost" becomes 127.0.0.1)
    quint16 port = 0; // 0: any free port
};

// The address, or nullopt and *problem saying what is wrong in words a user can act on.
std::optional<CollectorAddress> parseCollectorAddress(const QString &text, QString *problem);

} // namespace faultline
