// parseEvent/parseEventJson on every captured client payload and on the
// lenient shapes Sentry's normaliser accepts.
#include "model/envelope.h"
#include "model/event_parser.h"
#include "support/fixture_events.h"
#include "support/fixtures.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using namespace faultline;
using namespace faultline::test;

namespace {

Event parsed(const char *json)
{
    const auto result = parseEventJson(QByteArray(json));
    if (!result) {
        qWarning() << "unexpected parse failure:" << result.errors().first().msg;
        return {};
    }
    return result.value();
}

QStringList functionsOf(const QList<Frame> &frames)
{
    QStringList names;
    for (const Frame &frame : frames)
        names.append(frame.function);
    return names;
}

} // namespace

class TestEventParser : public QObject {
    Q_OBJECT

private slots:
    void everyFixtureParses_data()
    {
        QTest::addColumn<QString>("name");
        const QStringList names = fixtureNames();
        QVERIFY(names.size() >= 15);
        for (const QString &name : names)
            QTest::newRow(qPrintable(name)) << name;
    }

    void everyFixtureParses()
    {
        QFETCH(QString, name);
        const QByteArray body = fixtureBody(name);
        QVERIFY(!body.isEmpty());
        QList<QByteArray> eventPayloads;
        if (name.endsWith(QLatin1String("_store"))) {
            eventPayloads.append(body);
        } else {
            const auto envelope = parseEnvelope(body);
            QVERIFY2(envelope.ok(), qPrintable(name));
            QVERIFY(!envelope->items.isEmpty());
            for (const EnvelopeItem &item : envelope->items)
                if (item.type == QLatin1String("event"))
                    eventPayloads.append(item.payload);
        }
        for (const QByteArray &payload : eventPayloads) {
            const auto event = parseEventJson(payload);
            QVERIFY2(event.ok(), qPrintable(name));
            const QJsonObject json = QJsonDocument::fromJson(payload).object();
            QCOMPARE(event->eventId, json.value(QLatin1String("event_id")).toString());
            if (json.contains(QLatin1String("timestamp"))) // raven-js sends none: the collector adds it
                QVERIFY(event->timestamp > 1.7e9);
            QCOMPARE(event->raw, json);
            QVERIFY(!event->platform.isEmpty());
            QVERIFY(!event->exceptions.isEmpty() || !event->message.isEmpty());
        }
    }

    void pythonException()
    {
        const Event event = fixtureEvent(QStringLiteral("python_exception_store"));
        QCOMPARE(event.eventId, QStringLiteral("f401b0c763224a188c4f802aea60b3e5"));
        QCOMPARE(event.timestamp, 1795646541.079312);
        QCOMPARE(event.level, QStringLiteral("error"));
        QCOMPARE(event.platform, QStringLiteral("python"));
        QCOMPARE(event.exceptions.size(), 1);
        const ExceptionValue &exception = event.exceptions.first();
        QCOMPARE(exception.type, QStringLiteral("ZeroDivisionError"));
        QCOMPARE(exception.value, QStringLiteral("division by zero"));
        QVERIFY(exception.module.isEmpty()); // null in the payload
        QVERIFY(!exception.mechanism);
        QCOMPARE(functionsOf(exception.frames), (QStringList { "<module>", "outer", "inner_divide" }));
        const Frame &crashing = exception.frames.last();
        QCOMPARE(crashing.contextLine, QStringLiteral("    return a / b"));
        QCOMPARE(crashing.lineno, 15);
        QCOMPARE(crashing.module, QStringLiteral("__main__"));
        QCOMPARE(crashing.absPath, QStringLiteral("/srv/example/py/py_client.py"));
        QCOMPARE(crashing.filename, QStringLiteral("py_client.py"));
        QCOMPARE(crashing.inApp, std::optional<bool>(true));
        QCOMPARE(crashing.preContext.size(), 5);
        QCOMPARE(crashing.preContext.last(), QStringLiteral("    local_dict = {\"k\": \"v\", \"n\": 5}"));
        QCOMPARE(crashing.postContext.at(1), QStringLiteral("def outer(x):"));
        QVERIFY(crashing.hasLocals());
        QCOMPARE(crashing.vars.value("b").toString(), QStringLiteral("0"));
        QCOMPARE(crashing.vars.value("local_str").toString(), QStringLiteral("'some local'"));
        QCOMPARE(crashing.vars.value("local_dict").toObject().value("k").toString(), QStringLiteral("'v'"));
        QCOMPARE(crashing.vars.value("local_list").toArray().size(), 3);
        QCOMPARE(exception.frames.at(1).vars.value("factor").toString(), QStringLiteral("0"));
    }

