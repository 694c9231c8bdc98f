// The search language: what each term means, and the exact message and span
// a person sees for a mistake.
#include "model/query/query_parser.h"

#include <QTest>

using namespace faultline;

class TestQueryParser : public QObject {
    Q_OBJECT

private slots:
    void emptyQueryHasNoTerms();
    void statusTerms();
    void levelComparisons();
    void keyedTerms();
    void unknownKeyIsATag();
    void freeTextAndPhrases();
    void negation();
    void httpStatus();
    void durations();
    void spansPointAtTheTerm();
    void errors_data();
    void errors();
    void levelsMatching();
    void everyMistakeIsReported();
    void everyKeyOfTheTableSearchesItsField();
};

void TestQueryParser::emptyQueryHasNoTerms()
{
    const auto result = parseQuery(QStringLiteral("   "));
    QVERIFY(result.ok());
    QVERIFY(result->isEmpty());
    QVERIFY(parseQuery(QStringLiteral("\"\""))->isEmpty());
}

void TestQueryParser::statusTerms()
{
    const auto result = parseQuery(QStringLiteral("is:Resolved is:regressed is:for_review"));
    QVERIFY(result.ok());
    QCOMPARE(result->terms.size(), 3);
    QCOMPARE(result->terms[0].field, QueryField::IssueStatus);
    QCOMPARE(result->terms[0].value, QStringLiteral("resolved"));
    QCOMPARE(result->terms[1].value, QStringLiteral("regressed"));
    QCOMPARE(result->terms[2].value, QStringLiteral("for_review"));
}

void TestQueryParser::everyMistakeIsReported()
{
    // Not only the first: each bad term in the order typed, good terms between them ignored,
    // a dangling '-' and an unterminated quote included.
    const QString text = QStringLiteral("level:loud timeout - age:soon release:1.2 \"open");
    const auto result = parseQuery(text);
    QVERIFY(!result.ok());
    QStringList types;
    QList<int> starts;
    for (const FieldError &error : result.errors()) {
        types.append(error.type);
        starts.append(querySpan(error).start);
    }
    QCOMPARE(types,
        QStringList({ QStringLiteral("query.unknown_level"), QStringLiteral("query.dangling_negation"),
            QStringLiteral("query.invalid_duration"), QStringLiteral("query.unterminated_quote") }));
    QCOMPARE(starts, QList<int>({ 0, 19, 21, 42 }));
}

void TestQueryParser::levelComparisons()
{
    const auto result
        = parseQuery(QStringLiteral("level:error level:>=warning level:<info level:>DEBUG level:<=fatal"));
    QVERIFY(result.ok());
    QCOMPARE(result->terms.size(), 5);
    QCOMPARE(result->terms[0].compare, QueryCompare::Equal);
    QCOMPARE(result->terms[0].value, QStringLiteral("error"));
    QCOMPARE(result->terms[1].compare, QueryCompare::GreaterOrEqual);
    QCOMPARE(result->terms[1].value, QStringLiteral("warning"));
    QCOMPARE(result->terms[2].compare, QueryCompare::Less);
    QCOMPARE(result->terms[3].compare, QueryCompare::Greater);
    QCOMPARE(result->terms[3].value, QStringLiteral("debug"));
    QCOMPARE(result->terms[4].compare, QueryCompare::LessOrEqual);
}

void TestQueryParser::keyedTerms()
{
    const auto result = parseQuery(QStringLiteral(
        "project:shop service:7 release:\"1.0 beta\" environment:prod tag:user.id=42 has:Locals has:validation "
        "has:browser field:body.email"));
    QVERIFY(result.ok());
    const auto &t = result->terms;
    QCOMPARE(t.size(), 9);
    QCOMPARE(t[0].field, QueryField::Project);
    QCOMPARE(t[0].value, QStringLiteral("shop"));
    QCOMPARE(t[1].field, QueryField::Project);
    QCOMPARE(t[1].value, QStringLiteral("7"));
    QCOMPARE(t[2].field, QueryField::Release);
    QCOMPARE(t[2].value, QStringLiteral("1.0 beta"));
    QCOMPARE(t[3].field, QueryField::Environment);
    QCOMPARE(t[3].value, QStringLiteral("prod"));
    QCOMPARE(t[4].field, QueryField::Tag);
    QCOMPARE(t[4].key, QStringLiteral("user.id"));
    QCOMPARE(t[4].value, QStringLiteral("42"));
    QCOMPARE(t[5].field, QueryField::Has);
    QCOMPARE(t[5].key, QStringLiteral("locals"));
    QCOMPARE(t[6].key, QStringLiteral("validation"));
    QCOMPARE(t[7].key, QStringLiteral("browser"));
    QCOMPARE(t[8].field, QueryField::ValidationField);
    QCOMPARE(t[8].value, QStringLiteral("body.email"));
}

