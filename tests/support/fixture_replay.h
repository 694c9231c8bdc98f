#pragma once
// Re-sends a captured client request to a live collector: same headers,
// same body bytes and transfer framing, with only the project id and key
// swapped for the ones of the database under test.
#include "support/http_client.h"

#include <QString>

namespace faultline::test {

enum class BodyForm { AsCaptured, Decompressed };

QByteArray replayRequest(
    const QString &fixture, qint64 projectId, const QString &publicKey, BodyForm form = BodyForm::AsCaptured);

RawResponse replay(quint16 port, const QString &fixture, qint64 projectId, const QString &publicKey,
    BodyForm form = BodyForm::AsCaptured);

// The event_id the fixture carries (envelope header or event JSON), normalised; empty if none.
QString fixtureEventId(const QString &fixture);

} // namespace faultline::test
