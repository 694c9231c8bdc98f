#pragma once
// What the request head gate (collector/request_head_gate.h) decides from the
// first bytes of a connection, peeked before libmicrohttpd reads them: wait for
// more, hand the socket over, or refuse it with our own JSON answer. Pure: the
// bytes in, a verdict out, so every case is tested without a socket.
//
// It refuses only what libmicrohttpd 0.9.75 would answer itself, badly
// (src/microhttpd/connection.c, tag v0.9.75): a first Content-Length it cannot
// parse (its 413 or 400 head goes out twice: parse_connection_headers() then
// MHD_connection_handle_idle() overwriting the state), and a first chunk whose
// size is over the body limit (2^64-1 fits its parser and is then waited for
// with no callback of ours). Everything else is libmicrohttpd's, unchanged.
#include "collector/http_types.h"
#include "collector/ingest_error.h"

#include <QByteArrayView>

#include <optional>

namespace faultline {

struct HeadLimits {
    qint64 maxBodyBytes = 0;
    // Past this many bytes without the end of the head, libmicrohttpd gets the
    // socket and answers the oversized head itself (its memory limit is 64 KiB).
    qsizetype maxHeadBytes = 64 * 1024;
};

struct HeadVerdict {
    enum class Action {
        NeedMore, // the head, or the first chunk-size line, is not all there yet
        HandOver, // libmicrohttpd reads it as it is
        Refuse, // `refusal`, then close
    };
    Action action = Action::NeedMore;
    std::optional<IngestError> refusal;
    qsizetype headBytes = 0; // the head's length with its empty line; 0 = not complete yet
};

// `bytes`: everything received so far on a fresh connection (or after a request).
HeadVerdict judgeRequestHead(QByteArrayView bytes, const HeadLimits &limits);

// The request line and headers of a complete head, as libmicrohttpd would give
// them (path percent-decoded, without the query): for the log and the refusal's
// answer. No body, no peer.
HttpRequest parseRequestHead(QByteArrayView head);

} // namespace faultline
