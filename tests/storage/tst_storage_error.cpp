// A storage error's short form, as every view shows it in line: the first
// line of its words, bounded, marked "…" where anything was left out.
#include "storage/storage_error_text.h"

#include <QTest>

using namespace faultline;

class TestStorageError : public QObject {
    Q_OBJECT

private slots:
    void aShortOneLineTextStaysAsItIs()
    {
        QCOMPARE(shortErrorText(QStringLiteral("no such table: events")), QStringLiteral("no such table: events"));
        QCOMPARE(shortErrorText(QStringLiteral("  disk I/O error\n")), QStringLiteral("disk I/O error"));
        QCOMPARE(shortErrorText(QString()), QString());
    }

    void libpqsLinesAfterTheFirstAreLeftOut()
    {
        // As libpq says a server gone away, tabs and all.
        const QString said = QStringLiteral("server closed the connection unexpectedly\n"
                                            "\tThis probably means the server terminated abnormally\n"
                                            "\tbefore or while processing the request.");
        QCOMPARE(shortErrorText(said), QStringLiteral("server closed the connection unexpectedly…"));
    }

    void aLongLineIsCutToTheBound()
    {
        const QString said = QStringLiteral("could not connect to server: ") + QString(200, u'x');
        const QString shown = shortErrorText(said);
        QCOMPARE(shown.size(), kShortErrorChars);
        QVERIFY(shown.endsWith(u'…'));
        QVERIFY(said.startsWith(shown.chopped(1)));
    }

    void aKindsWordsAreShortAlready()
    {
        const StorageError busy { StorageError::Kind::Busy, QStringLiteral("database is locked") };
        QCOMPARE(storageErrorShortText(busy), storageErrorText(busy));
        const StorageError other { StorageError::Kind::Other, QStringLiteral("ERROR:  boom\nDETAIL:  why") };
        QCOMPARE(storageErrorShortText(other), QStringLiteral("ERROR:  boom…"));
    }
};

QTEST_GUILESS_MAIN(TestStorageError)
#include "tst_storage_error.moc"
