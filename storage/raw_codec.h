#pragma once
// zstd for the stored original event JSON (level 3: ~4x smaller, fast enough
// for the writer thread and for paging through events).
#include <QByteArray>

namespace faultline {

QByteArray compressRaw(const QByteArray &json);
// Empty on corrupt input; `originalSize` is events.raw_size, the decompression bound.
QByteArray decompressRaw(const QByteArray &compressed, qint64 originalSize);

} // namespace faultline
