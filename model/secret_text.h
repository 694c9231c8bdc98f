#pragma once
// Secrets by their shape inside any string value (breadcrumb messages, tags,
// frame locals, exception values): Relay's default PII rules for free text.
// Each rule is one hand-written linear scan, instantiated for UTF-16 (the Qt
// rewrite) and for UTF-8 bytes (the collector's read-only simdjson check), so
// both paths find exactly the same things.
//
// - credit-card numbers: 13-19 digits starting with 2-6, optionally in groups
//   of 4-6 separated by one space or dash, Luhn-checked → the whole number
// - US social security numbers ddd-dd-dddd → the whole number
// - `Bearer <token>` anywhere (token ≥ 8 characters with a digit) → the token
// - `key=value` where the key names a secret (`?token=`, `api_key=`,
//   `password=`, …) → the value; the key stays
// - PEM private keys → the body between BEGIN … PRIVATE KEY and END lines
#include <QString>

#include <optional>
#include <string_view>

namespace faultline {

// Rules a project may turn off (its scrub opt-outs, model/scrub.h); the rest always apply.
enum ScrubOptOut : unsigned {
    KeepCreditCards = 1,
    KeepUsSsns = 2,
    KeepBearerTokens = 4,
    KeepUrlPasswords = 8, // applied in model/scrub.cpp
    KeepPrivateKeys = 16,
};

// The text with every match replaced by "[Filtered]"; nothing when none matched.
// `keep`: ScrubOptOut bits of rules that do not apply.
std::optional<QString> withTextSecretsFiltered(QStringView text, unsigned keep = 0);

// Whether withTextSecretsFiltered() would change the same text, given as UTF-8.
bool hasTextSecret(std::string_view utf8, unsigned keep = 0);

} // namespace faultline
