#pragma once
// Which JSON keys name a secret (Relay's @password key names and more),
// classified once per thread for both the Qt rewrite and the simdjson check.
#include <QString>

#include <span>
#include <string_view>

namespace faultline {

struct KeyClass {
    bool sensitive = false;
    // sentry-cli's extra.environ (and similar dumps of a process environment):
    // every variable may be a secret, the names alone are useful.
    bool environmentDump = false;
};

// How a key rule matches the key's lower-case words ("x-auth-token" → x, auth, token).
enum class KeyMatch {
    InJoinedWords, // anywhere in the words joined: "apikey" in "apiKey", "x_api_key"
    Word, // one whole word: "pin" in "card_pin", not in "spinner"
    WordPrefix, // the start of a word: "auth" in "authn"
    LastWord, // the last word: "environ" in "extra.environ"
};

struct KeyRule {
    const char *text;
    KeyMatch match;
    const char *unlessPrefix; // WordPrefix: not when the word starts with this ("author" for "auth")
    bool environmentDump; // sets KeyClass::environmentDump rather than sensitive
};

// The table classifyKey() applies, for both the Qt rewrite and the simdjson check (which share classifyKey).
std::span<const KeyRule> keyRules();

KeyClass classifyKey(const QString &key);
KeyClass classifyKey(std::string_view key);
bool isSensitiveKey(const QString &key);

} // namespace faultline
