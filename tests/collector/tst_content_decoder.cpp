// Content-Encoding decoding: real fixture bodies, every encoding, and the
// failure modes a hostile client can produce (bombs, truncation, garbage).
#include "collector/content_decoder.h"
#include "support/collector/brotli.h"
#include "support/fixtures.h"
#include "support/http_client.h"

#include <QTest>

#include <zstd.h>

using namespace faultline;
using faultline::test::brotli;

namespace {

QByteArray zstd(const QByteArray &data)
{
    QByteArray out(qsizetype(ZSTD_compressBound(size_t(data.size()))), Qt::Uninitialized);
    out.resize(qsizetype(ZSTD_compress(out.data(), size_t(out.size()), data.constData(), size_t(data.size()), 3)));
    return out;
}

QByteArray zlibWrapped(const QByteArray &data) { return test::zlibCompress(data, 15); }

QByteArray rawDeflate(const QByteArray &data) { return test::zlibCompress(data, -15); }

} // namespace

class TestContentDecoder : public QObject {
    Q_OBJECT
private slots:
    void capturedGzipBodiesDecodeToTheCapturedJson_data()
    {
        QTest::addColumn<QString>("name");
        for (const QString &name : test::fixtureNames())
            if (test::fixtureMeta(name).value("original_content_encoding").toString() == "gzip")
                QTest::newRow(qPrintable(name)) << name;
    }
    void capturedGzipBodiesDecodeToTheCapturedJson()
    {
        QFETCH(QString, name);
        const QString bodyFile = test::fixtureMeta(name).value("body_file").toString();
        const QByteArray compressed = test::readFixture(bodyFile + ".gz");
        QVERIFY(!compressed.isEmpty());
        const DecodeResult result = decodeContent(compressed, "gzip", 1 << 20);
        QVERIFY2(result.ok(), qPrintable(result.error));
        QCOMPARE(result.data, test::readFixture(bodyFile));
    }

    void everyEncodingRoundTrips_data()
    {
        QTest::addColumn<QByteArray>("encoding");
        QTest::addColumn<QByteArray>("body");
        const QByteArray plain = test::readFixture("python_exception_store.json");
        QTest::newRow("identity") << QByteArray("") << plain;
        QTest::newRow("identity explicit") << QByteArray("Identity") << plain;
        QTest::newRow("gzip") << QByteArray("gzip") << test::gzip(plain);
        QTest::newRow("deflate zlib") << QByteArray("deflate") << zlibWrapped(plain);
        QTest::newRow("deflate raw") << QByteArray("deflate") << rawDeflate(plain);
        QTest::newRow("br") << QByteArray("br") << brotli(plain);
        QTest::newRow("zstd") << QByteArray("zstd") << zstd(plain);
        QTest::newRow("upper case name") << QByteArray("GZIP") << test::gzip(plain);
    }
    void everyEncodingRoundTrips()
    {
        QFETCH(QByteArray, encoding);
        QFETCH(QByteArray, body);
        const DecodeResult result = decodeContent(body, encoding, 1 << 20);
        QVERIFY2(result.ok(), qPrintable(result.error));
        QCOMPARE(result.data, test::readFixture("python_exception_store.json"));
    }

    void bombsStopAtTheLimit_data()
    {
        QTest::addColumn<QByteArray>("encoding");
        QTest::addColumn<QByteArray>("body");
        const QByteArray zeros(64 << 20, '\0'); // 64 MiB of zeros compresses to a few KiB
        QTest::newRow("gzip") << QByteArray("gzip") << test::gzip(zeros);
        QTest::newRow("br") << QByteArray("br") << brotli(zeros);
        QTest::newRow("zstd") << QByteArray("zstd") << zstd(zeros);
        QTest::newRow("deflate") << QByteArray("deflate") << zlibWrapped(zeros);
    }
    void bombsStopAtTheLimit()
    {
        QFETCH(QByteArray, encoding);
        QFETCH(QByteArray, body);
        QVERIFY(body.size() < 1 << 20);
        const DecodeResult result = decodeContent(body, encoding, 1 << 20);
        QCOMPARE(result.status, DecodeResult::Status::TooLarge);
        QVERIFY(result.data.isEmpty());
        QVERIFY2(result.error.contains("1048576 byte limit"), qPrintable(result.error));
    }

    void identityOverTheLimitIsTooLarge()
    {
        QCOMPARE(decodeContent(QByteArray(2048, 'x'), "", 1024).status, DecodeResult::Status::TooLarge);
    }

