// Grouping v2's keys are stored in users' databases (grouping_keys.hash):
// any change in what v2 hashes, however it is computed, would split every
// issue created since v2. The collector works keys out without the
// explanation (GroupingDetail::KeysOnly), the detail view with it: both must
// give the same key. The hashes below were taken from the v2
// implementation as it shipped (commit 3501963), for every captured payload
// and for edited copies of each that walk the strategy's other branches
// (no app frame, recursion, deep stacks, fingerprints, synthetic exceptions,
// missing stacks, long context lines, Windows paths).
#include "model/event_parser.h"
#include "model/grouping.h"
#include "support/event_mutation.h"
#include "support/fixture_events.h"
#include "support/fixtures.h"

#include <QCryptographicHash>
#include <QJsonArray>
#include <QTest>

#include <functional>

using namespace faultline;
using namespace faultline::test;

namespace {

QString sha1Of(const QByteArray &bytes)
{
    return QString::fromLatin1(QCryptographicHash::hash(bytes, QCryptographicHash::Sha1).toHex());
}

using Edit = std::function<QJsonObject(QJsonObject)>;

QJsonObject withFrameField(QJsonObject json, const QString &field, const QJsonValue &value)
{
    return mutateFrames(json, [&](QJsonObject &frame, qsizetype) { frame[field] = value; });
}

// Every frame of the raised exception repeated (recursion), or 30 times with a
// distinct function each (deeper than the 50 frames that count).
QJsonObject withRepeatedFrames(const QJsonObject &json, bool distinct)
{
    return mutateFrameList(json, [distinct](QJsonArray &frames) {
        QJsonArray repeated;
        for (qsizetype copy = 0; copy < (distinct ? 30 : 3); ++copy) {
            for (const QJsonValue &value : frames) {
                QJsonObject frame = value.toObject();
                if (distinct)
                    frame["function"] = frame.value("function").toString() + QString::number(copy);
                repeated.append(frame);
            }
        }
        frames = repeated;
    });
}

QJsonObject withThreadsInsteadOfException(QJsonObject json)
{
    const QJsonArray values = exceptionValues(json);
    if (values.isEmpty())
        return json;
    const QJsonObject stacktrace = values.last().toObject().value("stacktrace").toObject();
    json.remove("exception");
    json["threads"] = QJsonObject { { "values", QJsonArray { QJsonObject { { "stacktrace", stacktrace } } } } };
    json["message"] = "worker 7 stalled at 2024-01-31T10:00:00Z";
    return json;
}

QJsonObject withMechanismSynthetic(QJsonObject json)
{
    QJsonObject mechanism = exceptionValues(json).isEmpty()
        ? QJsonObject()
        : exceptionValues(json).last().toObject().value("mechanism").toObject();
    mechanism["type"] = "generic";
    mechanism["synthetic"] = true;
    return withExceptionField(json, "mechanism", mechanism);
}

// The edits each fixture is also grouped under, by name.
QList<QPair<QString, Edit>> edits()
{
    return {
        { "as sent", [](QJsonObject json) { return json; } },
        { "no frame in app", [](QJsonObject json) { return withFrameField(json, "in_app", false); } },
        { "every frame in app", [](QJsonObject json) { return withFrameField(json, "in_app", true); } },
        { "first frame flipped",
            [](QJsonObject json) {
                return mutateFrameList(json, [](QJsonArray &frames) {
                    if (frames.isEmpty())
                        return;
                    QJsonObject first = frames.first().toObject();
                    first["in_app"] = !first.value("in_app").toBool();
                    frames[0] = first;
                });
            } },
        { "recursion", [](QJsonObject json) { return withRepeatedFrames(json, false); } },
        { "deep", [](QJsonObject json) { return withRepeatedFrames(json, true); } },
        { "no stack", [](QJsonObject json) { return withExceptionField(json, "stacktrace", QJsonValue::Undefined); } },
        { "no type, no stack",
            [](QJsonObject json) {
                json = withExceptionField(json, "stacktrace", QJsonValue::Undefined);
                return withExceptionField(json, "type", QJsonValue::Undefined);
            } },
        { "module", [](QJsonObject json) { return withExceptionField(json, "module", "billing.errors"); } },
        { "synthetic", withMechanismSynthetic },
        { "custom fingerprint",
            [](QJsonObject json) {
                json["fingerprint"] = QJsonArray { "checkout", "{{ default }}", "{{default}}" };
                return json;
            } },
        { "fingerprint only",
            [](QJsonObject json) {
                json["fingerprint"] = QJsonArray { "checkout", "payment 42" };
                return json;
            } },
        { "threads", withThreadsInsteadOfException },
        { "long context line",
            [](QJsonObject json) { return withFrameField(json, "context_line", QString(130, QLatin1Char('x'))); } },
        { "spaced context line",
            [](QJsonObject json) { return withFrameField(json, "context_line", "  a  =\tb(  1 )  "); } },
        { "no location",
            [](QJsonObject json) {
                return mutateFrames(json, [](QJsonObject &frame, qsizetype) {
                    for (const char *field : { "module", "filename", "abs_path", "function", "context_line" })
                        frame.remove(field);
                });
            } },
        { "windows library path",
            [](QJsonObject json) {
                return withFrameField(json, "abs_path", "C:\\Python311\\Lib\\site-packages\\app\\x.py");
            } },
        // In-app by path, case-insensitively (U+017F folds to "s", as Qt folds it).
        { "odd-case library paths",
            [](QJsonObject json) {
                return mutateFrames(json, [](QJsonObject &frame, qsizetype index) {
                    const QString paths[] = { QStringLiteral("/OPT/Venv/LIB/Python3.12/json/decoder.py"),
                        QStringLiteral("/srv/app/\u017Fite-packages/x.py"),
                        QStringLiteral("C:\\Python311\\Lib\\json\\x.py"), QStringLiteral("/app/NODE_MODULES/x.js"),
                        QStringLiteral("/srv/app/views.py") };
                    frame["abs_path"] = paths[index % 5];
                    frame["in_app"] = true;
                });
            } },
        { "message with ids",
            [](QJsonObject json) {
                json["message"] = "user 1234 (a@b.io) from 10.0.0.1 hit 0xdeadbeef "
                                  "at 10:00:01 req 123e4567-e89b-12d3-a456-426614174000.";
                return json;
            } },
    };
}

// Whether the key is the same explained or not, and is the hash of the components
// its explanation lists, which explanationOf() gives for the key made without one.
bool consistent(const Event &event)
{
    const IssueKey explained = groupEvent(event);
    const IssueKey keysOnly = groupEvent(event, GroupingDetail::KeysOnly);
    return keysOnly.fingerprint == explained.fingerprint && keysOnly.legacyFingerprint == explained.legacyFingerprint
        && keysOnly.title == explained.title && keysOnly.culprit == explained.culprit
        && keysOnly.explanation.parts.isEmpty() && keysOnly.components.isEmpty()
        && toJson(explanationOf(keysOnly, event)) == toJson(explained.explanation)
        && explained.fingerprint == sha1Of(explained.components.join(QLatin1Char('\n')).toUtf8())
        && explained.components == explained.explanation.hashedComponents();
}

// The v2 key of each edit of `name`, as "edit=hash" lines; and the edits whose
// key is not consistent().
QStringList keysOfEdits(const QString &name, QStringList *inconsistent)
{
    const QJsonObject json = fixtureEventJson(name);
    QStringList lines;
    for (const auto &[editName, edit] : edits()) {
        const auto event = parseEvent(edit(json));
        if (!event) {
            lines.append(editName + QStringLiteral("=refused"));
            continue;
        }
        const IssueKey key = groupEvent(event.value(), GroupingDetail::KeysOnly);
        if (!consistent(event.value()))
            inconsistent->append(editName);
        lines.append(editName + QLatin1Char('=') + key.fingerprint);
    }
    return lines;
}

} // namespace

