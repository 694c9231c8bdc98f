#include "storage/raw_codec.h"

#include <zstd.h>

namespace faultline {

QByteArray compressRaw(const QByteArray &json)
{
    QByteArray out(qsizetype(ZSTD_compressBound(size_t(json.size()))), Qt::Uninitialized);
    const size_t written = ZSTD_compress(out.data(), size_t(out.size()), json.constData(), size_t(json.size()), 3);
    if (ZSTD_isError(written))
        return {};
    out.truncate(qsizetype(written));
    return out;
}

QByteArray decompressRaw(const QByteArray &compressed, qint64 originalSize)
{
    if (originalSize < 0 || compressed.isEmpty())
        return {};
    QByteArray out(qsizetype(originalSize), Qt::Uninitialized);
    const size_t written
        = ZSTD_decompress(out.data(), size_t(out.size()), compressed.constData(), size_t(compressed.size()));
    if (ZSTD_isError(written) || qint64(written) != originalSize)
        return {};
    return out;
}

} // namespace faultline
