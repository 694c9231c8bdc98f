// scrubSecrets on the Django captures (credentials in clear) and on events
// built to probe each rule, including keys that must NOT be filtered; and
// needsScrubbing, the collector's read-only check, against it.
#include "model/json_dom.h"
#include "model/scrub.h"
#include "support/fixture_events.h"
#include "support/fixtures.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using namespace faultline;
using namespace faultline::test;

namespace {

const QString filtered = QStringLiteral("[Filtered]");

QJsonObject scrubbed(QJsonObject event)
{
    scrubSecrets(event);
    return event;
}

QJsonObject fromJson(const QByteArray &json) { return QJsonDocument::fromJson(json).object(); }

} // namespace

class TestScrub : public QObject {
    Q_OBJECT

private slots:
    void djangoRequestHeaders()
    {
        const QJsonObject original = fixtureEventJson(QStringLiteral("django_request_store"));
        QCOMPARE(original["request"]["headers"]["Authorization"].toString(), QStringLiteral("Bearer secret-token"));

        const QJsonObject event = scrubbed(original);
        const QJsonObject request = event["request"].toObject();
        const QJsonObject headers = request["headers"].toObject();
        QCOMPARE(headers.keys(), original["request"]["headers"].toObject().keys()); // names kept
        QCOMPARE(headers["Authorization"].toString(), filtered);
        QCOMPARE(headers["Cookie"].toString(), filtered);
        QCOMPARE(headers["Host"].toString(), QStringLiteral("testserver"));
        QCOMPARE(headers["User-Agent"].toString(), QStringLiteral("TestAgent/1.0"));
        QCOMPARE(request["cookies"]["sessionid"].toString(), filtered);
        QCOMPARE(request["query_string"].toString(), QStringLiteral("q=1&x=abc"));
        QCOMPARE(request["url"].toString(), QStringLiteral("http://testserver/boom/"));
        QCOMPARE(request["env"]["REMOTE_ADDR"].toString(), QStringLiteral("10.1.2.3"));
        QCOMPARE(event["user"]["ip_address"].toString(), QStringLiteral("10.1.2.3"));
        // nothing else changed
        QJsonObject rest = event;
        QJsonObject originalRest = original;
        rest.remove("request");
        originalRest.remove("request");
        QCOMPARE(rest, originalRest);
        QVERIFY(!QJsonDocument(event).toJson().contains("secret-token"));
    }

    void drfRequestKeepsData()
    {
        const QJsonObject event = scrubbed(fixtureEventJson(QStringLiteral("django_drf_validation_store")));
        QCOMPARE(event["request"]["headers"]["Authorization"].toString(), filtered);
        QCOMPARE(event["request"]["headers"]["Content-Type"].toString(), QStringLiteral("application/json"));
        QCOMPARE(event["request"]["data"]["quantity"].toInt(-1), 0);
        QCOMPARE(event["request"]["cookies"]["sessionid"].toString(), filtered);
    }

    void fixturesWithoutSecretsStayIdentical_data()
    {
        QTest::addColumn<QString>("name");
        for (const char *name : { "python_exception_store", "python_message_store", "python_rich_event_store",
                 "python_unhandled_excepthook_store", "pydantic_validation_store", "node_exception_envelope",
                 "node_message_envelope", "attachment_html_envelope" })
            QTest::newRow(name) << QString::fromLatin1(name);
    }

    void fixturesWithoutSecretsStayIdentical()
    {
        // false positives destroy debugging data: e.g. the rich event's breadcrumb
        // category "auth" and data {"method": "password"} are values, not secret keys
        QFETCH(QString, name);
        const QJsonObject original = fixtureEventJson(name);
        QVERIFY(!original.isEmpty());
        QCOMPARE(scrubbed(original), original);
        QJsonObject event = original;
        QVERIFY(!scrubSecrets(event)); // nothing replaced: the collector may store the bytes as sent
    }

    void reportsWhenItReplacedSomething()
    {
        QJsonObject event = fixtureEventJson(QStringLiteral("django_request_store"));
        QVERIFY(scrubSecrets(event));
        QVERIFY(!scrubSecrets(event)); // already filtered: nothing more to replace
    }

