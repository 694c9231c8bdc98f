#pragma once
// Messages as grouping sees them: the values that change from one occurrence
// of the same bug to the next masked, so "user 1234 not found" and "user 5678
// not found" are one issue (Sentry and Bugsink do the same). The original text
// stays what the user reads.
#include <QString>
#include <QStringView>

namespace faultline {

// Masks, per whitespace/punctuation-separated token: e-mail addresses
// (<email>), UUIDs (<uuid>), ISO dates and clock times (<timestamp>), IPv4/IPv6
// addresses (<ip>), 0x… and long hex ids (<hex>), and free-standing numbers
// (<int>, <float>; epoch timestamps are numbers). Digits inside words
// ("utf8", "v2", "http2") stay. One pass with a bounded look at each token:
// linear in the input, whatever it holds.
QString normalizeMessageForGrouping(QStringView message);

} // namespace faultline
