#pragma once
// Events for the tests as a client's payload becomes them: through
// IncomingEvent::prepare(), the collector's own path (scrubbed, amended,
// grouped, compressed), and written through the real EventWriter, waiting on
// each outcome with a latch.
#include "storage/event_writer.h"
#include "storage/incoming_event.h"
#include "storage/raw_codec.h"

#include <QByteArray>
#include <QDebug>
#include <QJsonDocument>
#include <QJsonObject>

#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>

namespace faultline::test {

// `json` prepared as the collector prepares it; a test that feeds it an event the
// collector would refuse stops here, naming why.
inline IncomingEvent preparedEvent(const QByteArray &json, const EventOrigin &origin)
{
    Result<IncomingEvent> prepared = IncomingEvent::prepare(json, origin);
    if (!prepared)
        qFatal("test event does not prepare: %s", qPrintable(prepared.errors().first().msg));
    return std::move(prepared).value();
}

inline IncomingEvent preparedEvent(const QJsonObject &json, qint64 receivedMs, qint64 projectId = 1)
{
    return preparedEvent(
        QJsonDocument(json).toJson(QJsonDocument::Compact), EventOrigin { projectId, receivedMs, {}, {}, 0 });
}

// `incoming` with its JSON changed by `change` and prepared again, from the same
// origin and keyed as before (a test that named its issue keeps it).
inline IncomingEvent changed(const IncomingEvent &incoming, const std::function<void(QJsonObject &)> &change)
{
    QJsonObject json
        = QJsonDocument::fromJson(decompressRaw(incoming.storedRaw.compressed, incoming.storedRaw.size)).object();
    change(json);
    IncomingEvent again = preparedEvent(json, incoming.receivedMs, incoming.projectId);
    again.issue.fingerprint = incoming.issue.fingerprint;
    again.attachments = incoming.attachments;
    return again;
}

// Counts down once per outcome; wait() returns them in the order the events were
// queued. The handlers share its state, so an outcome after a timed-out wait is harmless.
class OutcomeLatch {
public:
    explicit OutcomeLatch(int expected)
        : m_state(std::make_shared<State>())
    {
        m_state->outcomes.resize(expected);
        m_state->remaining = expected;
    }

    EventWriter::OutcomeHandler handlerFor(int index) const
    {
        return [state = m_state, index](const WriteOutcome &outcome) {
            std::lock_guard lock(state->mutex);
            state->outcomes[index] = outcome;
            --state->remaining;
            state->done.notify_all();
        };
    }

    // Every outcome, or nothing when they did not all come within `timeout`.
    std::optional<QList<WriteOutcome>> wait(std::chrono::milliseconds timeout = std::chrono::seconds(60)) const
    {
        std::unique_lock lock(m_state->mutex);
        if (!m_state->done.wait_for(lock, timeout, [this] { return m_state->remaining == 0; }))
            return std::nullopt;
        return m_state->outcomes;
    }

private:
    struct State {
        std::mutex mutex;
        std::condition_variable done;
        QList<WriteOutcome> outcomes;
        int remaining = 0;
    };
    std::shared_ptr<State> m_state;
};

// Queues each event on its own and waits for every outcome, in order. Empty when the
// queue refused one (nothing after it is queued) or an outcome did not come.
inline std::optional<QList<WriteOutcome>> writeAndWait(EventWriter &writer, const QList<IncomingEvent> &events)
{
    OutcomeLatch latch(int(events.size()));
    for (qsizetype i = 0; i < events.size(); ++i) {
        if (!writer.enqueue({ events.at(i) }, latch.handlerFor(int(i)))) {
            qWarning() << "the writer's queue refused event" << i;
            return std::nullopt;
        }
    }
    std::optional<QList<WriteOutcome>> outcomes = latch.wait();
    if (!outcomes)
        qWarning() << "the writer did not report every outcome";
    return outcomes;
}

} // namespace faultline::test
