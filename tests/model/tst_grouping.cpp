// groupEvent (strategy v2) on every client's real payload, and on copies of
// them edited the way the same bug looks on another day, host or bundle, or
// the way a different bug looks.
#include "model/event_parser.h"
#include "model/grouping.h"
#include "support/event_mutation.h"
#include "support/fixture_events.h"

#include <QJsonArray>
#include <QTest>

using namespace faultline;
using namespace faultline::test;

namespace {

IssueKey keyOf(const QJsonObject &json)
{
    const auto event = parseEvent(json);
    if (!event) {
        qWarning() << "unexpected parse failure" << event.errors().first().msg;
        return {};
    }
    return groupEvent(event.value());
}

IssueKey keyOf(const char *json) { return groupEvent(parseEventJson(json).value()); }

QString fingerprintOf(const QJsonObject &json) { return keyOf(json).fingerprint; }

// Sets every browser frame's script URL from `original` to `replacement`.
QJsonObject withScriptUrl(const QJsonObject &json, const QString &original, const QString &replacement)
{
    return mutateFrames(json, [&](QJsonObject &frame, qsizetype) {
        if (frame.value("filename").toString() == original)
            frame["filename"] = replacement;
    });
}

QJsonObject withMessage(QJsonObject json, const QString &message)
{
    json["message"] = message;
    return json;
}

} // namespace

