#include "collector/content_decoder.h"

#include <brotli/decode.h>
#include <zlib.h>
#include <zstd.h>

#include <array>
#include <cstring>
#include <memory>

namespace faultline {

namespace {

constexpr size_t kChunk = 64 * 1024;

// Where decoding stops: past the limit (an error), or, for a prefix, after the first line.
struct OutputLimit {
    qint64 maxBytes;
    bool firstLineOnly = false;

    enum class Step { More, Done, TooLarge };
    Step append(QByteArray &out, const char *data, qint64 size) const
    {
        if (firstLineOnly) {
            if (const void *newline = std::memchr(data, '\n', size_t(size))) {
                const qint64 line = static_cast<const char *>(newline) - data + 1;
                if (out.size() + line > maxBytes)
                    return Step::TooLarge;
                out.append(data, qsizetype(line));
                return Step::Done;
            }
        }
        if (out.size() + size > maxBytes)
            return Step::TooLarge;
        out.append(data, qsizetype(size));
        return Step::More;
    }
};

DecodeResult tooLarge(qint64 limit)
{
    return { DecodeResult::Status::TooLarge, {},
        QStringLiteral("decompressed body exceeds the %1 byte limit").arg(limit) };
}

DecodeResult malformed(const QString &what) { return { DecodeResult::Status::Malformed, {}, what }; }

// windowBits: 15+32 = gzip or zlib auto-detected; -15 = raw deflate.
DecodeResult inflateWith(const QByteArray &body, int windowBits, OutputLimit output, const char *name)
{
    z_stream stream {};
    if (inflateInit2(&stream, windowBits) != Z_OK)
        return malformed(QStringLiteral("cannot initialise %1 decoder").arg(QLatin1String(name)));
    std::unique_ptr<z_stream, int (*)(z_stream *)> guard(&stream, inflateEnd);

    stream.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(body.constData()));
    stream.avail_in = uInt(body.size());
    QByteArray out;
    std::array<char, kChunk> buffer;
    int rc = Z_OK;
    while (rc != Z_STREAM_END) {
        stream.next_out = reinterpret_cast<Bytef *>(buffer.data());
        stream.avail_out = uInt(buffer.size());
        rc = inflate(&stream, Z_NO_FLUSH);
        if (rc != Z_OK && rc != Z_STREAM_END && !(rc == Z_BUF_ERROR && stream.avail_in > 0))
            return malformed(QStringLiteral("body is not valid %1 data (%2)")
                                 .arg(QLatin1String(name), QLatin1String(stream.msg ? stream.msg : "truncated")));
        const qint64 produced = qint64(buffer.size() - stream.avail_out);
        const OutputLimit::Step step = output.append(out, buffer.data(), produced);
        if (step == OutputLimit::Step::TooLarge)
            return tooLarge(output.maxBytes);
        if (step == OutputLimit::Step::Done)
            break;
        if (rc != Z_STREAM_END && stream.avail_in == 0 && produced == 0)
            return malformed(QStringLiteral("%1 body is truncated").arg(QLatin1String(name)));
    }
    return { DecodeResult::Status::Ok, out, {} };
}

DecodeResult decodeBrotli(const QByteArray &body, OutputLimit output)
{
    std::unique_ptr<BrotliDecoderState, void (*)(BrotliDecoderState *)> state(
        BrotliDecoderCreateInstance(nullptr, nullptr, nullptr), BrotliDecoderDestroyInstance);
    size_t availableIn = size_t(body.size());
    const auto *nextIn = reinterpret_cast<const uint8_t *>(body.constData());
    QByteArray out;
    std::array<uint8_t, kChunk> buffer;
    for (;;) {
        size_t availableOut = buffer.size();
        uint8_t *nextOut = buffer.data();
        const BrotliDecoderResult rc
            = BrotliDecoderDecompressStream(state.get(), &availableIn, &nextIn, &availableOut, &nextOut, nullptr);
        const qint64 produced = qint64(buffer.size() - availableOut);
        const OutputLimit::Step step = output.append(out, reinterpret_cast<const char *>(buffer.data()), produced);
        if (step == OutputLimit::Step::TooLarge)
            return tooLarge(output.maxBytes);
        if (step == OutputLimit::Step::Done || rc == BROTLI_DECODER_RESULT_SUCCESS)
            return { DecodeResult::Status::Ok, out, {} };
        if (rc == BROTLI_DECODER_RESULT_ERROR)
            return malformed(QStringLiteral("body is not valid br data (%1)")
                                 .arg(QLatin1String(BrotliDecoderErrorString(BrotliDecoderGetErrorCode(state.get())))));
        if (rc == BROTLI_DECODER_RESULT_NEEDS_MORE_INPUT)
            return malformed(QStringLiteral("br body is truncated"));
    }
}

DecodeResult decodeZstd(const QByteArray &body, OutputLimit output)
{
    const OutputLimit &limit = output;
    std::unique_ptr<ZSTD_DStream, size_t (*)(ZSTD_DStream *)> stream(ZSTD_createDStream(), ZSTD_freeDStream);
    ZSTD_initDStream(stream.get());
    ZSTD_inBuffer input { body.constData(), size_t(body.size()), 0 };
    QByteArray out;
    std::array<char, kChunk> buffer;
    size_t rc = 1;
    while (input.pos < input.size || rc != 0) {
        ZSTD_outBuffer output { buffer.data(), buffer.size(), 0 };
        rc = ZSTD_decompressStream(stream.get(), &output, &input);
        if (ZSTD_isError(rc))
            return malformed(
                QStringLiteral("body is not valid zstd data (%1)").arg(QLatin1String(ZSTD_getErrorName(rc))));
        const OutputLimit::Step step = limit.append(out, buffer.data(), qint64(output.pos));
        if (step == OutputLimit::Step::TooLarge)
            return tooLarge(limit.maxBytes);
        if (step == OutputLimit::Step::Done)
            break;
        if (input.pos == input.size && output.pos == 0 && rc != 0)
            return malformed(QStringLiteral("zstd body is truncated"));
    }
    return { DecodeResult::Status::Ok, out, {} };
}

bool startsLikeJson(const QByteArray &body)
{
    for (const char c : body) {
        if (c != ' ' && c != '\t' && c != '\r' && c != '\n')
            return c == '{';
    }
    return false;
}

bool isBase64Text(const QByteArray &body)
{
    const QByteArray text = body.trimmed();
    if (text.isEmpty())
        return false;
    for (const char c : text) {
        const bool alphabet = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+'
            || c == '/' || c == '=';
        if (!alphabet)
            return false;
    }
    return true;
}

DecodeResult decode(const QByteArray &body, const QByteArray &encoding, OutputLimit limit)
{
    const QByteArray name = encoding.trimmed().toLower();
    if (name.isEmpty() || name == "identity") {
        if (limit.firstLineOnly) {
            QByteArray out;
            if (limit.append(out, body.constData(), body.size()) == OutputLimit::Step::TooLarge)
                return tooLarge(limit.maxBytes);
            return { DecodeResult::Status::Ok, out, {} };
        }
        if (body.size() > limit.maxBytes)
            return tooLarge(limit.maxBytes);
        return { DecodeResult::Status::Ok, body, {} };
    }
    if (name == "gzip" || name == "x-gzip")
        return inflateWith(body, 15 + 16, limit, "gzip");
    if (name == "deflate") {
        // HTTP "deflate" is zlib-wrapped, but some clients send raw deflate.
        DecodeResult wrapped = inflateWith(body, 15, limit, "deflate");
        if (wrapped.status != DecodeResult::Status::Malformed)
            return wrapped;
        return inflateWith(body, -15, limit, "deflate");
    }
    if (name == "br")
        return decodeBrotli(body, limit);
    if (name == "zstd")
        return decodeZstd(body, limit);
    return { DecodeResult::Status::Unsupported, {},
        QStringLiteral("unsupported Content-Encoding '%1' (use gzip, deflate, br, zstd or identity)")
            .arg(QString::fromLatin1(encoding)) };
}

} // namespace