    void pythonMessage()
    {
        const Event event = fixtureEvent(QStringLiteral("python_message_store"));
        QCOMPARE(event.message, QStringLiteral("hello"));
        QCOMPARE(event.level, QStringLiteral("warning"));
        QVERIFY(event.exceptions.isEmpty());
        QCOMPARE(event.environment, QStringLiteral("staging"));
        QCOMPARE(event.release, QStringLiteral("myapp@1.2.3"));
        QCOMPARE(event.serverName, QStringLiteral("pyhost"));
        QCOMPARE(event.breadcrumbs.size(), 1);
        QCOMPARE(event.breadcrumbs.first().category, QStringLiteral("httplib"));
        QCOMPARE(event.breadcrumbs.first().type, QStringLiteral("http"));
        QCOMPARE(event.breadcrumbs.first().timestamp, 1795646541.233702);
        QCOMPARE(event.breadcrumbs.first().data.value("status_code").toInt(), 200);
    }

    void pythonRichEvent()
    {
        const Event event = fixtureEvent(QStringLiteral("python_rich_event_store"));
        QCOMPARE(event.exceptions.last().type, QStringLiteral("KeyError"));
        QCOMPARE(event.exceptions.last().value, QStringLiteral("'missing_key'"));
        QCOMPARE(event.tag("feature"), QStringLiteral("checkout"));
        QCOMPARE(event.tag("tenant"), QStringLiteral("acme"));
        QCOMPARE(event.tags.size(), 2);
        QCOMPARE(event.breadcrumbs.size(), 4);
        const Breadcrumb &login = event.breadcrumbs.at(2);
        QCOMPARE(login.category, QStringLiteral("auth"));
        QCOMPARE(login.message, QStringLiteral("User logged in"));
        QCOMPARE(login.level, QStringLiteral("info"));
        QCOMPARE(login.type, QStringLiteral("default"));
        QCOMPARE(login.data.value("method").toString(), QStringLiteral("password"));
        const QJsonObject user = event.raw.value("user").toObject();
        QCOMPARE(user.value("email").toString(), QStringLiteral("jane@example.com"));
        QCOMPARE(user.value("id").toString(), QStringLiteral("u-1"));
        QCOMPARE(event.raw.value("extra").toObject().value("order_id").toInt(), 12345);
        QVERIFY(event.raw.contains("_meta"));
    }

    void pythonUnhandled()
    {
        const Event event = fixtureEvent(QStringLiteral("python_unhandled_excepthook_store"));
        const ExceptionValue *primary = event.primaryException();
        QVERIFY(primary);
        QCOMPARE(primary->type, QStringLiteral("AttributeError"));
        QVERIFY(primary->mechanism);
        QCOMPARE(primary->mechanism->type, QStringLiteral("excepthook"));
        QCOMPARE(primary->mechanism->handled, std::optional<bool>(false));
        QVERIFY(!primary->mechanism->synthetic);
    }

    void djangoRequest()
    {
        const Event event = fixtureEvent(QStringLiteral("django_request_store"));
        QCOMPARE(event.transaction, QStringLiteral("/boom/"));
        QCOMPARE(event.environment, QStringLiteral("test"));
        QCOMPARE(event.primaryException()->mechanism->type, QStringLiteral("django"));
        QCOMPARE(functionsOf(event.primaryException()->frames),
            (QStringList { "inner", "_get_response", "boom_view", "compute" }));
        QCOMPARE(event.primaryException()->frames.last().vars.value("divisor").toString(), QStringLiteral("0"));
    }

