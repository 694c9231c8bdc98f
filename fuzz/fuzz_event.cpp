// libFuzzer target: parseEventJson on arbitrary bytes (POST /api/<id>/store/ bodies and envelope
// event items), then what the collector does with a parsed event: scrub, parse again, group.
// Half of the mutations are structural (fuzz/json_mutator.h).
#include "fuzz/json_mutator.h"
#include "fuzz/parser_outcomes.h"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    using namespace faultline;
    const QByteArray json(reinterpret_cast<const char *>(data), qsizetype(size));
    const Result<Event> event = parseEventJson(json);
    fuzz::abortIfUndefined("parseEventJson", fuzz::checkEvent(event));
    fuzz::abortIfUndefined("parseEventJson against Qt", fuzz::checkReadsWhatQtReads(json, event));
    if (event.ok())
        fuzz::abortIfUndefined("scrub + parseEvent + groupEvent", fuzz::checkEventIntake(json, event.value()));
    return 0;
}

extern "C" size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size, size_t maxSize, unsigned int seed)
{
    return faultline::fuzz::JsonMutator(seed).mutate(data, size, maxSize);
}
