// Every row of the scrubbing rule tables (model/secret_text.h, model/secret_keys.h,
// model/scrub_request.h) fires on both paths: the Qt rewrite (scrubSecrets,
// scrubbedPage) and the collector's read-only check on simdjson (needsScrubbing).
// A rule added to a table is tested here without a line more.
#include "model/json_dom.h"
#include "model/scrub.h"
#include "model/scrub_request.h"
#include "model/secret_keys.h"
#include "model/secret_text.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using namespace faultline;

namespace {

// Whether the rewrite changed the event and the check asked for it, for the same JSON.
struct BothPaths {
    bool rewritten = false;
    bool detected = false;
};

BothPaths scrubBoth(const QJsonObject &event, unsigned keep = 0)
{
    const QByteArray json = QJsonDocument(event).toJson(QJsonDocument::Compact);
    const std::optional<json::Document> document = json::Document::parse(json);
    if (!document)
        qFatal("not JSON: %s", json.constData());
    QJsonObject copy = event;
    return { scrubSecrets(copy, keep), needsScrubbing(document->root(), keep) };
}

QJsonObject withNote(const QString &text) { return { { "extra", QJsonObject { { "note", text } } } }; }

int rangesFound(const TextRule &rule, QStringView text)
{
    int ranges = 0;
    auto count = [&ranges](qsizetype, qsizetype) {
        ++ranges;
        return true;
    };
    rule.find(text, text_scan::RangeSink(count));
    return ranges;
}

} // namespace

class TestScrubRules : public QObject {
    Q_OBJECT

private slots:
    void textRule_data()
    {
        QTest::addColumn<int>("index");
        for (qsizetype i = 0; i < qsizetype(textRules().size()); ++i)
            QTest::newRow(textRules()[size_t(i)].name) << int(i);
    }

    void textRule()
    {
        QFETCH(int, index);
        const TextRule &rule = textRules()[size_t(index)];
        const QString example = QString::fromUtf8(rule.example);
        const QByteArray utf8 = example.toUtf8();
        const std::string_view bytes(utf8.constData(), size_t(utf8.size()));

        // Its triggers are in its example, in both encodings.
        QCOMPARE(textTriggers(example) & rule.triggers, rule.triggers);
        QCOMPARE(textTriggers(bytes) & rule.triggers, rule.triggers);
        // It finds its example on both encodings, and no other rule does (so what follows tests this one).
        QVERIFY(rangesFound(rule, example) > 0);
        QVERIFY(rule.occursIn(bytes));
        for (const TextRule &other : textRules()) {
            if (&other == &rule)
                continue;
            QVERIFY2(rangesFound(other, example) == 0, other.name);
            QVERIFY2(!other.occursIn(bytes), other.name);
        }

        // Both paths, in a string value of an event.
        const BothPaths scrubbed = scrubBoth(withNote(example));
        QVERIFY(scrubbed.rewritten);
        QVERIFY(scrubbed.detected);
        const std::optional<QString> filtered = withTextSecretsFiltered(example, 0, TextScope::Value);
        QVERIFY(filtered);
        QVERIFY(filtered->contains(QLatin1String("[Filtered]")));
        QVERIFY(hasTextSecret(bytes, 0, TextScope::Value));

        // In a stored page too, unless it is about whole values.
        QCOMPARE(scrubbedPage(utf8).has_value(), !rule.wholeValue);
        QCOMPARE(hasTextSecret(bytes, 0, TextScope::Page), !rule.wholeValue);

        // A project that opts out keeps it, on both paths.
        if (rule.optOut != 0) {
            QCOMPARE(parseScrubOptOuts(QString::fromLatin1(rule.name)), std::optional<unsigned>(rule.optOut));
            QCOMPARE(scrubOptOutNames(rule.optOut), QString::fromLatin1(rule.name));
            const BothPaths kept = scrubBoth(withNote(example), rule.optOut);
            QVERIFY(!kept.rewritten);
            QVERIFY(!kept.detected);
            QVERIFY(!scrubbedPage(utf8, rule.optOut));
        }
    }

    void everyOptOutHasOneRule()
    {
        unsigned seen = 0;
        for (const TextRule &rule : textRules()) {
            QVERIFY2((seen & rule.optOut) == 0, rule.name);
            seen |= rule.optOut;
        }
        QCOMPARE(seen, unsigned(KeepCreditCards | KeepUsSsns | KeepBearerTokens | KeepUrlPasswords | KeepPrivateKeys));
        QCOMPARE(parseScrubOptOuts(scrubOptOutNames(seen)), std::optional<unsigned>(seen));
    }

    void keyRule_data()
    {
        QTest::addColumn<QString>("key");
        QTest::addColumn<bool>("environmentDump");
        for (const KeyRule &rule : keyRules()) {
            QTest::newRow(rule.text) << QString::fromLatin1(rule.text) << rule.environmentDump;
            // Matched on words, in any spelling of them.
            const QString upper = QString::fromLatin1(rule.text).toUpper();
            const QString spelt = rule.match == KeyMatch::LastWord ? QStringLiteral("Extra.%1").arg(upper)
                                                                   : QStringLiteral("X-%1-Value").arg(upper);
            QTest::newRow(qPrintable(spelt)) << spelt << rule.environmentDump;
        }
    }

    void keyRule()
    {
        QFETCH(QString, key);
        QFETCH(bool, environmentDump);
        const KeyClass wide = classifyKey(key);
        const QByteArray utf8 = key.toUtf8();
        const KeyClass narrow = classifyKey(std::string_view(utf8.constData(), size_t(utf8.size())));
        QCOMPARE(environmentDump ? wide.environmentDump : wide.sensitive, true);
        QCOMPARE(narrow.sensitive, wide.sensitive);
        QCOMPARE(narrow.environmentDump, wide.environmentDump);

        const BothPaths scrubbed = scrubBoth({ { "extra", QJsonObject { { key, "value" } } } });
        QVERIFY(scrubbed.rewritten);
        QVERIFY(scrubbed.detected);
    }

    void requestMemberRule_data()
    {
        QTest::addColumn<QString>("member");
        QTest::addColumn<QByteArray>("example");
        for (const RequestMemberRule &rule : requestMemberRules()) {
            const QString member = QString::fromLatin1(rule.member);
            QTest::newRow(rule.member) << member << QByteArray(rule.example);
            const QString capitalised = member.left(1).toUpper() + member.mid(1);
            QTest::newRow(qPrintable(capitalised)) << capitalised << QByteArray(rule.example);
        }
    }

    void requestMemberRule()
    {
        QFETCH(QString, member);
        QFETCH(QByteArray, example);
        const QJsonValue value = QJsonDocument::fromJson("[" + example + "]").array().first();
        QVERIFY(!value.isUndefined());
        const BothPaths scrubbed = scrubBoth({ { "request", QJsonObject { { member, value } } } });
        QVERIFY(scrubbed.rewritten);
        QVERIFY(scrubbed.detected);
    }
};

QTEST_GUILESS_MAIN(TestScrubRules)
#include "tst_scrub_rules.moc"