void TestQueryParser::unknownKeyIsATag()
{
    const auto result = parseQuery(QStringLiteral("server_name:web-1 url:http://x/y KeyError:"));
    QVERIFY(result.ok());
    QCOMPARE(result->terms.size(), 3);
    QCOMPARE(result->terms[0].field, QueryField::Tag);
    QCOMPARE(result->terms[0].key, QStringLiteral("server_name"));
    QCOMPARE(result->terms[0].value, QStringLiteral("web-1"));
    QCOMPARE(result->terms[1].key, QStringLiteral("url"));
    QCOMPARE(result->terms[1].value, QStringLiteral("http://x/y"));
    // A word with a trailing colon, as pasted from a traceback, is text.
    QCOMPARE(result->terms[2].field, QueryField::Text);
    QCOMPARE(result->terms[2].value, QStringLiteral("KeyError:"));
}

void TestQueryParser::freeTextAndPhrases()
{
    const auto result = parseQuery(QStringLiteral("zero \"division by\" 50%_off \"say \\\"hi\\\"\" ::x"));
    QVERIFY(result.ok());
    const auto &t = result->terms;
    QCOMPARE(t.size(), 5);
    QCOMPARE(t[0].field, QueryField::Text);
    QCOMPARE(t[0].value, QStringLiteral("zero"));
    QVERIFY(!t[0].phrase);
    QCOMPARE(t[1].value, QStringLiteral("division by"));
    QVERIFY(t[1].phrase);
    QCOMPARE(t[2].value, QStringLiteral("50%_off"));
    QCOMPARE(t[3].value, QStringLiteral("say \"hi\""));
    QCOMPARE(t[4].field, QueryField::Text);
    QCOMPARE(t[4].value, QStringLiteral("::x"));
}

void TestQueryParser::negation()
{
    const auto result = parseQuery(QStringLiteral("!is:ignored -level:debug -\"a b\" !word"));
    QVERIFY(result.ok());
    QCOMPARE(result->terms.size(), 4);
    for (const auto &term : result->terms)
        QVERIFY(term.negated);
    QCOMPARE(result->terms[0].field, QueryField::IssueStatus);
    QCOMPARE(result->terms[2].value, QStringLiteral("a b"));
    QCOMPARE(result->terms[3].value, QStringLiteral("word"));
}

void TestQueryParser::httpStatus()
{
    const auto result = parseQuery(QStringLiteral("status:500 status:4xx status:2XX"));
    QVERIFY(result.ok());
    QCOMPARE(result->terms[0].httpStatusMin, 500);
    QCOMPARE(result->terms[0].httpStatusMax, 500);
    QCOMPARE(result->terms[1].httpStatusMin, 400);
    QCOMPARE(result->terms[1].httpStatusMax, 499);
    QCOMPARE(result->terms[2].httpStatusMin, 200);
}

void TestQueryParser::durations()
{
    const auto result = parseQuery(QStringLiteral("age:-24h last_seen:+2w age:30s last_seen:-5m age:-1d"));
    QVERIFY(result.ok());
    const auto &t = result->terms;
    QCOMPARE(t[0].field, QueryField::FirstSeen);
    QCOMPARE(t[0].seconds, 24 * 3600);
    QVERIFY(!t[0].olderThan);
    QCOMPARE(t[1].field, QueryField::LastSeen);
    QCOMPARE(t[1].seconds, 14 * 86400);
    QVERIFY(t[1].olderThan);
    QCOMPARE(t[2].seconds, 30);
    QVERIFY(!t[2].olderThan);
    QCOMPARE(t[3].seconds, 300);
    QCOMPARE(t[4].seconds, 86400);
}

void TestQueryParser::spansPointAtTheTerm()
{
    const QString text = QStringLiteral("  foo  -level:error \"x y\"");
    const auto result = parseQuery(text);
    QVERIFY(result.ok());
    QCOMPARE(result->terms.size(), 3);
    QCOMPARE(text.mid(result->terms[0].start, result->terms[0].length), QStringLiteral("foo"));
    QCOMPARE(text.mid(result->terms[1].start, result->terms[1].length), QStringLiteral("-level:error"));
    QCOMPARE(text.mid(result->terms[2].start, result->terms[2].length), QStringLiteral("\"x y\""));
}