    void nodeException()
    {
        const Event event = fixtureEvent(QStringLiteral("node_exception_envelope"));
        QCOMPARE(event.platform, QStringLiteral("node"));
        QCOMPARE(event.timestamp, 1795646577.414);
        QCOMPARE(event.release, QStringLiteral("nodeapp@2.0.0"));
        const ExceptionValue &exception = event.exceptions.last();
        QCOMPARE(exception.type, QStringLiteral("Error"));
        QCOMPARE(exception.value, QStringLiteral("boom"));
        QCOMPARE(exception.mechanism->type, QStringLiteral("generic"));
        QCOMPARE(exception.mechanism->handled, std::optional<bool>(true));
        QCOMPARE(exception.frames.size(), 10);
        const Frame &top = exception.frames.last();
        QCOMPARE(top.function, QStringLiteral("innerFail"));
        QCOMPARE(top.lineno, 7);
        QCOMPARE(top.colno, 55);
        QCOMPARE(top.filename, QStringLiteral("/srv/example/node/client.js"));
        QCOMPARE(top.contextLine,
            QStringLiteral("function innerFail(x) { const localVar = x * 2; throw new Error('boom'); }"));
        QCOMPARE(exception.frames.first().filename, QStringLiteral("node:internal/main/run_main_module"));
        QCOMPARE(exception.frames.first().inApp, std::optional<bool>(false));
        QCOMPARE(exception.frames.first().colno, 49);
        // node sends breadcrumbs as a bare array
        QCOMPARE(event.breadcrumbs.size(), 1);
        QCOMPARE(event.breadcrumbs.first().message, QStringLiteral("about to boom"));
        QCOMPARE(event.breadcrumbs.first().timestamp, 1795646577.412);
        QCOMPARE(event.tag("component"), QStringLiteral("worker"));
    }

    void nodeMessage()
    {
        const Event event = fixtureEvent(QStringLiteral("node_message_envelope"));
        QCOMPARE(event.message, QStringLiteral("hello from node"));
        QCOMPARE(event.level, QStringLiteral("warning"));
        QCOMPARE(event.exceptions.size(), 1);
        QVERIFY(event.exceptions.first().type.isEmpty());
        QVERIFY(event.exceptions.first().mechanism->synthetic);
        QCOMPARE(event.exceptions.first().frames.last().function, QStringLiteral("main"));
    }

    void eventIds()
    {
        QCOMPARE(normalizeEventId(QStringLiteral("1C6C4DFA-1C2B-4B6A-9E3F-0123456789AB")),
            QStringLiteral("1c6c4dfa1c2b4b6a9e3f0123456789ab"));
        QCOMPARE(normalizeEventId(QStringLiteral("00000000-0000-0000-0000-000000000000")), QString());
        QCOMPARE(normalizeEventId(QStringLiteral("xyz")), QString());
        QCOMPARE(normalizeEventId(QStringLiteral("1c6c4dfa1c2b4b6a9e3f0123456789ag")), QString());
        QCOMPARE(parsed(R"({"event_id":"1C6C4DFA-1C2B-4B6A-9E3F-0123456789AB"})").eventId,
            QStringLiteral("1c6c4dfa1c2b4b6a9e3f0123456789ab"));

        const QString generated = parsed(R"({"event_id":"00000000000000000000000000000000"})").eventId;
        QCOMPARE(generated.size(), 32);
        QCOMPARE(normalizeEventId(generated), generated);
        QVERIFY(parsed("{}").eventId != parsed("{}").eventId);
    }

