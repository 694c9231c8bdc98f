#include "storage/raw_codec.h"

#include <QFile>
#include <QJsonDocument>

#include <zstd.h>

#include <memory>

namespace faultline {

namespace {

// Stored rows start with this byte when compressed with dictionary v1. A
// shipped dictionary must never change: add v2 with its own marker instead.
constexpr char kDictionaryV1Marker = char(0xD1);
constexpr int kLevel = 3;

QByteArray loadDictionary()
{
    QFile file(QStringLiteral(":/faultline/dictionaries/sentry_python_v1.dict"));
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

struct Dictionary {
    QByteArray bytes = loadDictionary();
    std::unique_ptr<ZSTD_CDict, size_t (*)(ZSTD_CDict *)> compress {
        bytes.isEmpty() ? nullptr : ZSTD_createCDict(bytes.constData(), size_t(bytes.size()), kLevel), ZSTD_freeCDict
    };
    std::unique_ptr<ZSTD_DDict, size_t (*)(ZSTD_DDict *)> decompress {
        bytes.isEmpty() ? nullptr : ZSTD_createDDict(bytes.constData(), size_t(bytes.size())), ZSTD_freeDDict
    };
};

const Dictionary &dictionary()
{
    static const Dictionary instance; // read-only after construction; safe to share between threads
    return instance;
}

ZSTD_CCtx *compressionContext()
{
    thread_local std::unique_ptr<ZSTD_CCtx, size_t (*)(ZSTD_CCtx *)> context(ZSTD_createCCtx(), ZSTD_freeCCtx);
    return context.get();
}

ZSTD_DCtx *decompressionContext()
{
    thread_local std::unique_ptr<ZSTD_DCtx, size_t (*)(ZSTD_DCtx *)> context(ZSTD_createDCtx(), ZSTD_freeDCtx);
    return context.get();
}

} // namespace

QByteArray compressRaw(const QByteArray &json)
{
    const Dictionary &dict = dictionary();
    QByteArray out(1 + qsizetype(ZSTD_compressBound(size_t(json.size()))), Qt::Uninitialized);
    size_t written = 0;
    if (dict.compress) {
        out[0] = kDictionaryV1Marker;
        written = ZSTD_compress_usingCDict(compressionContext(), out.data() + 1, size_t(out.size() - 1),
            json.constData(), size_t(json.size()), dict.compress.get());
        if (ZSTD_isError(written))
            return {};
        ++written;
    } else {
        written = ZSTD_compressCCtx(
            compressionContext(), out.data(), size_t(out.size()), json.constData(), size_t(json.size()), kLevel);
        if (ZSTD_isError(written))
            return {};
    }
    out.truncate(qsizetype(written));
    return out;
}

QByteArray decompressRaw(const QByteArray &compressed, qint64 originalSize)
{
    if (originalSize < 0 || compressed.isEmpty())
        return {};
    QByteArray out(qsizetype(originalSize), Qt::Uninitialized);
    size_t written = 0;
    if (compressed.front() == kDictionaryV1Marker) {
        const Dictionary &dict = dictionary();
        if (!dict.decompress)
            return {};
        written = ZSTD_decompress_usingDDict(decompressionContext(), out.data(), size_t(out.size()),
            compressed.constData() + 1, size_t(compressed.size() - 1), dict.decompress.get());
    } else {
        written = ZSTD_decompressDCtx(
            decompressionContext(), out.data(), size_t(out.size()), compressed.constData(), size_t(compressed.size()));
    }
    if (ZSTD_isError(written) || qint64(written) != originalSize)
        return {};
    return out;
}

StoredRaw prepareStoredRaw(const QJsonObject &raw)
{
    return prepareStoredRaw(QJsonDocument(raw).toJson(QJsonDocument::Compact));
}

StoredRaw prepareStoredRaw(const QByteArray &json) { return StoredRaw { compressRaw(json), qint64(json.size()) }; }

} // namespace faultline