void TestQueryParser::errors_data()
{
    QTest::addColumn<QString>("query");
    QTest::addColumn<QString>("message");
    QTest::addColumn<QString>("type");
    QTest::addColumn<int>("start");
    QTest::addColumn<int>("length");

    QTest::newRow("unknown status")
        << "level:error is:foo"
        << "unknown status 'foo': expected unresolved, resolved, ignored, regressed or for_review"
        << "query.unknown_status" << 12 << 6;
    QTest::newRow("unknown level")
        << "level:>=loud"
        << "level:>=loud: unknown level 'loud': expected debug, info, warning, error or fatal"
        << "query.unknown_level" << 0 << 12;
    QTest::newRow("negated unknown level")
        << "x !level:loud"
        << "level:loud: unknown level 'loud': expected debug, info, warning, error or fatal"
        << "query.unknown_level" << 2 << 11;
    QTest::newRow("bad age") << "age:yesterday"
                             << "age: expected a duration like -24h"
                             << "query.invalid_duration" << 0 << 13;
    QTest::newRow("bad last_seen unit") << "last_seen:-3y"
                                        << "last_seen: expected a duration like -24h"
                                        << "query.invalid_duration" << 0 << 13;
    QTest::newRow("unterminated phrase") << "foo \"bar baz"
                                         << "unterminated quote"
                                         << "query.unterminated_quote" << 4 << 8;
    QTest::newRow("unterminated value") << "release:\"1.0"
                                        << "unterminated quote"
                                        << "query.unterminated_quote" << 0 << 12;
    QTest::newRow("empty release") << "release:"
                                   << "release: needs a value"
                                   << "query.missing_value" << 0 << 8;
    QTest::newRow("empty quoted release") << "a release:\"\""
                                          << "release: needs a value"
                                          << "query.missing_value" << 2 << 10;
    QTest::newRow("empty is") << "is:"
                              << "is: needs a value"
                              << "query.missing_value" << 0 << 3;
    QTest::newRow("tag without =") << "tag:browser"
                                   << "tag: expected key=value"
                                   << "query.invalid_tag" << 0 << 11;
    QTest::newRow("bad http status") << "status:600"
                                     << "status: expected an HTTP status like 500 or 4xx"
                                     << "query.invalid_http_status" << 0 << 10;
    QTest::newRow("dangling negation") << "foo - bar"
                                       << "'-' needs a term right after it"
                                       << "query.dangling_negation" << 4 << 1;
}

void TestQueryParser::errors()
{
    QFETCH(QString, query);
    QFETCH(QString, message);
    QFETCH(QString, type);
    QFETCH(int, start);
    QFETCH(int, length);
    const auto result = parseQuery(query);
    QVERIFY(!result.ok());
    QCOMPARE(result.errors().size(), 1);
    QCOMPARE(result.errors().first().msg, message);
    QCOMPARE(result.errors().first().type, type);
    const QuerySpan span = querySpan(result.errors().first());
    QCOMPARE(span.start, start);
    QCOMPARE(span.length, length);
}

void TestQueryParser::levelsMatching()
{
    QCOMPARE(faultline::levelsMatching(QueryCompare::GreaterOrEqual, QStringLiteral("warning")),
        (QStringList { QStringLiteral("warning"), QStringLiteral("error"), QStringLiteral("fatal") }));
    QCOMPARE(
        faultline::levelsMatching(QueryCompare::Less, QStringLiteral("info")), QStringList { QStringLiteral("debug") });
    QVERIFY(faultline::levelsMatching(QueryCompare::Greater, QStringLiteral("fatal")).isEmpty());
    QCOMPARE(levelRank(QStringLiteral("loud")), -1);
}

// The parser reads model/query/query.h's key table; a key added there is checked here.
void TestQueryParser::everyKeyOfTheTableSearchesItsField()
{
    const QHash<QueryField, QString> validValue
        = { { QueryField::IssueStatus, QStringLiteral("unresolved") }, { QueryField::Level, QStringLiteral("error") },
              { QueryField::Tag, QStringLiteral("a=b") }, { QueryField::HttpStatus, QStringLiteral("500") },
              { QueryField::FirstSeen, QStringLiteral("-24h") }, { QueryField::LastSeen, QStringLiteral("-24h") } };
    for (const QueryKey &key : queryKeys()) {
        const QString name = QString::fromLatin1(key.name);
        const QString value = validValue.value(key.field, QStringLiteral("x"));
        for (const QString &typed : { name, name.toUpper() }) {
            const auto result = parseQuery(typed + u':' + value);
            QVERIFY2(result.ok(), qPrintable(typed));
            QCOMPARE(result->terms.size(), 1);
            QCOMPARE(result->terms.first().field, key.field);
            QCOMPARE(queryKeyField(typed), std::optional<QueryField>(key.field));
            // A known key needs a value; an unknown one before a colon is a word ("KeyError:").
            QVERIFY2(!parseQuery(typed + u':').ok(), qPrintable(typed));
        }
    }
    QCOMPARE(queryKeyField(QStringLiteral("browser")), std::nullopt);
    QCOMPARE(parseQuery(QStringLiteral("KeyError:"))->terms.first().field, QueryField::Text);
}

QTEST_GUILESS_MAIN(TestQueryParser)
#include "tst_query_parser.moc"
