#pragma once
// Content-Encoding decoding (identity, gzip, deflate, br, zstd) as a stream
// with a hard cap on the output, so a decompression bomb stops at the limit
// instead of filling memory.
#include <QByteArray>
#include <QString>

namespace faultline {

struct DecodeResult {
    enum class Status { Ok, TooLarge, Malformed, Unsupported };
    Status status = Status::Ok;
    QByteArray data;
    QString error; // for a person, when status != Ok

    bool ok() const { return status == Status::Ok; }
};

// `encoding` is the Content-Encoding header value (case-insensitive; "" = identity).
DecodeResult decodeContent(const QByteArray &body, const QByteArray &encoding, qint64 maxOutputBytes);

// A `/store/` body after its Content-Encoding. Legacy clients (raven-go, the
// npm `raven` package, sentry-raven for Ruby) send base64 of zlib-deflated
// JSON with no header saying so. As Sentry's Relay does: a body that starts
// with `{` is JSON; anything else is base64, which is JSON or zlib (inflated
// under the same output cap).
DecodeResult decodeStoreBody(const QByteArray &body, qint64 maxOutputBytes);

// Decodes only as far as the first line (up to and including its '\n', or all of a
// body without one): the envelope header, read to authenticate a request before
// paying for the rest. TooLarge when `maxLineBytes` pass without a line end.
DecodeResult decodeFirstLine(const QByteArray &body, const QByteArray &encoding, qint64 maxLineBytes);

} // namespace faultline
