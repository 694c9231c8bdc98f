#pragma once
// Which JSON keys name a secret (Relay's @password key names and more),
// classified once per thread for both the Qt rewrite and the simdjson check.
#include <QString>

#include <string_view>

namespace faultline {

struct KeyClass {
    bool sensitive = false;
    // sentry-cli's extra.environ (and similar dumps of a process environment):
    // every variable may be a secret, the names alone are useful.
    bool environmentDump = false;
};

KeyClass classifyKey(const QString &key);
KeyClass classifyKey(std::string_view key);
bool isSensitiveKey(const QString &key);

} // namespace faultline