    void headerPairsAnyCase()
    {
        const QJsonObject event = scrubbed(fromJson(R"({"request":{"headers":[
            ["authorization","Basic dXNlcjpwYXNz"],["X-Auth-Token","t0k"],["x-api-key","k"],
            ["Set-Cookie","a=b"],["PROXY-AUTHORIZATION","p"],["X-CSRFToken","c"],
            ["Accept","text/html"],["Author","jane"],["X-Authority","ca"]]}})"));
        const QJsonArray headers = event["request"]["headers"].toArray();
        QCOMPARE(headers.size(), 9);
        QStringList values;
        for (const QJsonValue &pair : headers)
            values.append(pair.toArray().at(1).toString());
        QCOMPARE(values,
            (QStringList { filtered, filtered, filtered, filtered, filtered, filtered, "text/html", "jane", "ca" }));
        QCOMPARE(headers.at(1).toArray().at(0).toString(), QStringLiteral("X-Auth-Token"));
    }

    void sensitiveKeysAnywhere()
    {
        const QJsonObject event = scrubbed(fromJson(R"({
            "extra":{"password":"hunter2","db_password":"p","apiKey":"k","api_key":"k","private_key":{"pem":"x","bits":2048},
                     "csrfmiddlewaretoken":"c","auth":"a","credentials":["u","p"],"user_session":"s","mysql_pwd":"m",
                     "author":"jane","authority":"ca","order_id":12345,"note":null,"password_hint":null},
            "contexts":{"payment":{"type":"custom","client_secret":"cs","amount":10}},
            "breadcrumbs":[{"category":"auth","message":"login","data":{"method":"password","token":"t"}}],
            "user":{"id":"u-1","email":"jane@example.com","username":"jane","ip_address":"10.0.0.1","password":"p"},
            "exception":{"values":[{"type":"E","value":"token expired","stacktrace":{"frames":[{"function":"f",
                "vars":{"secret":"'s'","self":"<Obj>","header":"'Bearer abcdef123456'","authorization":{"k":"v"}}}]}}]}})"));
        const QJsonObject extra = event["extra"].toObject();
        for (const char *key : { "password", "db_password", "apiKey", "api_key", "csrfmiddlewaretoken", "auth",
                 "user_session", "mysql_pwd" })
            QVERIFY2(extra[key].toString() == filtered, key);
        QCOMPARE(extra["private_key"].toObject(), (QJsonObject { { "pem", filtered }, { "bits", filtered } }));
        QCOMPARE(extra["credentials"].toArray(), (QJsonArray { filtered, filtered }));
        QCOMPARE(extra["author"].toString(), QStringLiteral("jane"));
        QCOMPARE(extra["authority"].toString(), QStringLiteral("ca"));
        QCOMPARE(extra["order_id"].toInt(), 12345);
        QVERIFY(extra["note"].isNull());
        QVERIFY(extra["password_hint"].isNull()); // nothing to hide

        QCOMPARE(event["contexts"]["payment"]["client_secret"].toString(), filtered);
        QCOMPARE(event["contexts"]["payment"]["amount"].toInt(), 10);

        const QJsonObject crumb = event["breadcrumbs"].toArray().first().toObject();
        QCOMPARE(crumb["category"].toString(), QStringLiteral("auth"));
        QCOMPARE(crumb["data"]["method"].toString(), QStringLiteral("password"));
        QCOMPARE(crumb["data"]["token"].toString(), filtered);

        const QJsonObject user = event["user"].toObject();
        QCOMPARE(user["id"].toString(), QStringLiteral("u-1"));
        QCOMPARE(user["email"].toString(), QStringLiteral("jane@example.com"));
        QCOMPARE(user["username"].toString(), QStringLiteral("jane"));
        QCOMPARE(user["ip_address"].toString(), QStringLiteral("10.0.0.1"));
        QCOMPARE(user["password"].toString(), filtered);

        const QJsonObject exception = event["exception"]["values"].toArray().first().toObject();
        QCOMPARE(exception["value"].toString(), QStringLiteral("token expired"));
        const QJsonObject vars = exception["stacktrace"]["frames"].toArray().first().toObject()["vars"].toObject();
        QCOMPARE(vars["secret"].toString(), filtered);
        QCOMPARE(vars["self"].toString(), QStringLiteral("<Obj>"));
        QCOMPARE(vars["header"].toString(), filtered); // a credential by its shape
        QCOMPARE(vars["authorization"]["k"].toString(), filtered);
    }

    void environmentDumps()
    {
        // sentry-cli sends the whole process environment
        const QJsonObject event = scrubbed(fromJson(R"({"extra":{
            "environ":{"HOME":"/root","AWS_SECRET_ACCESS_KEY":"x","PATH":"/usr/bin","SHLVL":1},
            "sys.environ":{"LANG":"C"},"os.environ":{"USER":"root"},"environment_name":"prod"}})"));
        const QJsonObject environ = event["extra"]["environ"].toObject();
        QCOMPARE(environ.keys(), (QStringList { "AWS_SECRET_ACCESS_KEY", "HOME", "PATH", "SHLVL" }));
        for (const QJsonValue &value : environ)
            QCOMPARE(value.toString(), filtered);
        QCOMPARE(event["extra"]["sys.environ"]["LANG"].toString(), filtered);
        QCOMPARE(event["extra"]["os.environ"]["USER"].toString(), filtered);
        QCOMPARE(event["extra"]["environment_name"].toString(), QStringLiteral("prod"));
    }

    void requestStrings()
    {
        const QJsonObject event = scrubbed(QJsonObject { { "request",
            QJsonObject { { "url", "https://api.example.com/v1/items?api_key=abc&page=2" },
                { "query_string", "token=abc&page=2&access%5Ftoken=z" }, { "cookies", "sessionid=abc; csrftoken=def" },
                { "data",
                    QString::fromUtf8(
                        QJsonDocument(QJsonObject { { "password", "p" }, { "name", "n" } }).toJson()) } } } });
        const QJsonObject request = event["request"].toObject();
        QCOMPARE(
            request["url"].toString(), QStringLiteral("https://api.example.com/v1/items?api_key=[Filtered]&page=2"));
        QCOMPARE(
            request["query_string"].toString(), QStringLiteral("token=[Filtered]&page=2&access%5Ftoken=[Filtered]"));
        QCOMPARE(request["cookies"].toString(), QStringLiteral("sessionid=[Filtered]; csrftoken=[Filtered]"));
        const QJsonObject data = QJsonDocument::fromJson(request["data"].toString().toUtf8()).object();
        QCOMPARE(data["password"].toString(), filtered);
        QCOMPARE(data["name"].toString(), QStringLiteral("n"));

        const QJsonObject form = scrubbed(fromJson(R"({"request":{"data":"user=bob&password=hunter2"}})"));
        QCOMPARE(form["request"]["data"].toString(), QStringLiteral("user=bob&password=[Filtered]"));
    }

    void sdkSectionsUntouched()
    {
        const QJsonObject original = fromJson(R"({"modules":{"django-session-timeout":"1.0","pyjwt":"2.6"},
            "sdk":{"name":"sentry.python","integrations":["auth"]},"_meta":{"token":{"":{"len":3}}}})");
        QCOMPARE(scrubbed(original), original);
    }

    // Issue 15, finding 7 (in part): Relay's @urlauth in any string, and its @password key names.
    void urlPasswordsAndMoreKeyNames()
    {
        const QJsonObject event = scrubbed(fromJson(
            "{\"extra\":{\"dsn\":\"postgres://admin:hunter2@db/prod\","
            "\"two\":\"a redis://:pw@cache/0 and amqp://u:p2@mq/ here\",\"no\":\"https://user@example.com/a:b@c\","
            R"("gpg_passphrase":"x","card_pin":"1234","otp":"5","signature":"s","spinner":"ok"},)"
            "\"tags\":{\"url\":\"mysql://root:toor@localhost/db\"}}"));
        QCOMPARE(event["extra"]["dsn"].toString(), QStringLiteral("postgres://admin:[Filtered]@db/prod"));
        QCOMPARE(event["extra"]["two"].toString(),
            QStringLiteral("a redis://:[Filtered]@cache/0 and amqp://u:[Filtered]@mq/ here"));
        QCOMPARE(event["extra"]["no"].toString(), QStringLiteral("https://user@example.com/a:b@c"));
        QCOMPARE(event["tags"]["url"].toString(), QStringLiteral("mysql://root:[Filtered]@localhost/db"));
        for (const char *key : { "gpg_passphrase", "card_pin", "otp", "signature" })
            QCOMPARE(event["extra"][QLatin1String(key)].toString(), filtered);
        QCOMPARE(event["extra"]["spinner"].toString(), QStringLiteral("ok"));
    }

    // Issue 15, finding 7: Relay's free-text rules, where real SDKs put the text.
    void secretsInsideStringsOfARealEvent()
    {
        QByteArray json
            = QJsonDocument(fixtureEventJson(QStringLiteral("python_rich_event_store"))).toJson(QJsonDocument::Compact);
        json.replace(R"("message":"User logged in")",
            R"("message":"charging 4111 1111 1111 1111 for 378282246310005, then 3782-822463-10005")");
        json.replace(R"("tenant":"acme")", R"("tenant":"acme ssn 078-05-1120")");
        json.replace(R"("reason":"OK")",
            R"("reason":"GET /cb?api_key=k3y&page=2 with Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.e30.abc123")");
        json.replace(R"("__doc__":"None")",
            "\"__doc__\":\"'-----BEGIN RSA PRIVATE KEY-----\\nMIIEow1BAAKCAQEA\\n-----END RSA PRIVATE KEY-----\\n'\"");
        const QJsonObject original = fromJson(json);
        QVERIFY(!original.isEmpty());
        QJsonObject event = original;
        QVERIFY(scrubSecrets(event));
        const QByteArray text = QJsonDocument(event).toJson(QJsonDocument::Compact);
        QVERIFY(text.contains(R"("message":"charging [Filtered] for [Filtered], then [Filtered]")"));
        QCOMPARE(std::as_const(event)["tags"]["tenant"].toString(), QStringLiteral("acme ssn [Filtered]"));
        QVERIFY(text.contains(R"("reason":"GET /cb?api_key=[Filtered]&page=2 with Authorization: Bearer [Filtered]")"));
        const QJsonObject vars = std::as_const(event)["exception"]["values"]
                                     .toArray()
                                     .first()["stacktrace"]["frames"]
                                     .toArray()
                                     .last()["vars"]
                                     .toObject();
        QCOMPARE(vars["__doc__"].toString(),
            QStringLiteral("'-----BEGIN RSA PRIVATE KEY-----[Filtered]-----END RSA PRIVATE KEY-----\n'"));
        QCOMPARE(vars["__loader__"],
            original["exception"]["values"]
                .toArray()
                .first()["stacktrace"]["frames"]
                .toArray()
                .last()["vars"]["__loader__"]); // "at 0x7efc…" stays
        for (const char *secret : { "4111", "3782", "078-05", "k3y", "abc123", "MIIE" })
            QVERIFY2(!text.contains(secret), secret);
        QVERIFY(!scrubSecrets(event)); // nothing left to replace
    }

    void djangoRequestReprAndQueryPairs()
    {
        QByteArray json
            = QJsonDocument(fixtureEventJson(QStringLiteral("django_request_store"))).toJson(QJsonDocument::Compact);
        json.replace("'/boom/?q=1&x=abc'", "'/boom/?q=1&token=t0ken&x=abc'");
        json.replace(
            R"("query_string":"q=1&x=abc")", R"("query_string":[["q","1"],["access_token","t0ken"],["x","abc"]])");
        const QJsonObject event = scrubbed(fromJson(json));
        const QJsonObject frame
            = event["exception"]["values"].toArray().first()["stacktrace"]["frames"].toArray().first().toObject();
        QCOMPARE(frame["vars"]["request"].toString(),
            QStringLiteral("<WSGIRequest: GET '/boom/?q=1&token=[Filtered]&x=abc'>"));
        QCOMPARE(event["request"]["query_string"].toArray(),
            (QJsonArray {
                QJsonArray { "q", "1" }, QJsonArray { "access_token", filtered }, QJsonArray { "x", "abc" } }));
    }

    void textRulesLeaveLookalikes_data()
    {
        QTest::addColumn<QString>("text");
        for (const char *text : { "4111 1111 1111 1112", "ts 1733400000000 and 1733400000000123",
                 "score 0.4242424242424242", "0x4242424242424242", "ab4242424242424242", "4242424242424242.5",
                 "1 2 3 4 5 6 7 8 9 0 1 2 4", "2024-01-15", "555-123-4567", "1078-05-1120", "078-05-11201",
                 "bearer of bad news", "Bearer tokens expired", "Bearer abc1", "page=2&q=tokens&author=jane",
                 "token=", "token=[Filtered]&page=2", "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----",
                 "sentry_key=abc123" })
            QTest::newRow(text) << QString::fromLatin1(text);
    }

    void textRulesLeaveLookalikes()
    {
        QFETCH(QString, text);
        const QJsonObject original { { "extra", QJsonObject { { "note", text } } } };
        QCOMPARE(scrubbed(original), original);
    }

    void textRulesFilter_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("expected");
        const QList<QPair<const char *, const char *>> rows = {
            { "4242424242424242", "[Filtered]" },
            { "card 4242-4242-4242-4242.", "card [Filtered]." },
            { "(6011111111111117)", "([Filtered])" },
            { "ssn=078-05-1120", "ssn=[Filtered]" },
            { "connect(password='hunter2', host=\"db\")", "connect(password='[Filtered]', host=\"db\")" },
            { "secret=s3&client_secret=\"x y\" done", "secret=[Filtered]&client_secret=\"[Filtered]\" done" },
            { "X-Amz-Signature=abc123 expired", "X-Amz-Signature=[Filtered] expired" },
            { "headers: {'Authorization': 'Bearer abcdefgh1'}", "headers: {'Authorization': 'Bearer [Filtered]'}" },
            { "bearer\tABCDEFGH1 and BEARER zzzzzzz9", "bearer\t[Filtered] and BEARER [Filtered]" },
            { "-----BEGIN EC PRIVATE KEY-----\nMHcCAQEE", "-----BEGIN EC PRIVATE KEY-----[Filtered]" },
            { "a -----BEGIN PRIVATE KEY-----x-----END PRIVATE KEY----- b -----BEGIN OPENSSH PRIVATE KEY-----y-----END",
                "a -----BEGIN PRIVATE KEY-----[Filtered]-----END PRIVATE KEY----- b -----BEGIN OPENSSH PRIVATE "
                "KEY-----[Filtered]-----END" },
            { "Grüße 4242424242424242 ✓ token=ä1", "Grüße [Filtered] ✓ token=[Filtered]" },
        };
        for (const auto &[text, expected] : rows)
            QTest::newRow(text) << QString::fromUtf8(text) << QString::fromUtf8(expected);
    }

    void textRulesFilter()
    {
        QFETCH(QString, text);
        QFETCH(QString, expected);
        QJsonObject event { { "breadcrumbs", QJsonArray { QJsonObject { { "message", text } } } } };
        QVERIFY(scrubSecrets(event));
        QCOMPARE(event["breadcrumbs"].toArray().first()["message"].toString(), expected);
        QVERIFY(!scrubSecrets(event));
    }

    void detectionAgreesWithTheRewrite_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<bool>("exact"); // false: detection may say yes where the rewrite changes nothing
        for (const QString &name : fixtureNames()) {
            const QJsonObject event = fixtureEventJson(name);
            if (!event.isEmpty())
                QTest::newRow(qPrintable(name)) << QJsonDocument(event).toJson() << true;
        }
        const QList<QPair<const char *, QByteArray>> exact = {
            { "nothing", R"({"message":"hi","extra":{"author":"jane","order_id":1,"note":null}})" },
            { "sensitive key", R"({"extra":{"db_password":"p"}})" },
            { "sensitive key, null", R"({"extra":{"password":null,"token":[null,{}]}})" },
            { "already filtered", R"({"extra":{"password":"[Filtered]","token":["[Filtered]"]}})" },
            { "sensitive top level", R"({"session":"s"})" },
            { "environ", R"({"extra":{"environ":{"HOME":"/root"}}})" },
            { "credential shape", R"({"extra":{"h":"'Bearer abcdef123456'"}})" },
            { "credential top level", R"({"transaction":"  basic dXNlcjpwYXNzd29yZA=="})" },
            { "b-word, not a credential", R"({"extra":{"h":"bearer of bad news, really"}})" },
            { "short", R"({"extra":{"h":"Bearer abc"}})" },
            { "header object", R"({"request":{"headers":{"Authorization":"Basic x","Accept":"text/html"}}})" },
            { "header object, harmless", R"({"request":{"headers":{"Accept":"text/html","Host":"h"}}})" },
            { "header pairs", R"({"request":{"headers":[["X-Api-Key","k"],["Accept","text/html"]]}})" },
            { "header pairs, harmless", R"({"request":{"headers":[["Accept","text/html"],["Author","jane"]]}})" },
            { "query", R"({"request":{"query_string":"page=2&access%5Ftoken=z"}})" },
            { "query, harmless", R"({"request":{"query_string":"page=2&q=tokens"}})" },
            { "url", R"({"request":{"url":"/y?api_key=abc&page=2"}})" },
            { "url, harmless", R"({"request":{"url":"/y?page=2","method":"Bearer abcdefghijklmnop"}})" },
            { "request env", R"({"request":{"env":{"REMOTE_ADDR":"10.0.0.1","SECRET_KEY":"s"}}})" },
            { "request data object", R"({"request":{"data":{"name":"n","password":"p"}}})" },
            { "request data harmless", R"({"request":{"data":{"name":"n"}}})" },
            { "cookies object", R"({"request":{"cookies":{"sessionid":"abc"}}})" },
            { "cookies null", R"({"request":{"cookies":null}})" },
            { "url password", "{\"extra\":{\"dsn\":\"postgres://admin:hunter2@db/prod\"}}" },
            { "url password in a breadcrumb",
                "{\"breadcrumbs\":{\"values\":[{\"message\":\"connect redis://:pw@cache:6379/0 ok\"}]}}" },
            { "url without password", "{\"extra\":{\"u\":\"https://user@example.com/x\",\"v\":\"mailto:a@b.c\"}}" },
            { "passphrase and pin keys",
                R"({"extra":{"gpg_passphrase":"x","card_pin":"1234","otp":"5","signature":"s","spinner":"ok"}})" },
            { "card", R"({"breadcrumbs":{"values":[{"message":"charging 4111 1111 1111 1111"}]}})" },
            { "card, Luhn fails", R"({"breadcrumbs":{"values":[{"message":"charging 4111 1111 1111 1112"}]}})" },
            { "card, timestamp", R"({"tags":{"t":"1733400000000"}})" },
            { "card, decimal", R"({"extra":{"s":"0.4242424242424242"}})" },
            { "ssn", R"({"tags":{"customer":"078-05-1120"}})" },
            { "ssn, phone", R"({"tags":{"customer":"555-123-4567"}})" },
            { "bearer inside", R"({"breadcrumbs":[{"message":"Authorization: Bearer eyJhbGciOi.e30.abc123"}]})" },
            { "bearer words", R"({"breadcrumbs":[{"message":"Bearer tokens expired"}]})" },
            { "query parameter",
                R"({"exception":{"values":[{"stacktrace":{"frames":[{"vars":{"request":"<WSGIRequest: GET '/?token=abc'>"}}]}}]}})" },
            { "query parameter, filtered", R"({"extra":{"u":"/?token=[Filtered]&page=2"}})" },
            { "query parameter, harmless", R"({"extra":{"u":"/?page=2&q=tokens"}})" },
            { "quoted parameter", R"x({"extra":{"call":"connect(password='x')"}})x" },
            { "private key", R"({"extra":{"k":"-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----"}})" },
            { "certificate", R"({"extra":{"k":"-----BEGIN CERTIFICATE-----\nMIIE\n-----END CERTIFICATE-----"}})" },
            { "non-ASCII around a card", "{\"message\":\"Gr\\u00fc\\u00dfe 4242424242424242 \\u2713\"}" },
            { "query pairs", R"({"request":{"query_string":[["page","2"],["api_key","k"]]}})" },
            { "query pairs, harmless", R"({"request":{"query_string":[["page","2"],["q","tokens"]]}})" },
            { "sdk untouched", R"({"modules":{"pyjwt":"2.6"},"sdk":{"integrations":["auth"]},"_meta":{"token":{}}})" },
        };
        for (const auto &[name, json] : exact)
            QTest::newRow(name) << json << true;
        // Form bodies and cookie strings are decided by the rewrite itself.
        QTest::newRow("form body, harmless") << QByteArray(R"({"request":{"data":"user=bob"}})") << false;
        QTest::newRow("form body") << QByteArray(R"({"request":{"data":"user=bob&password=x"}})") << false;
        QTest::newRow("cookie string") << QByteArray(R"({"request":{"cookies":"sessionid=abc"}})") << false;
    }

    void detectionAgreesWithTheRewrite()
    {
        QFETCH(QByteArray, json);
        QFETCH(bool, exact);
        const std::optional<json::Document> document = json::Document::parse(json);
        QVERIFY(document);
        QJsonObject event = fromJson(json);
        const bool rewritten = scrubSecrets(event);
        const bool detected = needsScrubbing(document->root());
        if (rewritten)
            QVERIFY2(detected, "a secret would be stored as sent");
        if (exact)
            QCOMPARE(detected, rewritten);
    }
};

QTEST_GUILESS_MAIN(TestScrub)
#include "tst_scrub.moc"
