// An event's issue words computed in the collector (#18) against the server's own
// event_words(to_tsvector('simple', search_words(...))) on a throw-away cluster at
// this build's schema: the same words and pairs for every fixture the collector
// accepts and for thousands of generated texts built to hit the parser's splits,
// and nothing for text the server folds by ICU.
#include "storage_test_helpers.h"

#include "storage/incoming_event.h"
#include "storage/postgres/pg_event_words.h"
#include "support/fixture_events.h"
#include "support/fixtures.h"
#include "support/postgres_database.h"

#include <QDateTime>
#include <QHash>
#include <QJsonDocument>
#include <QRandomGenerator>
#include <QSet>
#include <QTest>

#include <algorithm>

using namespace faultline;
using namespace faultline::test;

namespace {

// The five text columns of an event, as the writer stores them.
struct TextColumns {
    QByteArray title, message, exceptionValues, culprit, frames;

    // What the search column's expression concatenates.
    QByteArray searched() const { return title + ' ' + message + ' ' + exceptionValues + ' ' + culprit + ' ' + frames; }
};

QSet<QByteArray> collectorWords(const TextColumns &columns)
{
    const std::optional<std::vector<QByteArray>> words
        = pgEventWords(columns.title, columns.message, columns.exceptionValues, columns.culprit, columns.frames);
    if (!words)
        qFatal("pgEventWords refused ASCII text: %s", columns.searched().constData());
    const QSet<QByteArray> distinct(words->begin(), words->end());
    if (qsizetype(words->size()) != distinct.size())
        qFatal("pgEventWords repeated a word for: %s", columns.searched().constData());
    return distinct;
}

// `texts` as a text[] literal: each element quoted, its quotes and backslashes escaped.
QByteArray textArray(const QList<QByteArray> &texts)
{
    QByteArray literal = "{";
    for (const QByteArray &text : texts) {
        if (literal.size() > 1)
            literal += ',';
        literal += '"';
        for (const char c : text) {
            if (c == '"' || c == '\\')
                literal += '\\';
            literal += c;
        }
        literal += '"';
    }
    return literal + '}';
}

QByteArray joined(const QSet<QByteArray> &words)
{
    QList<QByteArray> sorted = words.values();
    std::sort(sorted.begin(), sorted.end());
    return sorted.join(' ');
}

// Letters ('e' and 'E' often: they start the parser's numbers), digits, spaces and punctuation,
// in pieces of up to 24 bytes, so runs of every shape meet at every kind of boundary.
QByteArray generatedText(QRandomGenerator &random)
{
    static const QByteArray alphabet = "abcxyzeeeEEA0123456789999      .-_:/@'\"\\{},+";
    QByteArray text;
    for (int length = random.bounded(25); length > 0; --length)
        text += alphabet.at(random.bounded(alphabet.size()));
    return text;
}

} // namespace

class TestPgEventWords : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void wordsAndPairsOfAnEvent();
    void leavesNonAsciiToTheServer();
    void computesEventAfterEventInOneBuffer();
    void agreesWithTheServerOnEveryFixture();
    void agreesWithTheServerOnGeneratedText();
    void keepsPairsPastTheServersPositionLimit();

private:
    // The server's distinct event words of each set of columns, in one round trip.
    QList<QSet<QByteArray>> serverWords(const QList<TextColumns> &events);
    // Fails naming the text when the collector misses a word of the server's or (`exact`) adds one.
    void compareWithServer(const QList<TextColumns> &events, const QString &origin);

    PostgresCluster m_cluster;
    std::unique_ptr<PgConnection> m_db;
};

void TestPgEventWords::initTestCase()
{
    QString failed;
    m_db = startMigrated(m_cluster, QStringLiteral("words"), &failed);
    QVERIFY2(m_db, qPrintable(failed));
}

QList<QSet<QByteArray>> TestPgEventWords::serverWords(const QList<TextColumns> &events)
{
    QList<QByteArray> texts;
    for (const TextColumns &columns : events)
        texts.append(columns.searched());
    auto rows
        = m_db->exec(QStringLiteral("SELECT t.ordinal, w FROM unnest($1::text[]) WITH ORDINALITY t(text, ordinal) "
                                    "CROSS JOIN unnest(event_words(to_tsvector('simple', search_words(t.text)))) w"),
            { PgParam::text(textArray(texts)) });
    if (!rows)
        qFatal("event_words failed: %s", qPrintable(rows.error().message));
    QList<QSet<QByteArray>> words(events.size());
    for (int row = 0; row < rows->rowCount(); ++row)
        words[rows->int64(row, 0) - 1].insert(rows->bytes(row, 1));
    return words;
}

void TestPgEventWords::compareWithServer(const QList<TextColumns> &events, const QString &origin)
{
    const QList<QSet<QByteArray>> expected = serverWords(events);
    for (qsizetype i = 0; i < events.size(); ++i) {
        const QSet<QByteArray> computed = collectorWords(events.at(i));
        const QSet<QByteArray> missing = expected.at(i) - computed;
        const QSet<QByteArray> extra = computed - expected.at(i);
        QVERIFY2(missing.isEmpty() && extra.isEmpty(),
            qPrintable(QStringLiteral("%1, text \"%2\": missing [%3], extra [%4]")
                           .arg(origin, QString::fromLatin1(events.at(i).searched()),
                               QString::fromLatin1(joined(missing)), QString::fromLatin1(joined(extra)))));
    }
}

