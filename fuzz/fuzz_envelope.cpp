// libFuzzer target: parseEnvelope on arbitrary bytes (what POST /api/<id>/envelope/ receives after decoding).
#include "fuzz/parser_outcomes.h"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    using namespace faultline;
    const QByteArray body(reinterpret_cast<const char *>(data), qsizetype(size));
    const EnvelopeLimits limits;
    const Result<Envelope> envelope = parseEnvelope(body, limits);
    fuzz::abortIfUndefined("parseEnvelope", fuzz::checkEnvelope(body, envelope, limits));
    if (!envelope.ok())
        return 0;
    // The collector parses event items next (collector/ingest_handler.cpp); follow it.
    for (const EnvelopeItem &item : envelope->items) {
        if (item.type != QLatin1String("event"))
            continue;
        const Result<Event> event = parseEventJson(item.payload);
        fuzz::abortIfUndefined("parseEventJson (envelope item)", fuzz::checkEvent(event));
        if (event.ok())
            fuzz::abortIfUndefined(
                "scrub + parseEvent + groupEvent", fuzz::checkEventIntake(item.payload, event.value()));
    }
    return 0;
}
