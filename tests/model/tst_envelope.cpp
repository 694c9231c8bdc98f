// parseEnvelope on the captured envelopes and on hand-made edge cases.
#include "model/envelope.h"
#include "support/fixtures.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using namespace faultline;
using namespace faultline::test;

namespace {

QStringList typesOf(const Envelope &envelope)
{
    QStringList types;
    for (const EnvelopeItem &item : envelope.items)
        types.append(item.type);
    return types;
}

// A literal with embedded NUL bytes kept.
template<std::size_t N> QByteArray bytes(const char (&text)[N]) { return QByteArray(text, N - 1); }

} // namespace

class TestEnvelope : public QObject {
    Q_OBJECT

private slots:
    void fixtureItemTypes_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QStringList>("types");
        QTest::addColumn<QString>("eventId");
        QTest::newRow("attachment") << "attachment_html_envelope" << QStringList { "event", "attachment" }
                                    << "19264962e8c84724894abebfa7a92074";
        QTest::newRow("node exception") << "node_exception_envelope" << QStringList { "event" }
                                        << "cb2c04a1952c4f078053ff07e420d117";
        QTest::newRow("node message") << "node_message_envelope" << QStringList { "event" }
                                      << "fcb13229173d42c9a54aa6ef8fa116fa";
        QTest::newRow("node session") << "node_session_envelope" << QStringList { "session" } << "";
        QTest::newRow("transaction") << "python_transaction_envelope" << QStringList { "transaction" }
                                     << "542337da479b4e8c9d937cd4a5676fb5";
        QTest::newRow("sessions") << "python_sessions_envelope" << QStringList { "sessions" } << "";
        QTest::newRow("client report") << "python_client_report_envelope" << QStringList { "client_report" } << "";
    }

    void fixtureItemTypes()
    {
        QFETCH(QString, name);
        QFETCH(QStringList, types);
        QFETCH(QString, eventId);
        const auto envelope = parseEnvelope(fixtureBody(name));
        QVERIFY(envelope.ok());
        QCOMPARE(typesOf(envelope.value()), types);
        QCOMPARE(envelope->header.value("event_id").toString(), eventId);
        // every JSON item payload is one complete JSON object
        for (const EnvelopeItem &item : envelope->items) {
            if (item.type == QLatin1String("attachment"))
                continue;
            QJsonParseError error;
            QVERIFY(QJsonDocument::fromJson(item.payload, &error).isObject());
        }
    }

    void attachmentPayload()
    {
        const auto envelope = parseEnvelope(fixtureBody(QStringLiteral("attachment_html_envelope")));
        QVERIFY(envelope.ok());
        const EnvelopeItem &event = envelope->items.at(0);
        QCOMPARE(event.payload.size(), 2878);
        QVERIFY(event.payload.startsWith("{\"level\":\"error\""));
        const EnvelopeItem &attachment = envelope->items.at(1);
        QCOMPARE(attachment.header.value("filename").toString(), QStringLiteral("500.html"));
        QCOMPARE(attachment.header.value("content_type").toString(), QStringLiteral("text/html"));
        QCOMPARE(attachment.payload, QByteArray("<html><body><h1>500</h1></body></html>"));
    }

    void itemsWithoutLength()
    {
        // @sentry/node: no `length`, no trailing newline after the last payload
        const QByteArray body = fixtureBody(QStringLiteral("node_exception_envelope"));
        QVERIFY(!body.endsWith('\n'));
        const auto envelope = parseEnvelope(body);
        QVERIFY(envelope.ok());
        QCOMPARE(envelope->items.size(), 1);
        QVERIFY(!envelope->items.first().header.contains("length"));
        QCOMPARE(envelope->items.first().payload.size(), 4873);
        const QJsonObject event = QJsonDocument::fromJson(envelope->items.first().payload).object();
        QCOMPARE(event.value("platform").toString(), QStringLiteral("node"));
        QCOMPARE(envelope->header.value("sdk").toObject().value("name").toString(),
            QStringLiteral("sentry.javascript.node"));
    }

    void handMadeShapes()
    {
        // empty header, no items
        auto envelope = parseEnvelope("{}");
        QVERIFY(envelope.ok());
        QVERIFY(envelope->items.isEmpty());
        QVERIFY(parseEnvelope("{}\n").ok());

        // length covering a newline inside a binary payload, then an item without length
        envelope = parseEnvelope(
            bytes("{}\n{\"type\":\"attachment\",\"length\":5}\na\nb\0c\n{\"type\":\"event\"}\n{\"x\":1}\n\n\n"));
        QVERIFY(envelope.ok());
        QCOMPARE(envelope->items.size(), 2);
        QCOMPARE(envelope->items.at(0).payload, QByteArray("a\nb\0c", 5));
        QCOMPARE(envelope->items.at(1).payload, QByteArray("{\"x\":1}"));

        // zero length and an item with an empty line payload
        envelope = parseEnvelope("{}\n{\"type\":\"a\",\"length\":0}\n\n{\"type\":\"b\"}\n");
        QVERIFY(envelope.ok());
        QCOMPARE(typesOf(envelope.value()), (QStringList { "a", "b" }));
        QVERIFY(envelope->items.at(0).payload.isEmpty());

        // last payload with a length and no trailing newline
        envelope = parseEnvelope("{}\n{\"type\":\"event\",\"length\":2}\n{}");
        QVERIFY(envelope.ok());
        QCOMPARE(envelope->items.first().payload, QByteArray("{}"));

        // CRLF line ends
        envelope = parseEnvelope("{\"event_id\":\"ab\"}\r\n{\"type\":\"event\"}\r\n{\"a\":1}\r\n"
                                 "{\"type\":\"x\",\"length\":3}\r\nabc\r\n");
        QVERIFY(envelope.ok());
        QCOMPARE(envelope->header.value("event_id").toString(), QStringLiteral("ab"));
        QCOMPARE(envelope->items.at(0).payload, QByteArray("{\"a\":1}"));
        QCOMPARE(envelope->items.at(1).payload, QByteArray("abc"));

        // an item header without type
        envelope = parseEnvelope("{}\n{\"length\":1}\nz");
        QVERIFY(envelope.ok());
        QCOMPARE(envelope->items.first().type, QString());
    }

    void errors_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QJsonArray>("loc");
        QTest::addColumn<QString>("type");
        QTest::newRow("empty body") << QByteArray() << QJsonArray { "header" } << "json_invalid";
        QTest::newRow("header not json") << QByteArray("hello\n{}") << QJsonArray { "header" } << "json_invalid";
        QTest::newRow("header an array") << QByteArray("[]\n") << QJsonArray { "header" } << "type_error.object";
        QTest::newRow("item header bad") << QByteArray("{}\n{\"type\":\"event\"}\n{}\n{oops}\n")
                                         << QJsonArray { "items", 1, "header" } << "json_invalid";
        QTest::newRow("item header array")
            << QByteArray("{}\n[1]\n") << QJsonArray { "items", 0, "header" } << "type_error.object";
        QTest::newRow("length past end") << QByteArray("{}\n{\"type\":\"event\",\"length\":100}\n{}")
                                         << QJsonArray { "items", 0, "length" } << "value_error.length";
        QTest::newRow("length short") << QByteArray("{}\n{\"type\":\"event\",\"length\":2}\n{\"a\":1}\n")
                                      << QJsonArray { "items", 0, "length" } << "value_error.length";
        QTest::newRow("length negative") << QByteArray("{}\n{\"type\":\"event\",\"length\":-1}\n")
                                         << QJsonArray { "items", 0, "length" } << "type_error.integer";
        QTest::newRow("length text") << QByteArray("{}\n{\"type\":\"event\",\"length\":\"abc\"}\nx")
                                     << QJsonArray { "items", 0, "length" } << "type_error.integer";
    }

    void errors()
    {
        QFETCH(QByteArray, body);
        QFETCH(QJsonArray, loc);
        QFETCH(QString, type);
        const auto envelope = parseEnvelope(body);
        QVERIFY(!envelope.ok());
        QCOMPARE(envelope.errors().first().loc, loc);
        QCOMPARE(envelope.errors().first().type, type);
        QVERIFY(!envelope.errors().first().msg.isEmpty());
    }

    void itemLimit()
    {
        QByteArray body = "{}\n";
        for (int i = 0; i < 4; ++i)
            body += "{\"type\":\"session\"}\n{}\n";
        EnvelopeLimits limits;
        limits.maxItems = 4;
        QVERIFY(parseEnvelope(body, limits).ok());
        body += "{\"type\":\"session\"}\n{}\n";
        const auto tooMany = parseEnvelope(body, limits);
        QVERIFY(!tooMany.ok());
        QCOMPARE(tooMany.errors().first().type, QStringLiteral("limit.items"));
        QCOMPARE(tooMany.errors().first().loc, QJsonArray { "items" });
    }
};

QTEST_GUILESS_MAIN(TestEnvelope)
#include "tst_envelope.moc"
