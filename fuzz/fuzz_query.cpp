// libFuzzer target: parseQuery on arbitrary text (the UI search bar and `faultline --query`).
// The bytes are read as UTF-8, as the CLI does; invalid sequences become U+FFFD.
#include "fuzz/parser_outcomes.h"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    using namespace faultline;
    const QString text = QString::fromUtf8(reinterpret_cast<const char *>(data), qsizetype(size));
    const Result<Query> query = parseQuery(text);
    fuzz::abortIfUndefined("parseQuery", fuzz::checkQuery(text, query));
    return 0;
}
