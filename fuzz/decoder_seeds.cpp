// Seeds for fuzz_content_decoder: each input file compressed four ways, written as
// <out-dir>/<file>.<encoding> = selector byte + compressed bytes (see fuzz/parser_outcomes.h).
// Usage: fuzz_decoder_seeds OUT_DIR FILE...
#include <brotli/encode.h>
#include <zlib.h>
#include <zstd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

namespace {

using Bytes = std::vector<unsigned char>;

// windowBits 15+16 = gzip, 15 = zlib ("deflate" as HTTP means it).
Bytes deflateWith(const Bytes &input, int windowBits)
{
    z_stream stream {};
    if (deflateInit2(&stream, 6, Z_DEFLATED, windowBits, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        return {};
    Bytes out(deflateBound(&stream, uLong(input.size())) + 32);
    stream.next_in = const_cast<Bytef *>(input.data());
    stream.avail_in = uInt(input.size());
    stream.next_out = out.data();
    stream.avail_out = uInt(out.size());
    const int rc = deflate(&stream, Z_FINISH);
    out.resize(stream.total_out);
    deflateEnd(&stream);
    return rc == Z_STREAM_END ? out : Bytes {};
}

Bytes brotli(const Bytes &input)
{
    size_t size = BrotliEncoderMaxCompressedSize(input.size()) + 16;
    Bytes out(size);
    if (!BrotliEncoderCompress(
            5, BROTLI_DEFAULT_WINDOW, BROTLI_MODE_GENERIC, input.size(), input.data(), &size, out.data()))
        return {};
    out.resize(size);
    return out;
}

Bytes zstd(const Bytes &input)
{
    Bytes out(ZSTD_compressBound(input.size()));
    const size_t size = ZSTD_compress(out.data(), out.size(), input.data(), input.size(), 3);
    if (ZSTD_isError(size))
        return {};
    out.resize(size);
    return out;
}

bool writeSeed(const std::filesystem::path &path, unsigned char selector, const Bytes &body)
{
    std::ofstream file(path, std::ios::binary);
    file.put(char(selector));
    file.write(reinterpret_cast<const char *>(body.data()), std::streamsize(body.size()));
    return bool(file);
}

} // namespace

int main(int argc, char **argv)
{
    if (argc < 3) {
        std::fprintf(stderr, "usage: %s OUT_DIR FILE...\n", argv[0]);
        return 2;
    }
    const std::filesystem::path outDir = argv[1];
    std::filesystem::create_directories(outDir);
    for (int i = 2; i < argc; ++i) {
        std::ifstream file(argv[i], std::ios::binary);
        const Bytes input { std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>() };
        const std::string name = std::filesystem::path(argv[i]).filename().string();
        // Selectors match fuzz::kEncodings: 0 gzip, 1 deflate, 2 br, 3 zstd.
        const bool ok = writeSeed(outDir / (name + ".gzip"), 0, deflateWith(input, 15 + 16))
            && writeSeed(outDir / (name + ".deflate"), 1, deflateWith(input, 15))
            && writeSeed(outDir / (name + ".br"), 2, brotli(input))
            && writeSeed(outDir / (name + ".zstd"), 3, zstd(input));
        if (!ok) {
            std::fprintf(stderr, "%s: cannot write seeds for %s\n", argv[0], argv[i]);
            return 1;
        }
    }
    return 0;
}