DecodeResult decodeContent(const QByteArray &body, const QByteArray &encoding, qint64 maxOutputBytes)
{
    return decode(body, encoding, OutputLimit { maxOutputBytes });
}

DecodeResult decodeFirstLine(const QByteArray &body, const QByteArray &encoding, qint64 maxLineBytes)
{
    return decode(body, encoding, OutputLimit { maxLineBytes, true });
}

DecodeResult decodeStoreBody(const QByteArray &body, qint64 maxOutputBytes)
{
    // Not base64 at all (JSON, or garbage): the JSON parser says best what is wrong.
    if (startsLikeJson(body) || !isBase64Text(body))
        return { DecodeResult::Status::Ok, body, {} };
    // Base64 is 4/3 of what it encodes, so the decoded bytes stay under the cap
    // the body was already held to; only inflating needs the streaming cap.
    QByteArray::FromBase64Result binary
        = QByteArray::fromBase64Encoding(body.trimmed(), QByteArray::AbortOnBase64DecodingErrors);
    if (!binary)
        return malformed(QStringLiteral("body is neither JSON nor valid base64 (legacy raven clients send "
                                        "base64 of zlib-deflated JSON)"));
    if (startsLikeJson(*binary))
        return { DecodeResult::Status::Ok, std::move(*binary), {} };
    return inflateWith(*binary, 15 + 32, OutputLimit { maxOutputBytes }, "base64 zlib-deflated");
}

} // namespace faultline