    void timestamps_data()
    {
        QTest::addColumn<QString>("json");
        QTest::addColumn<double>("expected");
        QTest::newRow("iso Z fraction") << R"("2026-11-25T22:42:21.079312Z")" << 1795646541.079312;
        QTest::newRow("iso no fraction") << R"("2024-01-02T03:04:05Z")" << 1704164645.0;
        QTest::newRow("iso offset") << R"("2024-01-02T05:04:05+02:00")" << 1704164645.0;
        QTest::newRow("iso negative offset compact") << R"("2024-01-01T22:04:05.5-0500")" << 1704164645.5;
        QTest::newRow("iso naive is utc") << R"("2024-01-02T03:04:05")" << 1704164645.0;
        QTest::newRow("float") << "1795646577.414" << 1795646577.414;
        QTest::newRow("integer") << "1704164645" << 1704164645.0;
        QTest::newRow("numeric string") << R"("1704164645.25")" << 1704164645.25;
        QTest::newRow("iso date only") << R"("2024-01-02")" << 1704153600.0;
        QTest::newRow("iso space, comma fraction") << R"("2024-01-02 03:04:05,25 Z")" << 1704164645.25;
        QTest::newRow("iso lower-case t and z") << R"("2024-01-02t03:04:05z")" << 1704164645.0;
        QTest::newRow("iso leap day") << R"("2024-02-29T00:00:00Z")" << 1709164800.0;
        QTest::newRow("iso before 1970") << R"("1969-12-31T23:59:59Z")" << 0.0; // not a plausible event time
        QTest::newRow("iso bad day") << R"("2023-02-29T00:00:00Z")" << 0.0;
        QTest::newRow("iso bad hour") << R"("2024-01-02T24:00:00Z")" << 0.0;
        QTest::newRow("iso trailing junk") << R"("2024-01-02T03:04:05Zjunk")" << 0.0;
        QTest::newRow("iso truncated") << R"("2024-01-02T03")" << 0.0;
        QTest::newRow("garbage") << R"("yesterday")" << 0.0;
        QTest::newRow("object") << R"({"t":1})" << 0.0;
    }

    void timestamps()
    {
        QFETCH(QString, json);
        QFETCH(double, expected);
        const QByteArray doc = QByteArray(R"({"timestamp":)") + json.toUtf8() + "}";
        QCOMPARE(parsed(doc.constData()).timestamp, expected);
    }

    void levels_data()
    {
        QTest::addColumn<QString>("json");
        QTest::addColumn<QString>("expected");
        QTest::newRow("missing") << "{}"
                                 << "error";
        QTest::newRow("warn") << R"({"level":"warn"})"
                              << "warning";
        QTest::newRow("critical") << R"({"level":"CRITICAL"})"
                                  << "fatal";
        QTest::newRow("info") << R"({"level":"info"})"
                              << "info";
        QTest::newRow("debug") << R"({"level":"debug"})"
                               << "debug";
        QTest::newRow("unknown") << R"({"level":"loud"})"
                                 << "error";
    }

    void levels()
    {
        QFETCH(QString, json);
        QFETCH(QString, expected);
        QCOMPARE(parsed(json.toUtf8().constData()).level, expected);
    }

    void messages()
    {
        Event event = parsed(R"({"logentry":{"message":"user %s failed %d times","params":["bob",3]}})");
        QCOMPARE(event.message, QStringLiteral("user bob failed 3 times"));
        QCOMPARE(event.messageTemplate, QStringLiteral("user %s failed %d times"));

        event = parsed(R"({"logentry":{"message":"user %s","formatted":"user alice","params":["x"]}})");
        QCOMPARE(event.message, QStringLiteral("user alice"));
        QCOMPARE(event.messageTemplate, QStringLiteral("user %s"));

        event = parsed(R"({"message":{"message":"%(who)s left, 100%% sure","params":{"who":"eve"}}})");
        QCOMPARE(event.message, QStringLiteral("eve left, 100% sure"));
        QCOMPARE(event.messageTemplate, QStringLiteral("%(who)s left, 100%% sure"));

        event = parsed(R"({"message":"legacy","logentry":{"message":"new %s","params":["style"]}})");
        QCOMPARE(event.message, QStringLiteral("new style"));

        event = parsed(R"({"logentry":{"message":"too few %s %s","params":["one"]}})");
        QCOMPARE(event.message, QStringLiteral("too few one %s"));
    }

