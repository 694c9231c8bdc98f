#pragma once
// What stays the same between two renderings of one error page. Templates put
// request ids, CSRF tokens, nonces, timestamps and UUIDs into every page, so
// the bytes never repeat; the shape masks those values and collapses
// whitespace, so pages from the same template (with the same text) share it.
#include <QByteArray>

namespace faultline {

// Linear, no backtracking (pages come from the network):
//  - a run of whitespace becomes one space;
//  - a run of [A-Za-z0-9+/=_-] becomes `<id>` when it is a hex id (8+ hex
//    digits and dashes with a decimal digit: request ids, UUIDs, hashes) or
//    looks random (16+ characters with digits and both cases: CSRF tokens,
//    base64 nonces, JWT parts);
//  - otherwise each piece of it between / - _ becomes `<id>` when it is a hex
//    id, else keeps its letters with every digit run as `<n>` (timestamps,
//    counters, ports, ids in paths);
//  - everything else is kept as it is.
QByteArray pageShape(const QByteArray &page);

// SHA-256 of pageShape(), as lower-case hex: the key pages are grouped by.
QByteArray pageShapeHash(const QByteArray &page);

} // namespace faultline