class TestGrouping : public QObject {
    Q_OBJECT

private slots:
    void fixtureTitlesAndCulprits_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("title");
        QTest::addColumn<QString>("culprit");
        QTest::newRow("python exception") << "python_exception_store"
                                          << "ZeroDivisionError: division by zero"
                                          << "__main__ in inner_divide";
        QTest::newRow("python message") << "python_message_store"
                                        << "hello"
                                        << "";
        QTest::newRow("excepthook") << "python_unhandled_excepthook_store"
                                    << "AttributeError: module 'sentry_sdk' has no attribute 'add_attachment'"
                                    << "__main__ in <module>";
        // Django's own frames are marked in_app by sentry-python 1.9 but live in dist-packages
        QTest::newRow("django") << "django_request_store"
                                << "ZeroDivisionError: division by zero"
                                << "app in compute";
        QTest::newRow("pydantic") << "pydantic_validation_store"
                                  << "ValidationError: 2 validation errors for Order"
                                  << "__main__ in make_order";
        QTest::newRow("node exception") << "node_exception_envelope"
                                        << "Error: boom"
                                        << "client in innerFail";
        QTest::newRow("node message") << "node_message_envelope"
                                      << "hello from node"
                                      << "client in main";
        // raven-js marks jsdom's node_modules frames in_app; the URL loses host and query
        QTest::newRow("browser") << "browser_exception_store"
                                 << "TypeError: bad order 3003 amount 6006"
                                 << "static/app.js in inner";
        QTest::newRow("go") << "go_exception_store"
                            << "*errors.errorString: bad order 3003 amount 6006"
                            << "main in inner";
        QTest::newRow("raven-ruby") << "ruby_raven_json_exception_store"
                                    << "ArgumentError: bad order 3009 amount 6018"
                                    << "app/ruby_raven.rb in inner";
        // sentry-ruby marked no frame as app code: the top frame, never an empty culprit
        QTest::newRow("ruby, nothing in app") << "ruby_exception_envelope"
                                              << "ArgumentError: bad order 3003 amount 6006"
                                              << "ruby/app/ruby_sentry.rb in inner";
        QTest::newRow("go message") << "go_message_store"
                                    << "payment retry exhausted"
                                    << "";
    }

    void fixtureTitlesAndCulprits()
    {
        QFETCH(QString, name);
        QFETCH(QString, title);
        QFETCH(QString, culprit);
        const IssueKey key = groupEvent(fixtureEvent(name));
        QCOMPARE(key.title, title);
        QCOMPARE(key.culprit, culprit);
        QCOMPARE(key.fingerprint.size(), 40);
        QCOMPARE(key.legacyFingerprint.size(), 40);
        QVERIFY(key.fingerprint != key.legacyFingerprint);
        QCOMPARE(key.explanation.strategy, QStringLiteral("v2"));
        QCOMPARE(key.components.first(), QStringLiteral("v2"));
    }

    void theTwoValidationErrorsAreTwoIssues()
    {
        const QJsonObject pydantic = fixtureEventJson("pydantic_validation_store");
        const QJsonObject drf = fixtureEventJson("django_drf_validation_store");
        QVERIFY(fingerprintOf(pydantic) != fingerprintOf(drf));
        const IssueKey drfKey = keyOf(drf);
        QCOMPARE(drfKey.explanation.parts.first().value, QStringLiteral("rest_framework.exceptions.ValidationError"));
        QCOMPARE(
            keyOf(pydantic).explanation.parts.first().value, QStringLiteral("pydantic.error_wrappers.ValidationError"));

        // The reported case: both raised in the same view function. Only the
        // exception's module tells them apart (pydantic 2 raises from pydantic_core).
        const QJsonObject fromPydantic
            = withExceptionField(drf, "module", QStringLiteral("pydantic_core._pydantic_core"));
        QVERIFY(fingerprintOf(fromPydantic) != fingerprintOf(drf));
        // and the context line does: another statement in the same function
        const QJsonObject otherLine = mutateFrames(drf, [](QJsonObject &frame, qsizetype) {
            frame["context_line"] = QStringLiteral("    return Order(**data)\n");
        });
        QVERIFY(fingerprintOf(otherLine) != fingerprintOf(drf));
        QVERIFY(describeGrouping(drfKey.explanation)
                    .startsWith("exception type `rest_framework.exceptions.ValidationError`, frame `app.post` line "
                                "`raise ValidationError({\"field\": [\"explicit validation failure\"]})`"));
    }

    void twoRunsOfTheSameErrorAreOneIssue_data()
    {
        QTest::addColumn<QString>("name");
        for (const char *name : { "python_exception_store", "python_rich_event_store", "django_request_store",
                 "pydantic_validation_store", "django_drf_validation_store", "node_exception_envelope",
                 "browser_exception_store", "go_exception_store", "ruby_exception_envelope",
                 "ruby_raven_json_exception_store", "attachment_html_envelope" })
            QTest::newRow(name) << QString::fromLatin1(name);
    }

    void twoRunsOfTheSameErrorAreOneIssue()
    {
        QFETCH(QString, name);
        const QJsonObject original = fixtureEventJson(name);
        const QJsonObject again = anotherOccurrence(original);
        QVERIFY(again != original);
        QCOMPARE(fingerprintOf(again), fingerprintOf(original));
        // and a renamed function in the innermost frame of the app's own code is another bug
        const QJsonObject renamed = mutateFrameList(original, [](QJsonArray &frames) {
            for (qsizetype i = frames.size() - 1; i >= 0; --i) {
                QJsonObject frame = frames.at(i).toObject();
                const QString path = frame.value("abs_path").toString() + frame.value("filename").toString();
                if (path.contains("-packages/") || path.contains("node_modules") || path.startsWith("node:"))
                    continue;
                frame["function"] = frame.value("function").toString() + QStringLiteral("_other");
                frames[i] = frame;
                return;
            }
        });
        QVERIFY(fingerprintOf(renamed) != fingerprintOf(original));
    }

    void libraryFramesDoNotSplit()
    {
        // a Django upgrade renames its own functions: same issue
        const QJsonObject django = fixtureEventJson("django_request_store");
        const QJsonObject upgraded = mutateFrames(django, [](QJsonObject &frame, qsizetype index) {
            if (index == 1)
                frame["function"] = QStringLiteral("_get_response_async");
        });
        QCOMPARE(fingerprintOf(upgraded), fingerprintOf(django));
    }

    void browserScriptUrlsAreCleaned_data()
    {
        QTest::addColumn<QString>("url");
        QTest::addColumn<bool>("sameIssue");
        QTest::newRow("cache buster") << "http://shop.example.invalid/static/app.js?v=2" << true;
        QTest::newRow("new host") << "https://cdn.example.net/static/app.js" << true;
        QTest::newRow("hashed bundle") << "http://shop.example.invalid/static/app.3f9a1c.js" << true;
        QTest::newRow("dash hash") << "http://shop.example.invalid/static/app-BxQ3_4aZ.js" << true;
        QTest::newRow("hash dir") << "http://shop.example.invalid/static/0a1b2c3d4e/app.js" << true;
        QTest::newRow("fragment") << "http://shop.example.invalid/static/app.js#main" << true;
        QTest::newRow("another script") << "http://shop.example.invalid/static/admin.js" << false;
        QTest::newRow("another dir") << "http://shop.example.invalid/vendor/app.js" << false;
    }

    void browserScriptUrlsAreCleaned()
    {
        QFETCH(QString, url);
        QFETCH(bool, sameIssue);
        const QJsonObject original = fixtureEventJson("browser_exception_store");
        const QJsonObject moved = withScriptUrl(original, "http://shop.example.invalid/static/app.js", url);
        QVERIFY(moved != original);
        QCOMPARE(fingerprintOf(moved) == fingerprintOf(original), sameIssue);
    }

    void browserLowQualityAndLibraryFramesIgnored()
    {
        const IssueKey key = groupEvent(fixtureEvent("browser_exception_store"));
        QStringList counted;
        for (const GroupingPart &part : key.explanation.parts)
            if (part.kind == GroupingPart::Kind::Frame && part.counts())
                counted.append(part.value + QLatin1Char(' ') + part.function);
        QCOMPARE(counted,
            (QStringList {
                "static/app.js runScenario", "static/app.js outer", "static/app.js middle", "static/app.js inner" }));
        QCOMPARE(key.explanation.variant, QStringLiteral("app"));
    }

    void messagesGroupWithValuesMasked()
    {
        const QJsonObject original = fixtureEventJson("browser_message_store");
        const IssueKey a
            = keyOf(withMessage(original, "user 1234 not found (request 550e8400-e29b-41d4-a716-446655440000)"));
        const IssueKey b
            = keyOf(withMessage(original, "user 5678 not found (request 6ba7b810-9dad-11d1-80b4-00c04fd430c8)"));
        QCOMPARE(a.fingerprint, b.fingerprint);
        QCOMPARE(a.title, QStringLiteral("user 1234 not found (request 550e8400-e29b-41d4-a716-446655440000)"));
        QCOMPARE(a.explanation.parts.first().value, QStringLiteral("user <int> not found (request <uuid>)"));

        const IssueKey c
            = keyOf(withMessage(original, "login failed for bob@example.com from 10.1.2.3 at 2026-12-05T13:15:00Z"));
        const IssueKey d = keyOf(
            withMessage(original, "login failed for eve@example.org from 192.168.0.7 at 2026-12-06T01:02:03.5+01:00"));
        QCOMPARE(c.fingerprint, d.fingerprint);
        QVERIFY(keyOf(withMessage(original, "payment retry failed")).fingerprint != keyOf(original).fingerprint);

        // the same family through other clients' message shapes
        for (const char *name : { "go_message_store", "raven_go_message_store", "ruby_raven_json_message_store" }) {
            QJsonObject json = fixtureEventJson(name);
            json.remove("logentry");
            QCOMPARE(keyOf(withMessage(json, "user 42 not found (request 550e8400-e29b-41d4-a716-446655440000)"))
                         .fingerprint,
                a.fingerprint);
        }
    }

    void logentryTemplateGroups()
    {
        const IssueKey a = keyOf(R"({"logentry":{"message":"user %s failed","params":["bob"]}})");
        const IssueKey b = keyOf(R"({"logentry":{"message":"user %s failed","params":["alice"]}})");
        QCOMPARE(a.fingerprint, b.fingerprint);
        QCOMPARE(a.title, QStringLiteral("user bob failed"));
        QCOMPARE(b.title, QStringLiteral("user alice failed"));
    }

    void syntheticExceptionsGroupByStack()
    {
        // @sentry/node's captureMessage and captureException("text") make up an
        // exception to carry the stack: the stack is the identity, not its type.
        const QJsonObject json = fixtureEventJson("node_message_envelope");
        const IssueKey key = keyOf(json);
        QCOMPARE(key.explanation.basis, QStringLiteral("exception"));
        for (const GroupingPart &part : key.explanation.parts)
            QVERIFY(part.kind == GroupingPart::Kind::Frame || !part.counts());
        // captureException("text") in @sentry/node 8+: an Error made up around the text
        const QJsonObject fromString = withExceptionField(json, "type", QStringLiteral("Error"));
        QCOMPARE(fingerprintOf(fromString), key.fingerprint);
        QCOMPARE(
            fingerprintOf(withExceptionField(json, "value", QStringLiteral("hello from node 2"))), key.fingerprint);
        QVERIFY(fingerprintOf(mutateFrames(json, [](QJsonObject &frame, qsizetype) {
            frame["function"] = QStringLiteral("other");
        })) != key.fingerprint);

        // without a stack, the text is the identity, as for a message event
        const QJsonObject noStack = withExceptionField(json, "stacktrace", QJsonValue::Undefined);
        const IssueKey byText = keyOf(noStack);
        QCOMPARE(byText.explanation.basis, QStringLiteral("message"));
        QJsonObject plain = fixtureEventJson("browser_message_store");
        QCOMPARE(keyOf(withMessage(plain, "hello from node")).fingerprint, byText.fingerprint);
    }

    void standardLibraryIsNotAppCode_data()
    {
        QTest::addColumn<QString>("absPath");
        QTest::addColumn<QString>("module");
        QTest::newRow("debian") << "/usr/lib/python3.11/json/decoder.py"
                                << "json.decoder";
        QTest::newRow("venv") << "/opt/venv/lib/python3.12/logging/__init__.py"
                              << "logging";
        QTest::newRow("frozen") << "<frozen importlib._bootstrap>"
                                << "importlib._bootstrap";
        QTest::newRow("windows") << "C:\\Python311\\Lib\\json\\decoder.py"
                                 << "json.decoder";
        QTest::newRow("site-packages") << "/opt/venv/lib/python3.12/site-packages/requests/api.py"
                                       << "requests.api";
    }

    void standardLibraryIsNotAppCode()
    {
        QFETCH(QString, absPath);
        QFETCH(QString, module);
        // sentry-python 1.x marks the stdlib frame in_app: it must not become the culprit or the key
        const QJsonObject original = fixtureEventJson("python_exception_store");
        const QJsonObject deeper = mutateFrameList(original, [&](QJsonArray &frames) {
            QJsonObject stdlib = frames.last().toObject();
            stdlib["abs_path"] = absPath;
            stdlib["filename"] = absPath;
            stdlib["module"] = module;
            stdlib["function"] = QStringLiteral("raw_decode");
            stdlib["context_line"] = QStringLiteral("        obj, end = self.scan_once(s, idx)");
            frames.append(stdlib);
        });
        const IssueKey key = keyOf(deeper);
        QCOMPARE(key.culprit, QStringLiteral("__main__ in inner_divide"));
        QCOMPARE(key.fingerprint, fingerprintOf(original));
    }

    void nodeInternalsAreNotAppCode()
    {
        Frame frame;
        frame.inApp = true;
        for (const char *path : { "node:internal/modules/cjs/loader", "internal/modules/cjs/loader.js",
                 "/srv/app/node_modules/express/lib/router/index.js", "chrome-extension://abc/content.js" }) {
            frame.filename = QString::fromLatin1(path);
            QVERIFY2(!isInApp(frame), path);
        }
        frame.filename = QStringLiteral("/srv/example/node/client.js");
        QVERIFY(isInApp(frame));
        frame.inApp.reset();
        QVERIFY(!isInApp(frame));
    }

    void recursionCountsOnce()
    {
        const QJsonObject original = fixtureEventJson("python_exception_store");
        const QJsonObject recursed = mutateFrameList(original, [](QJsonArray &frames) {
            const QJsonObject outer = frames.at(1).toObject();
            for (int i = 0; i < 5; ++i)
                frames.insert(1, outer);
        });
        QCOMPARE(fingerprintOf(recursed), fingerprintOf(original));
    }

    void fingerprintOverride()
    {
        QJsonObject json = fixtureEventJson("python_exception_store");
        const IssueKey base = keyOf(json);

        json["fingerprint"] = QJsonArray { "checkout", "db-timeout" };
        const IssueKey custom = keyOf(json);
        QCOMPARE(custom.components,
            (QStringList { "v2", "fingerprint", "fingerprint", "checkout", "fingerprint", "db-timeout" }));
        QCOMPARE(custom.title, base.title); // the title still describes the error

        json["fingerprint"] = QJsonArray { "{{ default }}" };
        QCOMPARE(keyOf(json).fingerprint, base.fingerprint);

        json["fingerprint"] = QJsonArray { "{{ default }}", "tenant-a" };
        const IssueKey spliced = keyOf(json);
        QVERIFY(spliced.fingerprint != base.fingerprint);
        json["fingerprint"] = QJsonArray { "{{default}}", "tenant-a" };
        QCOMPARE(keyOf(json).fingerprint, spliced.fingerprint);
        json["fingerprint"] = QJsonArray { "{{default}}", "tenant-b" };
        QVERIFY(keyOf(json).fingerprint != spliced.fingerprint);
    }

    void explanationRoundTrips()
    {
        const IssueKey key = groupEvent(fixtureEvent("django_request_store"));
        const GroupingExplanation back = groupingExplanationFromJson(toJson(key.explanation));
        QCOMPARE(back.hashedComponents(), key.components);
        QCOMPARE(describeGrouping(back),
            QStringLiteral("exception type `ZeroDivisionError`, frames `app.boom_view` line "
                           "`return JsonResponse({\"v\": compute(7)})`, `app.compute` line `return n / divisor`; "
                           "ignored: 2 frames (not app code: installed package), exception value `division by zero` "
                           "(the stack takes precedence)"));
    }

    void titlesAndFallbacks()
    {
        IssueKey key = keyOf("{}");
        QCOMPARE(key.title, QStringLiteral("<unlabeled event>"));
        QCOMPARE(key.culprit, QString());
        QCOMPARE(key.explanation.basis, QStringLiteral("fallback"));

        key = keyOf(R"({"exception":[{"type":"ValueError"}],"transaction":"/api/orders"})");
        QCOMPARE(key.title, QStringLiteral("ValueError"));
        QCOMPARE(key.culprit, QStringLiteral("/api/orders"));

        key = keyOf(R"({"exception":[{"type":"E","value":"first line\nsecond line"}]})");
        QCOMPARE(key.title, QStringLiteral("E: first line"));

        const QJsonObject longValue { { "exception",
            QJsonArray { QJsonObject { { "type", "E" }, { "value", QString(500, QLatin1Char('x')) } } } } };
        key = keyOf(longValue);
        QVERIFY(key.title.size() <= 205);

        // exceptions without a stack group by their normalised value
        QCOMPARE(keyOf(R"({"exception":[{"type":"E","value":"order 12 failed"}]})").fingerprint,
            keyOf(R"({"exception":[{"type":"E","value":"order 13 failed"}]})").fingerprint);
    }
};

QTEST_GUILESS_MAIN(TestGrouping)
#include "tst_grouping.moc"
