// Stored event JSON: round trips, reads rows written before the dictionary,
// refuses corrupt data, and the dictionary really earns its keep on events
// it was not built from.
#include "storage/raw_codec.h"
#include "support/fixtures.h"

#include <QJsonDocument>
#include <QTest>

#include <zstd.h>

using namespace faultline;

namespace {
// What the writer stores: the parsed object serialised compactly. `fixture` is a base name.
QByteArray storedForm(const QString &fixture)
{
    return QJsonDocument::fromJson(test::fixtureBody(fixture)).toJson(QJsonDocument::Compact);
}
} // namespace

class TestRawCodec : public QObject {
    Q_OBJECT
private slots:
    void roundTripsEveryStoreFixture_data()
    {
        QTest::addColumn<QString>("fixture");
        for (const QString &name : test::fixtureNames())
            if (name.endsWith(QLatin1String("_store")))
                QTest::newRow(qPrintable(name)) << name;
    }
    void roundTripsEveryStoreFixture()
    {
        QFETCH(QString, fixture);
        const QByteArray json = storedForm(fixture);
        QVERIFY(!json.isEmpty());
        const QByteArray packed = compressRaw(json);
        QVERIFY(!packed.isEmpty());
        QCOMPARE(decompressRaw(packed, json.size()), json);
        // The fixtures are not in the dictionary; for sentry-python, the client it was built
        // from, it must still cut plain zstd's size clearly, and for any other client never cost.
        const QByteArray plain = QByteArray::fromStdString(std::string(ZSTD_compressBound(size_t(json.size())), '\0'));
        const size_t plainSize = ZSTD_compress(
            const_cast<char *>(plain.data()), size_t(plain.size()), json.constData(), size_t(json.size()), 3);
        const bool sentryPython = test::fixtureHeaders(fixture).contains({ "User-Agent", "sentry.python/1.9.10" });
        QVERIFY2(double(packed.size()) < (sentryPython ? 0.75 : 1.0) * double(plainSize),
            qPrintable(QStringLiteral("%1 vs plain %2").arg(packed.size()).arg(plainSize)));
    }

    void readsRowsWrittenWithoutTheDictionary()
    {
        const QByteArray json = storedForm(QStringLiteral("python_exception_store"));
        QByteArray legacy(qsizetype(ZSTD_compressBound(size_t(json.size()))), Qt::Uninitialized);
        legacy.truncate(
            qsizetype(ZSTD_compress(legacy.data(), size_t(legacy.size()), json.constData(), size_t(json.size()), 3)));
        QCOMPARE(decompressRaw(legacy, json.size()), json);
    }

    void corruptOrMismatchedInputIsEmpty()
    {
        const QByteArray json = storedForm(QStringLiteral("python_message_store"));
        const QByteArray packed = compressRaw(json);
        QVERIFY(decompressRaw(packed, json.size() + 1).isEmpty());
        QVERIFY(decompressRaw(packed.left(packed.size() / 2), json.size()).isEmpty());
        QVERIFY(decompressRaw(QByteArray("garbage"), 7).isEmpty());
        QVERIFY(decompressRaw(QByteArray(), 0).isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestRawCodec)
#include "tst_raw_codec.moc"
