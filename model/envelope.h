#pragma once
// The Sentry envelope format: a JSON header line, then items (header line +
// payload, with or without `length`). See docs/PROTOCOL.md.
#include "model/result.h"

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QString>

namespace faultline {

struct EnvelopeItem {
    QString type; // "event", "attachment", "transaction", …; "" if absent
    QJsonObject header; // the item header as sent
    QByteArray payload;
};

struct Envelope {
    QJsonObject header; // event_id, sent_at, sdk, trace, dsn
    QList<EnvelopeItem> items;
};

struct EnvelopeLimits {
    int maxItems = 100;
};

// Errors: malformed header JSON, item length past the end, too many items
// (type "limit.items", so the caller can answer 413), with loc like ["items",2,"length"].
Result<Envelope> parseEnvelope(const QByteArray &body, const EnvelopeLimits &limits = {});

} // namespace faultline