    void exceptionShapes()
    {
        // a bare list, chained: oldest cause first, the raised one last
        Event event = parsed(R"({"exception":[{"type":"KeyError","value":"k"},
                                              {"type":"RuntimeError","value":3,"mechanism":{"type":"chained","handled":true}}]})");
        QCOMPARE(event.exceptions.size(), 2);
        QCOMPARE(event.primaryException()->type, QStringLiteral("RuntimeError"));
        QCOMPARE(event.primaryException()->value, QStringLiteral("3"));
        QCOMPARE(event.exceptions.first().type, QStringLiteral("KeyError"));

        // a wholly wrong type is ignored, not fatal
        event = parsed(R"({"exception":"oops","message":"still here"})");
        QVERIFY(event.exceptions.isEmpty());
        QCOMPARE(event.message, QStringLiteral("still here"));
        QVERIFY(parsed(R"({"exception":{"values":7}})").exceptions.isEmpty());

        // vars that are not an object are wrapped; odd context lines are stringified
        event = parsed(R"({"exception":{"values":[{"type":"E","stacktrace":{"frames":[
            {"function":"f","vars":["a","b"],"pre_context":["x",null,5],"lineno":"12","in_app":"yes"},
            {"function":"g","vars":"v","abs_path":"/a/b.py"}]}}]}})");
        const QList<Frame> &frames = event.primaryException()->frames;
        QCOMPARE(frames.size(), 2);
        QCOMPARE(frames.at(0).vars.value("1").toString(), QStringLiteral("b"));
        QCOMPARE(frames.at(0).preContext, (QStringList { "x", "", "5" }));
        QCOMPARE(frames.at(0).lineno, 12);
        QVERIFY(!frames.at(0).inApp.has_value());
        QCOMPARE(frames.at(1).vars.value("value").toString(), QStringLiteral("v"));
        QCOMPARE(frames.at(1).filename, QStringLiteral("/a/b.py"));
    }

    void legacyRavenShapes()
    {
        // raven-go: `exception` is one object with its own stacktrace, tags are pairs.
        Event event = fixtureEvent(QStringLiteral("raven_go_exception_store"));
        QCOMPARE(event.exceptions.size(), 1);
        QCOMPARE(event.primaryException()->type, QStringLiteral("*errors.errorString"));
        QCOMPARE(event.primaryException()->value, QStringLiteral("bad order 3003 amount 6006"));
        QCOMPARE(functionsOf(event.primaryException()->frames), (QStringList { "main", "main", "inner" }));
        QCOMPARE(event.primaryException()->frames.last().contextLine.trimmed(),
            QStringLiteral(
                "return raven.CaptureErrorAndWait(fmt.Errorf(\"bad order %d amount %d\", orderID, amount), nil)"));
        QCOMPARE(event.tag("component"), QStringLiteral("billing"));

        event = fixtureEvent(QStringLiteral("raven_go_panic_store"));
        QCOMPARE(event.primaryException()->type, QStringLiteral("runtime.plainError"));
        QCOMPARE(event.primaryException()->frames.size(), 5);

        // raven-js captureMessage(…, {stacktrace: true}): the stack is top-level.
        event = fixtureEvent(QStringLiteral("raven_js_stacktrace_message_store"));
        QVERIFY(event.exceptions.isEmpty());
        QCOMPARE(event.message, QStringLiteral("cart has 3 items but no total"));
        QCOMPARE(functionsOf(event.threadFrames),
            (QStringList { "Object.<anonymous>", "onCheckout", "renderCart", "Raven.captureMessage" }));

        // npm raven: a bare exception list, sent base64+zlib.
        event = fixtureEvent(QStringLiteral("raven_node_exception_store"));
        QCOMPARE(event.primaryException()->type, QStringLiteral("Error"));
        QCOMPARE(event.primaryException()->frames.last().function, QStringLiteral("inner"));
    }

    void topLevelStacktrace()
    {
        // the one exception without a stack gets it (Relay moves it there)
        Event event = parsed(R"({"exception":{"type":"ValueError","value":"v"},
                                 "stacktrace":{"frames":[{"function":"a"},{"function":"b"}]}})");
        QCOMPARE(event.exceptions.size(), 1);
        QCOMPARE(functionsOf(event.primaryException()->frames), (QStringList { "a", "b" }));
        QVERIFY(event.threadFrames.isEmpty());

        // an exception with its own stack keeps it
        event = parsed(R"({"exception":[{"type":"E","stacktrace":{"frames":[{"function":"own"}]}}],
                           "stacktrace":{"frames":[{"function":"top"}]}})");
        QCOMPARE(functionsOf(event.primaryException()->frames), (QStringList { "own" }));
        QVERIFY(event.threadFrames.isEmpty());

        // bad frames are named by their path
        const auto bad = parseEventJson(R"({"message":"m","stacktrace":{"frames":[1]}})");
        QVERIFY(!bad.ok());
        QCOMPARE(bad.errors().first().loc, (QJsonArray { "stacktrace", "frames", 0 }));

        // an object that is no exception at all is still ignored
        QVERIFY(parsed(R"({"exception":{"foo":1},"message":"m"})").exceptions.isEmpty());
    }

    void threads()
    {
        Event event = parsed(R"({"threads":{"values":[
            {"id":1,"current":true,"stacktrace":{"frames":[{"function":"idle"}]}},
            {"id":2,"crashed":true,"stacktrace":{"frames":[{"function":"main"},{"function":"crash"}]}},
            {"id":3,"stacktrace":{"frames":[{"function":"other"}]}}]}})");
        QCOMPARE(functionsOf(event.threadFrames), (QStringList { "main", "crash" }));

        event = parsed(R"({"threads":[{"id":3,"stacktrace":{"frames":[{"function":"first"}]}},
                                      {"id":1,"current":true,"stacktrace":{"frames":[{"function":"cur"}]}}]})");
        QCOMPARE(functionsOf(event.threadFrames), (QStringList { "cur" }));

        // the exception has no stack of its own: the thread's stack is used
        event = parsed(R"({"exception":{"values":[{"type":"Segfault"}]},
                           "threads":{"values":[{"stacktrace":{"frames":[{"function":"only"}]}}]}})");
        QCOMPARE(event.primaryException()->type, QStringLiteral("Segfault"));
        QCOMPARE(functionsOf(event.threadFrames), (QStringList { "only" }));

        // an exception stack makes thread stacks redundant
        event = parsed(R"({"exception":[{"type":"E","stacktrace":{"frames":[{"function":"f"}]}}],
                           "threads":[{"crashed":true,"stacktrace":{"frames":[{"function":"t"}]}}]})");
        QVERIFY(event.threadFrames.isEmpty());
    }

    void tagsBreadcrumbsFingerprint()
    {
        Event event = parsed(R"({"tags":[["a","x"],["n",5],["f",1.5],["b",true],["gone",null],"junk"],
                                 "breadcrumbs":{"values":[{"message":"m","timestamp":"2024-01-02T03:04:05Z"},7]},
                                 "fingerprint":["{{ default }}",42,false]})");
        QCOMPARE(event.tags, (QList<Tag> { { "a", "x" }, { "n", "5" }, { "f", "1.5" }, { "b", "true" } }));
        QCOMPARE(event.breadcrumbs.size(), 1);
        QCOMPARE(event.breadcrumbs.first().timestamp, 1704164645.0);
        QCOMPARE(event.fingerprint, (QStringList { "{{ default }}", "42", "false" }));

        event = parsed(R"({"tags":{"n":3,"s":"v"},"breadcrumbs":"nope"})");
        QCOMPARE(event.tag("n"), QStringLiteral("3"));
        QCOMPARE(event.tag("s"), QStringLiteral("v"));
        QVERIFY(event.breadcrumbs.isEmpty());
        QVERIFY(parsed(R"({"tags":"x"})").tags.isEmpty());
    }

    void emptyEventIsValid()
    {
        const auto result = parseEventJson("{}");
        QVERIFY(result.ok());
        QVERIFY(result->exceptions.isEmpty());
        QVERIFY(result->message.isEmpty());
        QCOMPARE(result->level, QStringLiteral("error"));
    }

    void errors_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QJsonArray>("loc");
        QTest::addColumn<QString>("type");
        QTest::newRow("array root") << QByteArray("[1,2]") << QJsonArray {} << "type_error.object";
        QTest::newRow("string root") << QByteArray("\"x\"") << QJsonArray {} << "type_error.object";
        QTest::newRow("number root") << QByteArray(" 42 ") << QJsonArray {} << "type_error.object";
        QTest::newRow("null root") << QByteArray("null") << QJsonArray {} << "type_error.object";
        QTest::newRow("syntax") << QByteArray("{\"a\":") << QJsonArray {} << "json_invalid";
        QTest::newRow("empty") << QByteArray() << QJsonArray {} << "json_invalid";
        QTest::newRow("too deep") << QByteArray("{\"a\":") + QByteArray(5000, '[') + QByteArray(5000, ']') + "}"
                                  << QJsonArray {} << "json_invalid";
        QTest::newRow("exception entry") << QByteArray(R"({"exception":{"values":[{"type":"A"},5]}})")
                                         << QJsonArray { "exception", "values", 1 } << "type_error.object";
        QTest::newRow("bare list entry") << QByteArray(R"({"exception":["x"]})") << QJsonArray { "exception", 0 }
                                         << "type_error.object";
        QTest::newRow("frames not a list")
            << QByteArray(R"({"exception":{"values":[{"type":"A","stacktrace":{"frames":"f"}}]}})")
            << QJsonArray { "exception", "values", 0, "stacktrace", "frames" } << "type_error.list";
        QTest::newRow("frame not an object")
            << QByteArray(R"({"exception":{"values":[{"type":"A"},{"type":"B","stacktrace":{"frames":[{},[1]]}}]}})")
            << QJsonArray { "exception", "values", 1, "stacktrace", "frames", 1 } << "type_error.object";
    }

    void errors()
    {
        QFETCH(QByteArray, json);
        QFETCH(QJsonArray, loc);
        QFETCH(QString, type);
        const auto result = parseEventJson(json);
        QVERIFY(!result.ok());
        QCOMPARE(result.errors().size(), 1);
        QCOMPARE(result.errors().first().loc, loc);
        QCOMPARE(result.errors().first().type, type);
        QVERIFY(!result.errors().first().msg.isEmpty());
    }

    void jsonQtReadsAndSimdjsonDoesNot()
    {
        // Python's json.dumps writes undecodable bytes as lone surrogates, and any
        // integer in full: both are valid JSON that simdjson refuses. They are
        // read through Qt, as before, with the surrogate as U+FFFD.
        const auto lone = parseEventJson(R"({"message":"path /tmp/\udcff.txt","tags":{"k\ud800":"v"}})");
        QVERIFY(lone.ok());
        QCOMPARE(lone->message, QStringLiteral("path /tmp/\uFFFD.txt"));
        QCOMPARE(lone->tags.first().first, QStringLiteral("k\uFFFD"));
        const auto paired = parseEventJson(R"({"message":"\ud83d\ude00"})");
        QVERIFY(paired.ok());
        QCOMPARE(paired->message, QString::fromUtf8("\xF0\x9F\x98\x80"));
        const auto big = parseEventJson(R"({"message":"m","extra":{"n":123456789012345678901234567890}})");
        QVERIFY(big.ok());
        QCOMPARE(big->raw["extra"]["n"].toDouble(), 1.2345678901234568e29);
        // Beyond 64 bits but below 1e21, Qt writes the double back as plain digits.
        const auto wide
            = parseEventJson(R"({"message":"m","extra":{"n":90071992519925470000,"m":-18446744073709551616}})");
        QVERIFY(wide.ok());
        QCOMPARE(wide->raw["extra"]["n"].toDouble(), 9.007199251992547e19);
        QCOMPARE(wide->raw["extra"]["m"].toDouble(), -18446744073709551616.0);
    }

    void syntaxErrorNamesOffset()
    {
        const QByteArray text = "{\"a\": tru}";
        QJsonParseError qtError;
        QJsonDocument::fromJson(text, &qtError);
        const auto result = parseEventJson(text);
        QVERIFY(!result.ok());
        const QString msg = result.errors().first().msg;
        QVERIFY2(msg.contains(qtError.errorString()), qPrintable(msg));
        QVERIFY2(msg.contains(QStringLiteral("offset %1").arg(qtError.offset)), qPrintable(msg));
        const auto deep = parseEventJson(QByteArray(3000, '[') + QByteArray(3000, ']'));
        QVERIFY(deep.errors().first().msg.contains(QLatin1String("deeply nested")));
    }
};

QTEST_GUILESS_MAIN(TestEventParser)
#include "tst_event_parser.moc"
