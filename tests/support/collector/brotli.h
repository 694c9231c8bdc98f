#pragma once
// Brotli-compresses a body as an SDK with `Content-Encoding: br` would (the
// collector only decodes, so the encoder is the tests' own).
#include <QByteArray>

namespace faultline::test {

QByteArray brotli(const QByteArray &data);

} // namespace faultline::test
