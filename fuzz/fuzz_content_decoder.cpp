// libFuzzer target: decodeContent with a 1 MiB output limit. The first byte picks the
// Content-Encoding (gzip, deflate, br, zstd; see fuzz::encodingForSelector), the rest is the body.
#include "fuzz/parser_outcomes.h"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    using namespace faultline;
    if (size == 0)
        return 0;
    const QByteArray encoding = fuzz::encodingForSelector(data[0]);
    const QByteArray body(reinterpret_cast<const char *>(data + 1), qsizetype(size - 1));
    const DecodeResult result = decodeContent(body, encoding, fuzz::kDecodeLimit);
    fuzz::abortIfUndefined(encoding.constData(), fuzz::checkDecode(result, fuzz::kDecodeLimit));
    return 0;
}
