#pragma once
// What "a defined outcome" means for each parser of untrusted input: either a
// value that keeps the parser's documented promises, or errors that a person
// can read. Shared by the libFuzzer targets (which abort on a broken promise)
// and tests/collector/tst_fuzz_regressions.cpp (which fails on one).
// Each check returns an empty string when the outcome is defined, else what is wrong.
#include "collector/content_decoder.h"
#include "model/envelope.h"
#include "model/event_parser.h"
#include "model/grouping.h"
#include "model/json_dom.h"
#include "model/json_object.h"
#include "model/query/query_parser.h"
#include "model/result.h"
#include "model/scrub.h"

#include <QByteArray>
#include <QString>

#include <array>
#include <cstdio>
#include <cstdlib>

namespace faultline::fuzz {

// fuzz_content_decoder: the first byte picks the encoding, the rest is the body.
inline constexpr std::array<const char *, 4> kEncodings { "gzip", "deflate", "br", "zstd" };
inline constexpr qint64 kDecodeLimit = 1024 * 1024;

inline QByteArray encodingForSelector(unsigned char selector)
{
    return QByteArray(kEncodings[selector % kEncodings.size()]);
}

template<typename T> QString checkErrors(const Result<T> &result)
{
    if (result.ok())
        return result.errors().isEmpty() ? QString() : QStringLiteral("a value and errors at once");
    if (result.errors().isEmpty())
        return QStringLiteral("neither a value nor an error");
    for (const FieldError &error : result.errors()) {
        if (error.msg.isEmpty() || error.type.isEmpty())
            return QStringLiteral("an error without msg or type (type '%1')").arg(error.type);
    }
    return {};
}

inline bool isLowerHex(const QString &text, qsizetype length)
{
    if (text.size() != length)
        return false;
    for (QChar c : text) {
        if (!((c >= u'0' && c <= u'9') || (c >= u'a' && c <= u'f')))
            return false;
    }
    return true;
}

inline QString checkEnvelope(const QByteArray &body, const Result<Envelope> &result, const EnvelopeLimits &limits)
{
    if (QString problem = checkErrors(result); !problem.isEmpty() || !result.ok())
        return problem;
    if (result->items.size() > limits.maxItems)
        return QStringLiteral("%1 items, over the limit of %2").arg(result->items.size()).arg(limits.maxItems);
    qsizetype payloadBytes = 0;
    for (const EnvelopeItem &item : result->items)
        payloadBytes += item.payload.size();
    if (payloadBytes > body.size())
        return QStringLiteral("payloads total %1 bytes from a %2 byte body").arg(payloadBytes).arg(body.size());
    return {};
}

inline QString checkEvent(const Result<Event> &result)
{
    if (QString problem = checkErrors(result); !problem.isEmpty() || !result.ok())
        return problem;
    if (!isLowerHex(result->eventId, 32))
        return QStringLiteral("event id '%1' is not 32 lowercase hex digits").arg(result->eventId);
    return {};
}

// Whatever Qt's parser reads as an object (the reader before simdjson), the
// event parser must read too: a refusal may only name a field, not the JSON.
inline QString checkReadsWhatQtReads(const QByteArray &json, const Result<Event> &event)
{
    if (event.ok() || !parseJsonObject(json).ok())
        return {};
    for (const FieldError &error : event.errors())
        if (error.loc.isEmpty())
            return QStringLiteral("JSON that Qt reads is refused: %1").arg(error.msg);
    return {};
}

// The collector's path after parsing `json` into `event` (a full parse): its
// read-only scrub check must catch whatever scrubbing would change, its
// summary parse must derive what the full parse does, and a scrubbed event
// must parse again and group.
inline QString checkEventIntake(const QByteArray &json, const Event &event)
{
    QJsonObject raw = event.raw;
    const bool rewritten = scrubSecrets(raw);
    if (const std::optional<json::Document> document = json::Document::parse(json)) {
        if (rewritten && !needsScrubbing(document->root()))
            return QStringLiteral("needsScrubbing misses what scrubSecrets replaces: a secret would be stored");
        const Result<Event> summary = parseEvent(document->root(), EventDetail::Summary);
        if (!summary.ok())
            return QStringLiteral("the summary parse fails where the full parse succeeds");
        if (groupEvent(summary.value()).fingerprint != groupEvent(event).fingerprint
            || summary->http.statusCode != event.http.statusCode
            || summary->validationErrors.size() != event.validationErrors.size() || summary->tags != event.tags
            || summary->message != event.message)
            return QStringLiteral("the summary parse derives other fields than the full parse");
    }
    const Result<Event> reparsed = parseEvent(raw);
    if (QString problem = checkEvent(reparsed); !problem.isEmpty())
        return QStringLiteral("after scrubbing: ") + problem;
    if (!reparsed.ok())
        return QStringLiteral("a parsed event no longer parses after scrubbing");
    const IssueKey issue = groupEvent(reparsed.value());
    if (!isLowerHex(issue.fingerprint, 40))
        return QStringLiteral("fingerprint '%1' is not a hex SHA-1").arg(issue.fingerprint);
    return {};
}

inline QString checkDecode(const DecodeResult &result, qint64 limit)
{
    switch (result.status) {
    case DecodeResult::Status::Ok:
        if (result.data.size() > limit)
            return QStringLiteral("%1 bytes decoded past the %2 byte limit").arg(result.data.size()).arg(limit);
        return result.error.isEmpty() ? QString() : QStringLiteral("Ok with an error message");
    case DecodeResult::Status::TooLarge:
    case DecodeResult::Status::Malformed:
        if (!result.data.isEmpty())
            return QStringLiteral("a failed decode that still returns %1 bytes").arg(result.data.size());
        return result.error.isEmpty() ? QStringLiteral("a failed decode without a message") : QString();
    case DecodeResult::Status::Unsupported:
        return QStringLiteral("a supported encoding reported as unsupported");
    }
    return QStringLiteral("an unknown status");
}

inline bool spanInside(int start, int length, qsizetype textSize)
{
    return start >= 0 && length >= 0 && qsizetype(start) + length <= textSize;
}

inline QString checkQuery(const QString &text, const Result<Query> &result)
{
    if (QString problem = checkErrors(result); !problem.isEmpty())
        return problem;
    if (!result.ok()) {
        const QuerySpan span = querySpan(result.errors().first());
        if (!spanInside(span.start, span.length, text.size()))
            return QStringLiteral("error span [%1, %2] outside a %3 character query")
                .arg(span.start)
                .arg(span.length)
                .arg(text.size());
        return {};
    }
    for (const QueryTerm &term : result->terms) {
        if (!spanInside(term.start, term.length, text.size()))
            return QStringLiteral("term span [%1, %2] outside a %3 character query")
                .arg(term.start)
                .arg(term.length)
                .arg(text.size());
    }
    return {};
}

// For the fuzz targets: a broken promise is a finding, like a crash.
inline void abortIfUndefined(const char *what, const QString &problem)
{
    if (problem.isEmpty())
        return;
    std::fprintf(stderr, "==faultline-fuzz== undefined outcome from %s: %s\n", what, qPrintable(problem));
    std::abort();
}

} // namespace faultline::fuzz
