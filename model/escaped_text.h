#pragma once
// Text that came from outside (a request path, an event title) made safe to
// write to a log line or a terminal: control characters become visible escapes
// the way nginx writes them (\x0A, \x1B), so nobody can forge a log line, move
// the cursor or ring the bell with what they sent.
#include <QString>
#include <QStringView>

namespace faultline {

enum class Backslash { Keep, Escape };

// C0 controls, DEL, C1 controls and the bidirectional overrides (which reorder
// what a terminal shows) as \xXX or \u{XXXX}. In a log a backslash becomes \x5C
// (Backslash::Escape), so an escape in the input cannot pass for one of ours; a
// table for people keeps Windows paths readable (Backslash::Keep). With `maxChars`
// >= 0 the result is cut to about that many characters and ends in "…".
QString escapedText(QStringView text, Backslash backslash, qsizetype maxChars = -1);

} // namespace faultline
