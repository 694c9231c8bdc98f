// groupEvent on real fixtures, and on copies of them mutated the way the same
// bug looks on another day (other values, shifted lines) or a different bug.
#include "model/event_parser.h"
#include "model/grouping.h"
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

// Applies `change` to every frame of every exception in the event JSON.
template<typename Change> QJsonObject mutateFrames(QJsonObject json, Change change)
{
    QJsonObject exception = json.value("exception").toObject();
    QJsonArray values = exception.value("values").toArray();
    for (qsizetype i = 0; i < values.size(); ++i) {
        QJsonObject value = values.at(i).toObject();
        QJsonObject stacktrace = value.value("stacktrace").toObject();
        QJsonArray frames = stacktrace.value("frames").toArray();
        for (qsizetype j = 0; j < frames.size(); ++j) {
            QJsonObject frame = frames.at(j).toObject();
            change(frame, j);
            frames[j] = frame;
        }
        stacktrace["frames"] = frames;
        value["stacktrace"] = stacktrace;
        values[i] = value;
    }
    exception["values"] = values;
    json["exception"] = exception;
    return json;
}

QJsonObject withExceptionValue(QJsonObject json, const QString &text)
{
    QJsonObject exception = json.value("exception").toObject();
    QJsonArray values = exception.value("values").toArray();
    QJsonObject last = values.last().toObject();
    last["value"] = text;
    values[values.size() - 1] = last;
    exception["values"] = values;
    json["exception"] = exception;
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
        QTest::newRow("rich") << "python_rich_event_store"
                              << "KeyError: 'missing_key'"
                              << "__main__ in <module>";
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
        QTest::newRow("attachment") << "attachment_html_envelope"
                                    << "RuntimeError: server error page rendered"
                                    << "__main__ in <module>";
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
        QCOMPARE(key.components.first(), QStringLiteral("v1"));
    }

    void componentsUseInAppFramesOnly()
    {
        const IssueKey key = groupEvent(fixtureEvent(QStringLiteral("django_request_store")));
        QCOMPARE(
            key.components, (QStringList { "v1", "exception", "ZeroDivisionError", "app|boom_view", "app|compute" }));

        const IssueKey node = groupEvent(fixtureEvent(QStringLiteral("node_exception_envelope")));
        QCOMPARE(node.components,
            (QStringList { "v1", "exception", "Error", "client|Object.?", "client|main", "client|outerCall",
                "client|innerFail" }));
    }

    void sameSiteSameFingerprint()
    {
        const QJsonObject original = fixtureEventJson(QStringLiteral("python_exception_store"));
        const IssueKey base = keyOf(original);

        // another day: other value, other event id, lines shifted by an edit above
        QJsonObject moved = withExceptionValue(original, QStringLiteral("float division by zero"));
        moved["event_id"] = QStringLiteral("0123456789abcdef0123456789abcdef");
        moved["timestamp"] = 1800000000.0;
        moved = mutateFrames(moved, [](QJsonObject &frame, qsizetype) {
            frame["lineno"] = frame.value("lineno").toInt() + 17;
            frame["context_line"] = frame.value("context_line").toString() + QStringLiteral("  # edited");
            frame["vars"] = QJsonObject { { "a", "99" } };
        });
        const IssueKey again = keyOf(moved);
        QCOMPARE(again.fingerprint, base.fingerprint);
        QCOMPARE(again.title, QStringLiteral("ZeroDivisionError: float division by zero"));

        // node: columns and lines move with every bundle
        const QJsonObject node = fixtureEventJson(QStringLiteral("node_exception_envelope"));
        const QJsonObject nodeMoved
            = mutateFrames(withExceptionValue(node, QStringLiteral("boom 2")), [](QJsonObject &frame, qsizetype) {
                  frame["colno"] = 1;
                  frame["lineno"] = frame.value("lineno").toInt() + 3;
              });
        QCOMPARE(keyOf(nodeMoved).fingerprint, keyOf(node).fingerprint);

        // a library frame changing (django upgrade) does not split the issue
        const QJsonObject django = fixtureEventJson(QStringLiteral("django_request_store"));
        const QJsonObject upgraded = mutateFrames(django, [](QJsonObject &frame, qsizetype index) {
            if (index == 1)
                frame["function"] = QStringLiteral("_get_response_async");
        });
        QCOMPARE(keyOf(upgraded).fingerprint, keyOf(django).fingerprint);
    }

    void differentSiteDifferentFingerprint()
    {
        const QJsonObject original = fixtureEventJson(QStringLiteral("python_exception_store"));
        const QJsonObject renamed = mutateFrames(original, [](QJsonObject &frame, qsizetype index) {
            if (index == 2)
                frame["function"] = QStringLiteral("safe_divide");
        });
        QVERIFY(keyOf(renamed).fingerprint != keyOf(original).fingerprint);

        QJsonObject otherType = original;
        QJsonObject exception = otherType.value("exception").toObject();
        QJsonArray values = exception.value("values").toArray();
        QJsonObject value = values.first().toObject();
        value["type"] = QStringLiteral("OverflowError");
        values[0] = value;
        exception["values"] = values;
        otherType["exception"] = exception;
        QVERIFY(keyOf(otherType).fingerprint != keyOf(original).fingerprint);

        QVERIFY(groupEvent(fixtureEvent("python_exception_store")).fingerprint
            != groupEvent(fixtureEvent("python_rich_event_store")).fingerprint);
    }

    void syntheticExceptionGroupsByMessage()
    {
        const IssueKey key = groupEvent(fixtureEvent(QStringLiteral("node_message_envelope")));
        QCOMPARE(key.components, (QStringList { "v1", "message", "hello from node" }));
        // the same message captured from another line is the same issue
        QJsonObject json = fixtureEventJson(QStringLiteral("node_message_envelope"));
        json = mutateFrames(json, [](QJsonObject &frame, qsizetype) { frame["function"] = QStringLiteral("other"); });
        QCOMPARE(keyOf(json).fingerprint, key.fingerprint);
        // and equal to a plain message event with that text
        QCOMPARE(keyOf(R"({"message":"hello from node"})").fingerprint, key.fingerprint);
    }

    void messageTemplateGroups()
    {
        const IssueKey a = keyOf(R"({"logentry":{"message":"user %s failed","params":["bob"]}})");
        const IssueKey b = keyOf(R"({"logentry":{"message":"user %s failed","params":["alice"]}})");
        QCOMPARE(a.fingerprint, b.fingerprint);
        QCOMPARE(a.title, QStringLiteral("user bob failed"));
        QCOMPARE(b.title, QStringLiteral("user alice failed"));
        QVERIFY(keyOf(R"({"message":"user bob failed"})").fingerprint
            != keyOf(R"({"message":"user alice failed"})").fingerprint);
    }

    void fingerprintOverride()
    {
        QJsonObject json = fixtureEventJson(QStringLiteral("python_exception_store"));
        const IssueKey base = keyOf(json);

        json["fingerprint"] = QJsonArray { "checkout", "db-timeout" };
        const IssueKey custom = keyOf(json);
        QCOMPARE(custom.components, (QStringList { "v1", "fingerprint", "checkout", "db-timeout" }));
        QVERIFY(custom.fingerprint != base.fingerprint);
        QCOMPARE(custom.title, base.title); // the title still describes the error

        // {{ default }} alone is the default grouping
        json["fingerprint"] = QJsonArray { "{{ default }}" };
        QCOMPARE(keyOf(json).fingerprint, base.fingerprint);

        // {{ default }} with more: the default components spliced in, either spelling
        json["fingerprint"] = QJsonArray { "{{ default }}", "tenant-a" };
        const IssueKey spliced = keyOf(json);
        QCOMPARE(spliced.components,
            (QStringList { "v1", "fingerprint", "exception", "ZeroDivisionError", "__main__|<module>", "__main__|outer",
                "__main__|inner_divide", "tenant-a" }));
        json["fingerprint"] = QJsonArray { "{{default}}", "tenant-a" };
        QCOMPARE(keyOf(json).fingerprint, spliced.fingerprint);
        json["fingerprint"] = QJsonArray { "{{default}}", "tenant-b" };
        QVERIFY(keyOf(json).fingerprint != spliced.fingerprint);
    }

    void noInAppFramesUsesTopFrames()
    {
        QJsonArray frames;
        for (int i = 0; i < 15; ++i)
            frames.append(
                QJsonObject { { "function", QStringLiteral("f%1").arg(i) }, { "module", "lib" }, { "in_app", false } });
        QJsonObject json { { "exception",
            QJsonArray { QJsonObject { { "type", "E" }, { "stacktrace", QJsonObject { { "frames", frames } } } } } } };
        const IssueKey key = keyOf(json);
        QCOMPARE(key.components.size(), 3 + 10);
        QCOMPARE(key.components.at(3), QStringLiteral("lib|f5"));
        QCOMPARE(key.components.last(), QStringLiteral("lib|f14"));
        QCOMPARE(key.culprit, QString()); // nothing in-app to blame
    }

    void isInAppOverridesLibraryPaths()
    {
        Frame frame;
        frame.inApp = true;
        frame.absPath = QStringLiteral("/srv/app/views.py");
        QVERIFY(isInApp(frame));
        frame.absPath = QStringLiteral("/usr/lib/python3/dist-packages/django/core/handlers/base.py");
        QVERIFY(!isInApp(frame));
        frame.absPath = QStringLiteral("/venv/lib/python3.11/site-packages/requests/api.py");
        QVERIFY(!isInApp(frame));
        frame.absPath.clear();
        frame.filename = QStringLiteral("node:internal/modules/cjs/loader");
        QVERIFY(!isInApp(frame));
        frame.filename = QStringLiteral("/srv/app/node_modules/express/lib/router.js");
        QVERIFY(!isInApp(frame));
        frame.filename = QStringLiteral("/srv/app/index.js");
        QVERIFY(isInApp(frame));
        frame.inApp.reset();
        QVERIFY(!isInApp(frame));
    }

    void titlesAndFallbacks()
    {
        IssueKey key = keyOf("{}");
        QCOMPARE(key.title, QStringLiteral("<unlabeled event>"));
        QCOMPARE(key.culprit, QString());
        QCOMPARE(key.components, (QStringList { "v1", "fallback" }));

        key = keyOf(R"({"exception":[{"type":"ValueError"}],"transaction":"/api/orders"})");
        QCOMPARE(key.title, QStringLiteral("ValueError"));
        QCOMPARE(key.culprit, QStringLiteral("/api/orders"));

        key = keyOf(R"({"exception":[{"type":"E","value":"first line\nsecond line"}]})");
        QCOMPARE(key.title, QStringLiteral("E: first line"));

        const QJsonObject longValue { { "exception",
            QJsonArray { QJsonObject { { "type", "E" }, { "value", QString(500, QLatin1Char('x')) } } } } };
        key = keyOf(longValue);
        QVERIFY(key.title.size() <= 205);
        QVERIFY(key.title.startsWith(QLatin1String("E: xxx")));

        key = keyOf(R"({"message":"line one\nline two","exception":[{"value":"v","mechanism":{"synthetic":true}}]})");
        QCOMPARE(key.title, QStringLiteral("line one"));

        key = keyOf(R"({"exception":[{"type":"E","stacktrace":{"frames":[
                        {"filename":"app/x.js","function":"run","in_app":true},
                        {"filename":"app/y.js","in_app":true}]}}]})");
        QCOMPARE(key.culprit, QStringLiteral("app/y.js"));
    }
};

QTEST_GUILESS_MAIN(TestGrouping)
#include "tst_grouping.moc"