    void garbageAndTruncationAreMalformed_data()
    {
        QTest::addColumn<QByteArray>("encoding");
        QTest::addColumn<QByteArray>("body");
        const QByteArray plain = test::readFixture("python_message_store.json");
        QTest::newRow("gzip garbage") << QByteArray("gzip") << QByteArray("this is not gzip at all");
        QTest::newRow("gzip truncated") << QByteArray("gzip") << test::gzip(plain).left(100);
        QTest::newRow("br garbage") << QByteArray("br") << QByteArray("\xff\xff\xff\xff not brotli");
        QTest::newRow("br truncated") << QByteArray("br") << brotli(plain).left(50);
        QTest::newRow("zstd garbage") << QByteArray("zstd") << QByteArray("definitely not zstd");
        QTest::newRow("zstd truncated") << QByteArray("zstd") << zstd(plain).left(40);
        QTest::newRow("deflate garbage") << QByteArray("deflate") << QByteArray("\x01\x02garbage");
    }
    void garbageAndTruncationAreMalformed()
    {
        QFETCH(QByteArray, encoding);
        QFETCH(QByteArray, body);
        const DecodeResult result = decodeContent(body, encoding, 1 << 20);
        QCOMPARE(result.status, DecodeResult::Status::Malformed);
        QVERIFY(!result.error.isEmpty());
    }

    void legacyStoreBodiesDecodeToTheirJson_data()
    {
        QTest::addColumn<QString>("name");
        for (const QString &name : test::fixtureNames())
            if (test::fixtureMeta(name).value("body_encoding").toString() == "base64+zlib")
                QTest::newRow(qPrintable(name)) << name;
    }
    void legacyStoreBodiesDecodeToTheirJson()
    {
        QFETCH(QString, name);
        const QByteArray sent = test::readFixture(test::fixtureMeta(name).value("body_file").toString());
        QVERIFY(!sent.startsWith('{'));
        const DecodeResult result = decodeStoreBody(sent, 1 << 20);
        QVERIFY2(result.ok(), qPrintable(result.error));
        QVERIFY(result.data.startsWith('{'));
        QCOMPARE(result.data, test::fixtureBody(name));
    }

    void storeBodiesThatAreNotLegacyPassThrough_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QByteArray>("expected");
        const QByteArray json = test::readFixture("raven_go_message_store.json");
        QTest::newRow("JSON") << json << json;
        QTest::newRow("JSON after whitespace") << "\n  " + json << "\n  " + json;
        QTest::newRow("base64 of plain JSON") << json.toBase64() << json;
        QTest::newRow("not base64: left to the JSON parser") << QByteArray("[1, 2]") << QByteArray("[1, 2]");
    }
    void storeBodiesThatAreNotLegacyPassThrough()
    {
        QFETCH(QByteArray, body);
        QFETCH(QByteArray, expected);
        const DecodeResult result = decodeStoreBody(body, 1 << 20);
        QVERIFY2(result.ok(), qPrintable(result.error));
        QCOMPARE(result.data, expected);
    }

    void legacyBombStopsAtTheLimit()
    {
        const QByteArray body = zlibWrapped(QByteArray(64 << 20, ' ')).toBase64();
        QVERIFY(body.size() < 1 << 20);
        const DecodeResult result = decodeStoreBody(body, 1 << 20);
        QCOMPARE(result.status, DecodeResult::Status::TooLarge);
        QVERIFY2(result.error.contains("1048576 byte limit"), qPrintable(result.error));
    }

    void brokenLegacyBodiesAreMalformed_data()
    {
        QTest::addColumn<QByteArray>("body");
        const QByteArray json = test::readFixture("raven_go_message_store.json");
        QTest::newRow("base64 of garbage") << QByteArray("not deflated at all").toBase64();
        QTest::newRow("truncated zlib") << zlibWrapped(json).left(60).toBase64();
        QTest::newRow("bad base64 padding") << QByteArray("eJzLSM3JyVcozy/KSQEAGgQEXQ=");
    }
    void brokenLegacyBodiesAreMalformed()
    {
        QFETCH(QByteArray, body);
        const DecodeResult result = decodeStoreBody(body, 1 << 20);
        QCOMPARE(result.status, DecodeResult::Status::Malformed);
        QVERIFY2(result.error.contains("base64"), qPrintable(result.error));
    }

    void unknownEncodingIsUnsupported()
    {
        const DecodeResult result = decodeContent("x", "compress", 1024);
        QCOMPARE(result.status, DecodeResult::Status::Unsupported);
        QVERIFY(result.error.contains("compress"));
    }
};

QTEST_GUILESS_MAIN(TestContentDecoder)
#include "tst_content_decoder.moc"
