#pragma once
// Compression of the stored original event JSON: zstd (level 3) primed with a
// dictionary of typical sentry-python events, which roughly halves what plain
// zstd leaves of a small event (the SDK's keys, module lists and contexts
// repeat in every event). Rows written before the dictionary existed (plain
// zstd frames) still read back.
#include <QByteArray>
#include <QJsonObject>

namespace faultline {

QByteArray compressRaw(const QByteArray &json);
// Empty on corrupt input; `originalSize` is events.raw_size, the decompression bound.
QByteArray decompressRaw(const QByteArray &compressed, qint64 originalSize);

// event.raw as it is stored: compact JSON, compressed.
struct StoredRaw {
    QByteArray compressed;
    qint64 size = 0; // bytes of the compact JSON
    bool isEmpty() const { return compressed.isEmpty(); }
};

// Done by whoever hands the event to the writer, so the one writer thread does not.
StoredRaw prepareStoredRaw(const QJsonObject &raw);
// The same for JSON text that is already what must be stored (the event as the client sent it).
StoredRaw prepareStoredRaw(const QByteArray &json);

} // namespace faultline
