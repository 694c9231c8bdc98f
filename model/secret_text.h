#pragma once
// Secrets by their shape inside any string value (breadcrumb messages, tags,
// frame locals, exception values): Relay's default PII rules for free text, as
// one table. The Qt rewrite (scrubSecrets, scrubbedPage) and the collector's
// read-only simdjson check (needsScrubbing) both walk it, and each rule's scan is
// one function template instantiated for UTF-16 and for UTF-8, so a rule cannot
// be added to one path and not the other (tests/model/tst_scrub_rules.cpp).
//
// - a whole value shaped like an Authorization header ("Bearer abc…", "Basic …")
// - passwords in URLs, "postgres://admin:PW@db" → the password
// - credit-card numbers: 13-19 digits starting with 2-6, optionally in groups
//   of 4-6 separated by one space or dash, Luhn-checked → the whole number
// - US social security numbers ddd-dd-dddd → the whole number
// - `Bearer <token>` anywhere (token ≥ 8 characters with a digit) → the token
// - `key=value` where the key names a secret (`?token=`, `api_key=`,
//   `password=`, …) → the value; the key stays
// - PEM private keys → the body between BEGIN … PRIVATE KEY and END lines
#include "model/text_scan.h"

#include <QString>

#include <optional>
#include <span>
#include <string_view>

namespace faultline {

// Rules a project may turn off (its scrub opt-outs, model/scrub.h); the rest always apply.
enum ScrubOptOut : unsigned {
    KeepCreditCards = 1,
    KeepUsSsns = 2,
    KeepBearerTokens = 4,
    KeepUrlPasswords = 8,
    KeepPrivateKeys = 16,
};

// Characters without which a rule cannot match. One pass over a string finds
// which occur: most strings hold too few digits for a card or an SSN, and no 'b', '=', '-' or "://".
enum TextTrigger : unsigned {
    NineDigits = 1, // an SSN has 9 digits, a card 13
    LetterB = 2, // 'b' or 'B'
    Equals = 4,
    Dash = 8,
    Colon = 16,
    At = 32,
};

// Where a text rule applies: every string value of an event, or also a stored HTML page.
enum class TextScope { Value, Page };

struct TextRule {
    const char *name; // Relay's name where a project may opt out ("creditcard"), else what it finds
    unsigned optOut; // the ScrubOptOut bit that turns it off; 0: it always applies
    unsigned triggers; // TextTrigger bits that must all occur in a text it matches
    bool wholeValue; // it filters a whole string value (never part of a page)
    // The ranges to filter in a UTF-16 text; whether there is one in a UTF-8 text.
    void (*find)(QStringView text, text_scan::RangeSink found);
    bool (*occursIn)(std::string_view utf8);
    const char *example; // a text it filters and no other rule does (the table's test)
};

// In the order they apply: a later rule sees the earlier ones' "[Filtered]".
std::span<const TextRule> textRules();

// TextTrigger bits of the characters in the text.
unsigned textTriggers(QStringView text);
unsigned textTriggers(std::string_view utf8);

// The text with every match replaced by "[Filtered]"; nothing when none matched.
// `keep`: ScrubOptOut bits of rules that do not apply.
std::optional<QString> withTextSecretsFiltered(QStringView text, unsigned keep, TextScope scope);

// Whether withTextSecretsFiltered() would change the same text, given as UTF-8.
bool hasTextSecret(std::string_view utf8, unsigned keep, TextScope scope);

} // namespace faultline