void TestPgEventWords::wordsAndPairsOfAnEvent()
{
    // "9e6687" is a number to the parser, "x3" the word after it: both take a position.
    QCOMPARE(collectorWords({ "Order12345 failed: 9e6687x3", {}, {}, {}, {} }),
        (QSet<QByteArray> { "order", "failed", "x", "order0failed" }));
    // Columns are joined by a space: the last word of one is next to the first of the next.
    QCOMPARE(collectorWords({ "KeyError", "", "user_id", "", "" }),
        (QSet<QByteArray> { "keyerror", "user", "id", "keyerror0user", "user0id" }));
}

void TestPgEventWords::leavesNonAsciiToTheServer()
{
    QVERIFY(!pgEventWords("Überweisung fehlgeschlagen", {}, {}, {}, {}));
    QVERIFY(!pgEventWords("ascii", "ascii", "ascii", "ascii", QByteArray("frame \x80", 7)));
    QVERIFY(pgEventWords({}, {}, {}, {}, {}).has_value());
}

void TestPgEventWords::computesEventAfterEventInOneBuffer()
{
    const auto wordsOf = [](const PgEventWords &words) {
        QHash<QByteArray, quint64> hashes;
        for (qsizetype i = 0; i < words.size(); ++i)
            hashes.insert(words.at(i).toByteArray(), words.hashAt(i));
        return hashes;
    };
    PgEventWords words;
    QVERIFY(words.compute("Timeout talking to db", {}, {}, {}, {}));
    const QHash<QByteArray, quint64> first = wordsOf(words);
    QCOMPARE(first.size(), 7); // 4 words, 3 pairs
    // The next event replaces the last one's words; a word they share keeps its hash.
    QVERIFY(words.compute("Timeout", {}, {}, {}, "retry"));
    const QHash<QByteArray, quint64> second = wordsOf(words);
    QCOMPARE(QSet<QByteArray>(second.keyBegin(), second.keyEnd()),
        (QSet<QByteArray> { "timeout", "retry", "timeout0retry" }));
    QCOMPARE(second.value("timeout"), first.value("timeout"));
    QVERIFY(second.value("timeout") != second.value("retry"));
    // Text left to the server leaves no words behind.
    QVERIFY(!words.compute("Zeitüberschreitung", {}, {}, {}, {}));
    QCOMPARE(words.size(), 0);
}

void TestPgEventWords::agreesWithTheServerOnEveryFixture()
{
    QList<TextColumns> events;
    for (const IncomingEvent &prepared : acceptedFixtureEvents(QDateTime::currentMSecsSinceEpoch())) {
        const EventColumns &stored = prepared.columns;
        const TextColumns columns { stored.title, stored.message, stored.exceptionValues, stored.culprit,
            stored.frames };
        if (!pgEventWords(columns.title, columns.message, columns.exceptionValues, columns.culprit, columns.frames))
            continue; // not ASCII: the server's
        events.append(columns);
    }
    QVERIFY2(events.size() >= 20, qPrintable(QStringLiteral("only %1 fixtures compared").arg(events.size())));
    compareWithServer(events, QStringLiteral("fixture"));
}

void TestPgEventWords::agreesWithTheServerOnGeneratedText()
{
    // Runs where the parser splits or might: numbers with exponents, 'e' without digits after it,
    // digits before letters, long digit runs, and tokens at to_tsvector's length limit.
    QList<TextColumns> events { { "9e6687x3 1e5 1e e5 123abc abc123 0x1f 1e5e5 1ee5 00e0 e", {}, {}, {}, {} },
        { "12e34ab5cd 1E5X 7e 7e8 7e8e 12345678901234567890123456789 x123456789012e5", {}, {}, {}, {} },
        { "before " + QByteArray(2046, 'w') + " after", {}, {}, {}, {} },
        { "before " + QByteArray(2047, 'w') + " after", "1e" + QByteArray(2045, '5') + "tail", {}, {}, {} } };
    const quint32 seed = 20261207;
    QRandomGenerator random(seed);
    for (int batch = 0; batch < 8; ++batch) {
        while (events.size() < 500) {
            events.append({ generatedText(random), generatedText(random), generatedText(random), generatedText(random),
                generatedText(random) });
        }
        compareWithServer(events, QStringLiteral("seed %1, batch %2").arg(seed).arg(batch));
        events.clear();
    }
}

void TestPgEventWords::keepsPairsPastTheServersPositionLimit()
{
    // A tsvector keeps 255 positions of a lexeme: the server loses the pair of the 301st "x".
    const TextColumns columns { QByteArray("x ").repeated(300) + "x y", {}, {}, {}, {} };
    const QSet<QByteArray> server = serverWords({ columns }).first();
    const QSet<QByteArray> computed = collectorWords(columns);
    QCOMPARE(computed - server, QSet<QByteArray> { "x0y" });
    QVERIFY((server - computed).isEmpty());
}

QTEST_MAIN(TestPgEventWords)
#include "tst_pg_event_words.moc"