struct PinnedKeys {
    const char *name;
    const char *key; // the fixture as sent
    const char *edits; // SHA-1 of every edit's "edit=key" line, in order
};

constexpr PinnedKeys pinned[] = {
    { "attachment_html_envelope", "40149d606632dc6f7e0b509d7c346634ad0809b1",
        "b01e4c2167474a013c5210bb65252e17dab9c881" },
    { "browser_exception_store", "98ec99b2029a9163c3d0299e43f4705a9ed90d68",
        "8280a32014e6d73dbbc85c1098d7c4990e3aace0" },
    { "browser_message_store", "187cbbb05ffbba78420e22e3964b94242e5321c6", "159193fe56f735d58c901e1aa8ba8dec0b630524" },
    { "django_drf_validation_store", "97fbdf2c5bfe5cc6529a689828eb05cb00efef04",
        "f8cd0c44654613d4ac21ef2cd4f105639249364a" },
    { "django_request_store", "7c353de467c9d49474a048b869c74ac57ca6c723", "fd0ad3c3529fcf216d358546dfc8acade46a219a" },
    { "django_testclient_store", "20ec16177318cad9d121ff7bd478caddd0f0601d",
        "719c9300b38f0bf4de5f7f17075d690f5667e2d9" },
    { "go_exception_store", "384a538e2adf86f2bcfbabf253b639ce928d2978", "ec3b2afc12ae12a44e3b555be00ad6c9a2f52847" },
    { "go_message_store", "187cbbb05ffbba78420e22e3964b94242e5321c6", "159193fe56f735d58c901e1aa8ba8dec0b630524" },
    { "node_exception_envelope", "b727bdda134739fd7312b852a091d83bd2f59684",
        "1098cc0b5a69a2192b24e86c3ef5a55743709774" },
    { "node_message_envelope", "8f307d11a24f9ac086da86e2413d06beaf8e50bb", "a6e082cca6d50708605b9ffe4c956e4073b4b842" },
    { "pydantic_validation_store", "d20440931306ca76d978fae8beb3564542087ed9",
        "4be46a286ec2e3d997c4f68c1e655b6888579454" },
    { "python_exception_store", "f1cb8dec7a57ab724276caa04ad6f31cc999c1fd",
        "7341ceaeb3707de6346d8fdbcea19e7d527d3946" },
    { "python_message_store", "1b8806342c4cd660690426ea66653ac080a30f17", "af942133ab55067438abaefbf8f8e9544876ee98" },
    { "python_rich_event_store", "155ec64937d12badd7c86a9675ec7cd2ce6f83a8",
        "9286d8cfbd6d8a6901fd722cc366b8541cb3da2a" },
    { "python_unhandled_excepthook_store", "120c377dad1721c3d4e06b927ae2acae780ad3b8",
        "83223a6e31f723d8b3f16c4bfddd6fdba5e0f46c" },
    { "raven_go_exception_store", "52fa288045c69c13d02ee0a47d780bba373cc4eb",
        "a73c648a17dfbc6e57414771d60ae33b1aa19494" },
    { "raven_go_message_store", "187cbbb05ffbba78420e22e3964b94242e5321c6",
        "159193fe56f735d58c901e1aa8ba8dec0b630524" },
    { "raven_go_panic_store", "4fdcc02ac1fa0ecac497f585f4d61d8623e45d5d", "e9b76af4274489836052db794dc27cd674aaa677" },
    { "raven_js_exception_store", "c937724ae7f0e27d2fc9208e89d631c3f9cb5ab9",
        "720619273bb6bc49d4c6c3722311678154bceb63" },
    { "raven_js_stacktrace_message_store", "bc95cd03d2a2db276ac8657ef91b084f7ecbaafc",
        "a70ea3a7468368ca2f0be746beec94006c19ec38" },
    { "raven_node_exception_store", "6adbec4849dd365b8e5039c29a7d8d1fa962ce19",
        "0fc65f592c76a8a7edf451431cb30440490c1448" },
    { "raven_node_message_store", "187cbbb05ffbba78420e22e3964b94242e5321c6",
        "159193fe56f735d58c901e1aa8ba8dec0b630524" },
    { "ruby_exception_envelope", "954d51d9a748fb7a1bb497bb411c52cdc66ca64a",
        "e6d9fdad1008e528816ff9db1da38e92b40f9aa0" },
    { "ruby_message_envelope", "3ff24232ed4274a724c5ff5a0789a73855997d5b", "ccc48699ef3a25f99f8d176d69fbdec3f7b9757c" },
    { "ruby_raven_default_encoding_store", "b1ba3f47d8323547805d7bea0c047ca78ec24517",
        "404c1b13f25bd28686b57740a07e1fe9cf1a268f" },
    { "ruby_raven_json_exception_store", "b1ba3f47d8323547805d7bea0c047ca78ec24517",
        "404c1b13f25bd28686b57740a07e1fe9cf1a268f" },
    { "ruby_raven_json_message_store", "187cbbb05ffbba78420e22e3964b94242e5321c6",
        "0b9e07ccd51c33e86c01ccb16f80ee6fd48e1d68" },
};

