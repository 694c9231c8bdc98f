#pragma once
// Compression of the stored original event JSON: zstd (level 3) primed with a
// dictionary of typical sentry-python events, which roughly halves what plain
// zstd leaves of a small event (the SDK's keys, module lists and contexts
// repeat in every event). Rows written before the dictionary existed (plain
// zstd frames) still read back.
#include <QByteArray>

namespace faultline {

QByteArray compressRaw(const QByteArray &json);
// Empty on corrupt input; `originalSize` is events.raw_size, the decompression bound.
QByteArray decompressRaw(const QByteArray &compressed, qint64 originalSize);

} // namespace faultline
