// The streamable HTTP endpoint's guards, called directly (the e2e test drives
// it over the collector's port with the real client): peer, Host, Origin,
// bearer key or token, sessions and the protocol version header.
#include "mcp/http_endpoint.h"
#include "storage/app_state.h"
#include "storage/database.h"
#include "storage/project_store.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

using namespace faultline;

namespace {

// These tests ask nothing that names the collector's address.
const CollectorHostPort kCollector = [](const StorageBackend &) { return QStringLiteral("127.0.0.1:8990"); };

const QByteArray kInitialize
    = R"({"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"t","version":"1"}}})";
const QByteArray kPing = R"({"jsonrpc":"2.0","id":2,"method":"ping"})";

using Headers = QList<QPair<QByteArray, QByteArray>>;

McpHttpRequest request(const QByteArray &body, const Headers &headers, const QByteArray &method = "POST",
    const QHostAddress &peer = QHostAddress::LocalHost)
{
    return { method, peer,
        [headers](QByteArrayView name) {
            for (const auto &[key, value] : headers)
                if (QByteArrayView(key).compare(name, Qt::CaseInsensitive) == 0)
                    return value;
            return QByteArray();
        },
        body };
}

QByteArray header(const McpHttpResponse &response, const QByteArray &name)
{
    for (const auto &[key, value] : response.headers)
        if (key.compare(name, Qt::CaseInsensitive) == 0)
            return value;
    return {};
}

} // namespace

class TestHttpEndpoint : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    QString m_dbPath;
    QByteArray m_key;

    Headers withAuth(Headers extra = {}) const
    {
        return extra
            + Headers { { "Authorization", "Bearer " + m_key }, { "Content-Type", "application/json" },
                  { "Accept", "application/json, text/event-stream" }, { "Host", "127.0.0.1:8990" } };
    }

private slots:
    void initTestCase()
    {
        m_dbPath = m_dir.filePath("f.db");
        QString error;
        const auto db = Database::open(m_dbPath, Database::Mode::ReadWrite, &error);
        QVERIFY2(db, qPrintable(error));
        m_key = ProjectStore(*db).all().first().publicKey.toLatin1();
        QVERIFY(writeAppState(*db, kMcpTokenKey, QStringLiteral("0123456789abcdef0123456789abcdef")));
    }

    void guardsRefuseBeforeAnythingRuns_data()
    {
        QTest::addColumn<QHostAddress>("peer");
        QTest::addColumn<QByteArray>("method");
        QTest::addColumn<Headers>("headers");
        QTest::addColumn<int>("status");
        const Headers good = withAuth();
        QTest::newRow("remote peer") << QHostAddress("192.168.1.20") << QByteArray("POST") << good << 403;
        QTest::newRow("rebound host") << QHostAddress(QHostAddress::LocalHost) << QByteArray("POST")
                                      << withAuth({ { "Host", "evil.example:8990" } }) << 403;
        QTest::newRow("foreign origin") << QHostAddress(QHostAddress::LocalHost) << QByteArray("POST")
                                        << withAuth({ { "Origin", "https://evil.example" } }) << 403;
        QTest::newRow("null origin") << QHostAddress(QHostAddress::LocalHost) << QByteArray("POST")
                                     << withAuth({ { "Origin", "null" } }) << 403;
        QTest::newRow("GET") << QHostAddress(QHostAddress::LocalHost) << QByteArray("GET") << good << 405;
        QTest::newRow("no auth") << QHostAddress(QHostAddress::LocalHost) << QByteArray("POST")
                                 << Headers { { "Content-Type", "application/json" } } << 401;
        QTest::newRow("wrong key") << QHostAddress(QHostAddress::LocalHost) << QByteArray("POST")
                                   << Headers { { "Authorization", "Bearer 00000000000000000000000000000000" },
                                          { "Content-Type", "application/json" } }
                                   << 401;
        QTest::newRow("text/plain") << QHostAddress(QHostAddress::LocalHost) << QByteArray("POST")
                                    << Headers { { "Authorization", "Bearer " + m_key },
                                           { "Content-Type", "text/plain" } }
                                    << 415;
        QTest::newRow("bad version header") << QHostAddress(QHostAddress::LocalHost) << QByteArray("POST")
                                            << withAuth({ { "MCP-Protocol-Version", "1999-01-01" } }) << 400;
    }

    void guardsRefuseBeforeAnythingRuns()
    {
        QFETCH(QHostAddress, peer);
        QFETCH(QByteArray, method);
        QFETCH(Headers, headers);
        QFETCH(int, status);
        McpHttpEndpoint endpoint(m_dbPath, kCollector);
        const McpHttpResponse response = endpoint.handle(request(kInitialize, headers, method, peer));
        QCOMPARE(response.status, status);
        QVERIFY(header(response, "Mcp-Session-Id").isEmpty());
        // A JSON-RPC error body says why, for clients that show it.
        QVERIFY(!QJsonDocument::fromJson(response.body)
                     .object()
                     .value("error")
                     .toObject()
                     .value("message")
                     .toString()
                     .isEmpty());
    }

    void localOriginsAndTheTokenAreAccepted()
    {
        McpHttpEndpoint endpoint(m_dbPath, kCollector);
        // The first of duplicate headers wins in request(): the token, not the project key.
        const Headers headers = withAuth(
            { { "Origin", "http://localhost:5173" }, { "Authorization", "Bearer 0123456789abcdef0123456789abcdef" } });
        QCOMPARE(endpoint.handle(request(kInitialize, headers)).status, 200);
        QVERIFY(isLoopbackOrigin("http://[::1]:8990"));
        QVERIFY(isLoopbackHost("[::1]:8990"));
        QVERIFY(!isLoopbackOrigin("http://127.0.0.1.evil.example"));
    }

    void sessionsComeFromInitializeAndEnd()
    {
        McpHttpEndpoint endpoint(m_dbPath, kCollector);
        QCOMPARE(endpoint.handle(request(kPing, withAuth())).status, 400); // no session yet
        const McpHttpResponse init = endpoint.handle(request(kInitialize, withAuth()));
        QCOMPARE(init.status, 200);
        const QByteArray session = header(init, "Mcp-Session-Id");
        QCOMPARE(session.size(), 32);
        QCOMPARE(endpoint.handle(request(kPing, withAuth({ { "Mcp-Session-Id", "nope" } }))).status, 404);
        const McpHttpResponse ping = endpoint.handle(
            request(kPing, withAuth({ { "Mcp-Session-Id", session }, { "MCP-Protocol-Version", "2025-11-25" } })));
        QCOMPARE(ping.status, 200);
        QCOMPARE(QJsonDocument::fromJson(ping.body).object().value("id").toInt(), 2);
        const McpHttpResponse notification = endpoint.handle(request(
            R"({"jsonrpc":"2.0","method":"notifications/initialized"})", withAuth({ { "Mcp-Session-Id", session } })));
        QCOMPARE(notification.status, 202);
        QVERIFY(notification.body.isEmpty());
        QCOMPARE(endpoint.handle(request("{oops", withAuth({ { "Mcp-Session-Id", session } }))).status, 400);
        QCOMPARE(endpoint.handle(request({}, withAuth({ { "Mcp-Session-Id", session } }), "DELETE")).status, 200);
        QCOMPARE(endpoint.handle(request(kPing, withAuth({ { "Mcp-Session-Id", session } }))).status, 404);
    }
};

QTEST_GUILESS_MAIN(TestHttpEndpoint)
#include "tst_http_endpoint.moc"