class TestGroupingV2Keys : public QObject {
    Q_OBJECT

private slots:
    void keysAreThoseV2Gave_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("key");
        QTest::addColumn<QString>("edits");
        for (const PinnedKeys &row : pinned)
            QTest::newRow(row.name) << QString::fromLatin1(row.name) << QString::fromLatin1(row.key)
                                    << QString::fromLatin1(row.edits);
    }

    void keysAreThoseV2Gave()
    {
        QFETCH(QString, name);
        QFETCH(QString, key);
        QFETCH(QString, edits);
        QCOMPARE(groupEvent(fixtureEvent(name), GroupingDetail::KeysOnly).fingerprint, key);
        QCOMPARE(groupEvent(fixtureEvent(name)).fingerprint, key);
        QStringList inconsistent;
        const QStringList lines = keysOfEdits(name, &inconsistent);
        QVERIFY2(inconsistent.isEmpty(), qPrintable(inconsistent.join(u", ")));
        if (sha1Of(lines.join(QLatin1Char('\n')).toUtf8()) != edits)
            QFAIL(qPrintable(QStringLiteral("keys of the edits changed; now:\n") + lines.join(QLatin1Char('\n'))));
    }

    // A fixture added later gets a row too (its keys are then pinned as they are).
    void everyEventFixtureIsPinned()
    {
        QStringList names;
        for (const PinnedKeys &row : pinned)
            names.append(QString::fromLatin1(row.name));
        for (const QString &name : fixtureNames())
            if (!fixtureEventJson(name).isEmpty())
                QVERIFY2(names.contains(name), qPrintable(name));
    }
};

QTEST_GUILESS_MAIN(TestGroupingV2Keys)
#include "tst_grouping_v2_keys.moc"
