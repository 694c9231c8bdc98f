#pragma once
// A real database for the UI tests: captured client events (tests/fixtures)
// prepared as the collector prepares them (IncomingEvent::prepare) and written
// through the real EventWriter, which keeps running so tests can add events live.
#include "model/envelope.h"
#include "storage/database.h"
#include "storage/event_writer.h"
#include "storage/incoming_event.h"
#include "support/fixture_events.h"
#include "support/fixtures.h"
#include "support/prepared_events.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <QTest>

#include <functional>
#include <memory>

namespace faultline::test {

// Every fixture that carries an error event.
inline QStringList eventFixtureNames()
{
    return { QStringLiteral("python_exception_store"), QStringLiteral("python_message_store"),
        QStringLiteral("python_rich_event_store"), QStringLiteral("python_unhandled_excepthook_store"),
        QStringLiteral("pydantic_validation_store"), QStringLiteral("django_request_store"),
        QStringLiteral("django_drf_validation_store"), QStringLiteral("attachment_html_envelope"),
        QStringLiteral("node_exception_envelope"), QStringLiteral("node_message_envelope") };
}

// The attachment items of an envelope fixture (e.g. the 500.html of attachment_html_envelope),
// prepared as the collector keeps them.
inline QList<Attachment> fixtureAttachments(const QString &baseName)
{
    QList<Attachment> attachments;
    const auto envelope = parseEnvelope(fixtureBody(baseName));
    if (!envelope)
        return attachments;
    for (const EnvelopeItem &item : envelope->items)
        if (item.type == QLatin1String("attachment"))
            attachments.append(IncomingEvent::prepareAttachment(
                Attachment { item.header.value(QLatin1String("filename")).toString(),
                    item.header.value(QLatin1String("content_type")).toString(),
                    item.header.value(QLatin1String("attachment_type")).toString(), item.payload },
                0));
    return attachments;
}

// Fixture `baseName` as the collector hands it to the writer. `copy` > 0 gives the
// event a fresh id (a repeat of the same error); `change` edits its JSON first.
inline IncomingEvent fixtureIncoming(const QString &baseName, qint64 receivedMs, int copy = 0, qint64 projectId = 1,
    const std::function<void(QJsonObject &)> &change = {})
{
    QJsonObject json = fixtureEventJson(baseName);
    if (copy > 0)
        json.insert(QStringLiteral("event_id"), QStringLiteral("%1").arg(copy, 32, 16, QLatin1Char('0')));
    if (change)
        change(json);
    return preparedEvent(json, receivedMs, projectId);
}

class UiTestDatabase {
public:
    bool start()
    {
        if (!m_dir.isValid())
            return false;
        m_path = m_dir.filePath(QStringLiteral("ui.db"));
        m_writer = std::make_unique<EventWriter>(m_path, WriterOptions { 10000, 512 });
        QString error;
        if (!m_writer->start(&error)) {
            qWarning() << "writer did not start:" << error;
            return false;
        }
        return true;
    }

    // Writes and waits until every event is committed; false if one was not.
    bool write(const QList<IncomingEvent> &events, QList<WriteOutcome> *outcomes = nullptr)
    {
        const std::optional<QList<WriteOutcome>> written = writeAndWait(*m_writer, events);
        if (!written)
            return false;
        bool allCommitted = true;
        for (const WriteOutcome &outcome : *written) {
            allCommitted = allCommitted && outcome.committed;
            if (!outcome.committed)
                qWarning() << "not committed:" << outcome.error;
            if (outcomes)
                outcomes->append(outcome);
        }
        return allCommitted;
    }

    // Each fixture once, received a minute apart (the last one newest), and the python
    // exception three more times: 10 issues, the ZeroDivisionError one with 4 events.
    // The attachment envelope's event keeps its 500.html, as the collector stores it.
    bool writeFixtures(qint64 baseMs, QList<WriteOutcome> *outcomes = nullptr)
    {
        QList<IncomingEvent> events;
        const QStringList names = eventFixtureNames();
        for (int i = 0; i < names.size(); ++i) {
            events.append(fixtureIncoming(names.at(i), baseMs + i * 60'000));
            if (names.at(i) == QLatin1String("attachment_html_envelope"))
                events.last().attachments = fixtureAttachments(names.at(i));
        }
        for (int copy = 1; copy <= 3; ++copy)
            events.append(fixtureIncoming(QStringLiteral("python_exception_store"), baseMs - copy * 3'600'000, copy));
        return write(events, outcomes);
    }

    QString path() const { return m_path; }
    EventWriter *writer() const { return m_writer.get(); }

private:
    QTemporaryDir m_dir;
    QString m_path;
    std::unique_ptr<EventWriter> m_writer;
};

} // namespace faultline::test
