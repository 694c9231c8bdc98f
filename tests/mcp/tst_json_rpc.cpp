// The JSON-RPC layer and the MCP lifecycle with input no SDK would send:
// every malformed line gets the standard error (or, for a notification,
// silence) and the server keeps answering.
#include "mcp/json_rpc.h"
#include "mcp/mcp_server.h"
#include "mcp/tool_arguments.h"
#include "storage/database.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <QTest>

using namespace faultline;

namespace {

// These tests ask nothing that names the collector's address.
const CollectorHostPort kCollector = [](const StorageBackend &) { return QStringLiteral("127.0.0.1:8990"); };

QJsonObject reply(McpServer &server, const QByteArray &line)
{
    const auto text = server.handleText(line);
    return text ? QJsonDocument::fromJson(*text).object() : QJsonObject();
}

int errorCode(const QJsonObject &reply) { return reply.value("error").toObject().value("code").toInt(); }

const QByteArray kInitialize
    = R"({"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"t","version":"1"}}})";

} // namespace

class TestJsonRpc : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    QString m_dbPath;

private slots:
    void initTestCase()
    {
        m_dbPath = m_dir.filePath("f.db");
        QString error;
        QVERIFY2(Database::open(m_dbPath, Database::Mode::ReadWrite, &error), qPrintable(error));
    }

    void malformedMessagesGetTheirStandardError_data()
    {
        QTest::addColumn<QByteArray>("line");
        QTest::addColumn<int>("code");
        QTest::addColumn<QJsonValue>("id");
        QTest::newRow("not json") << QByteArray("hello") << JsonRpcError::ParseError << QJsonValue(QJsonValue::Null);
        QTest::newRow("truncated") << QByteArray("{\"jsonrpc\":\"2.0\",\"id\":1,\"meth") << JsonRpcError::ParseError
                                   << QJsonValue(QJsonValue::Null);
        QTest::newRow("empty") << QByteArray("") << JsonRpcError::ParseError << QJsonValue(QJsonValue::Null);
        QTest::newRow("batch") << QByteArray(R"([{"jsonrpc":"2.0","id":1,"method":"ping"}])")
                               << JsonRpcError::InvalidRequest << QJsonValue(QJsonValue::Null);
        QTest::newRow("number") << QByteArray("42") << JsonRpcError::ParseError << QJsonValue(QJsonValue::Null);
        QTest::newRow("wrong version") << QByteArray(R"({"jsonrpc":"1.0","id":7,"method":"ping"})")
                                       << JsonRpcError::InvalidRequest << QJsonValue(7);
        QTest::newRow("no version") << QByteArray(R"({"id":"a","method":"ping"})") << JsonRpcError::InvalidRequest
                                    << QJsonValue("a");
        QTest::newRow("null id") << QByteArray(R"({"jsonrpc":"2.0","id":null,"method":"ping"})")
                                 << JsonRpcError::InvalidRequest << QJsonValue(QJsonValue::Null);
        QTest::newRow("object id") << QByteArray(R"({"jsonrpc":"2.0","id":{},"method":"ping"})")
                                   << JsonRpcError::InvalidRequest << QJsonValue(QJsonValue::Null);
        QTest::newRow("fractional id") << QByteArray(R"({"jsonrpc":"2.0","id":1.5,"method":"ping"})")
                                       << JsonRpcError::InvalidRequest << QJsonValue(QJsonValue::Null);
        QTest::newRow("method number") << QByteArray(R"({"jsonrpc":"2.0","id":3,"method":5})")
                                       << JsonRpcError::InvalidRequest << QJsonValue(3);
        QTest::newRow("no method") << QByteArray(R"({"jsonrpc":"2.0","id":4})") << JsonRpcError::InvalidRequest
                                   << QJsonValue(4);
        QTest::newRow("params array") << QByteArray(R"({"jsonrpc":"2.0","id":5,"method":"ping","params":[1]})")
                                      << JsonRpcError::InvalidParams << QJsonValue(5);
        QTest::newRow("unknown method") << QByteArray(R"({"jsonrpc":"2.0","id":"x","method":"tools/explode"})")
                                        << JsonRpcError::MethodNotFound << QJsonValue("x");
        QTest::newRow("initialize without version")
            << QByteArray(R"({"jsonrpc":"2.0","id":6,"method":"initialize","params":{}})")
            << JsonRpcError::InvalidParams << QJsonValue(6);
        QTest::newRow("tools/call without name")
            << QByteArray(R"({"jsonrpc":"2.0","id":8,"method":"tools/call","params":{"arguments":{}}})")
            << JsonRpcError::InvalidParams << QJsonValue(8);
        QTest::newRow("unknown tool") << QByteArray(
            R"({"jsonrpc":"2.0","id":9,"method":"tools/call","params":{"name":"rm_rf"}})")
                                      << JsonRpcError::InvalidParams << QJsonValue(9);
        QTest::newRow("unknown resource")
            // Not a raw string, and the slashes JSON-escaped: moc would read "//" as a comment.
            << QByteArray("{\"jsonrpc\":\"2.0\",\"id\":10,\"method\":\"resources/read\","
                          "\"params\":{\"uri\":\"faultline:\\/\\/issue/0\"}}")
            << JsonRpcError::ResourceNotFound << QJsonValue(10);
        QTest::newRow("bad resource cursor")
            << QByteArray(R"({"jsonrpc":"2.0","id":11,"method":"resources/list","params":{"cursor":"%%%"}})")
            << JsonRpcError::InvalidParams << QJsonValue(11);
    }

    void malformedMessagesGetTheirStandardError()
    {
        QFETCH(QByteArray, line);
        QFETCH(int, code);
        QFETCH(QJsonValue, id);
        McpServer server(m_dbPath, kCollector);
        QVERIFY(!reply(server, kInitialize).contains("error"));
        const QJsonObject answer = reply(server, line);
        QCOMPARE(answer.value("jsonrpc").toString(), QString("2.0"));
        QCOMPARE(errorCode(answer), code);
        QVERIFY(!answer.value("error").toObject().value("message").toString().isEmpty());
        QCOMPARE(answer.value("id"), id);
        // …and the next message is served as usual.
        QCOMPARE(reply(server, R"({"jsonrpc":"2.0","id":99,"method":"ping"})").value("id").toInt(), 99);
    }

    void notificationsAndResponsesAreNeverAnswered()
    {
        McpServer server(m_dbPath, kCollector);
        QVERIFY(!server.handleText(R"({"jsonrpc":"2.0","method":"notifications/initialized"})"));
        QVERIFY(!server.handleText(R"({"jsonrpc":"2.0","method":"notifications/cancelled","params":{"requestId":1}})"));
        QVERIFY(!server.handleText(R"({"jsonrpc":"2.0","method":"no/such/notification"})"));
        QVERIFY(!server.handleText(R"({"jsonrpc":"2.0","method":"x","params":[1]})")); // malformed, but a notification
        QVERIFY(!server.handleText(R"({"jsonrpc":"2.0","id":5,"result":{}})"));
    }

    void requestsBeforeInitializeAreRefusedButPingWorks()
    {
        McpServer server(m_dbPath, kCollector);
        QCOMPARE(errorCode(reply(server, R"({"jsonrpc":"2.0","id":1,"method":"tools/list"})")),
            JsonRpcError::InvalidRequest);
        QVERIFY(reply(server, R"({"jsonrpc":"2.0","id":2,"method":"ping"})").value("result").isObject());
        QVERIFY(!server.initialized());
    }

    void initializeNegotiatesTheVersion()
    {
        McpServer server(m_dbPath, kCollector);
        const QJsonObject result = reply(server, kInitialize).value("result").toObject();
        QCOMPARE(result.value("protocolVersion").toString(), QString("2025-06-18"));
        QCOMPARE(result.value("serverInfo").toObject().value("name").toString(), QString("faultline"));
        QVERIFY(result.value("capabilities").toObject().contains("tools"));
        QVERIFY(result.value("capabilities").toObject().contains("resources"));

        McpServer future(m_dbPath, kCollector);
        const QJsonObject newer = reply(
            future, R"({"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2099-01-01"}})");
        QCOMPARE(newer.value("result").toObject().value("protocolVersion").toString(),
            McpServer::supportedProtocolVersions().first());
    }

    void toolArgumentErrorsAreToolResults()
    {
        McpServer server(m_dbPath, kCollector);
        reply(server, kInitialize);
        const QJsonObject answer = reply(server,
            R"({"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"get_issue","arguments":{"id":-4}}})");
        const QJsonObject result = answer.value("result").toObject();
        QCOMPARE(result.value("isError").toBool(), true);
        QVERIFY(
            result.value("content").toArray().at(0).toObject().value("text").toString().contains("positive integer"));
        const QJsonObject notObject = reply(
            server, R"({"jsonrpc":"2.0","id":4,"method":"tools/call","params":{"name":"get_issue","arguments":"7"}})");
        QCOMPARE(notObject.value("result").toObject().value("isError").toBool(), true);
    }

    void everyToolHasASchemaAndIsListed()
    {
        McpServer server(m_dbPath, kCollector);
        reply(server, kInitialize);
        const QJsonArray tools = reply(server, R"({"jsonrpc":"2.0","id":2,"method":"tools/list"})")
                                     .value("result")
                                     .toObject()
                                     .value("tools")
                                     .toArray();
        QCOMPARE(tools.size(), 8);
        for (const QJsonValue &tool : tools) {
            const QJsonObject object = tool.toObject();
            QCOMPARE(object.value("inputSchema").toObject().value("type").toString(), QString("object"));
            QCOMPARE(object.value("outputSchema").toObject().value("type").toString(), QString("object"));
            QVERIFY(!object.value("description").toString().isEmpty());
        }
    }

    void cursorsRoundTripAndRejectForgeries()
    {
        QCOMPARE(decodeCursor(encodeCursor(40)), std::optional<int>(40));
        QCOMPARE(decodeCursor(encodeCursor(0)), std::optional<int>(0));
        QVERIFY(!decodeCursor("garbage"));
        QVERIFY(!decodeCursor(QString::fromLatin1(QByteArray("o:-5").toBase64())));
        QVERIFY(!decodeCursor(QString::fromLatin1(QByteArray("o:99999999999999").toBase64())));
        QVERIFY(!decodeCursor(QString(5000, u'A')));
    }

    void repliesAreSingleLines()
    {
        McpServer server(m_dbPath, kCollector);
        const auto text = server.handleText("{\"jsonrpc\":\"2.0\",\"id\":\"a\\nb\",\"method\":\"ping\"}");
        QVERIFY(text);
        QVERIFY(!text->contains('\n'));
    }
};

QTEST_GUILESS_MAIN(TestJsonRpc)
#include "tst_json_rpc.moc"
