// "Replay" of a captured DRF request against a local HTTP receiver: the exact
// request is shown before sending, only the typed host is contacted, scrubbed
// headers are left out, redirects are not followed, and the verdict compares
// the answer with what the service answered when the event happened.
#include "model/event_parser.h"
#include "model/scrub.h"
#include "screenshots.h"
#include "settle_layouts.h"
#include "support/fixture_events.h"
#include "support/http_receiver.h"
#include "ui/app_settings.h"
#include "ui/http_outcome_view.h"
#include "ui/replay_dialog.h"
#include "ui/request_actions.h"

#include <QApplication>
#include <QClipboard>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTest>
#include <QToolButton>

#include <optional>

using namespace faultline;
using namespace faultline::test;

namespace {

// As stored: Faultline scrubs before writing, so the replay sees "[Filtered]". `status` > 0 adds the
// http.status_code tag services set for the answer they gave (model/validation.cpp reads it).
Event storedEvent(const QString &fixture, int status = 0)
{
    QJsonObject json = fixtureEventJson(fixture);
    if (status > 0) {
        QJsonObject tags = json.value(QLatin1String("tags")).toObject();
        tags.insert(QStringLiteral("http.status_code"), QString::number(status));
        json.insert(QStringLiteral("tags"), tags);
    }
    scrubSecrets(json);
    const auto event = parseEvent(json);
    return event ? event.value() : Event {};
}

CannedResponse jsonAnswer(int status, const QByteArray &reason, const QByteArray &body)
{
    return { status, reason, { { "Content-Type", "application/json" } }, body };
}

// `dialog` sends its event to `receiver`, which answers as the DRF service did: nothing when
// the receiver cannot listen or no answer came.
[[nodiscard]] std::optional<ReplayResult> replayToTheValidationError(HttpReceiver &receiver, ReplayDialog &dialog)
{
    if (!receiver.listen())
        return std::nullopt;
    receiver.queue(jsonAnswer(400, "Bad Request",
        R"({"error": {"quantity": ["Ensure this value is greater than or equal to 1."]}, "status_code": 400})"));
    dialog.baseUrlEdit()->setText(receiver.baseUrl());
    QSignalSpy finished(&dialog, &ReplayDialog::replayFinished);
    dialog.sendButton()->click();
    if (!finished.wait(10'000))
        return std::nullopt;
    return finished.first().first().value<ReplayResult>();
}

} // namespace

class TestReplay : public QObject {
    Q_OBJECT
private slots:
    void init() { m_event = storedEvent(QStringLiteral("django_drf_validation_store"), 400); }

    void showsTheExactRequestBeforeSending()
    {
        ReplayDialog dialog(m_event, nullptr);
        QVERIFY(!dialog.sendButton()->isEnabled()); // no base URL by default
        QVERIFY(dialog.requestText().contains(QLatin1String("Type the base URL")));
        dialog.baseUrlEdit()->setText(QStringLiteral("http://127.0.0.1:8123"));
        QVERIFY(dialog.sendButton()->isEnabled());
        QCOMPARE(dialog.sendButton()->text(), QStringLiteral("Send to 127.0.0.1:8123"));
        QCOMPARE(dialog.requestText(),
            QStringLiteral("POST http://127.0.0.1:8123/api/explicit/\n"
                           "Content-Type: application/json\n"
                           "User-Agent: TestAgent/1.0\n"
                           "(not sent: Authorization, scrubbed)\n"
                           "(not sent: Cookie, scrubbed)\n"
                           "\n"
                           "{\"quantity\":0}"));
        dialog.baseUrlEdit()->setText(QStringLiteral("testserver"));
        QVERIFY(!dialog.sendButton()->isEnabled());
    }

    void reproducesTheValidationError()
    {
        QCOMPARE(m_event.http.statusCode, 400);
        HttpReceiver receiver;
        ReplayDialog dialog(m_event, nullptr);
        const std::optional<ReplayResult> replayed = replayToTheValidationError(receiver, dialog);
        QVERIFY(replayed);
        QCOMPARE(receiver.requests().size(), 1);
        const ReceivedRequest request = receiver.requests().first();
        QCOMPARE(request.method, QByteArray("POST"));
        QCOMPARE(request.target, QByteArray("/api/explicit/"));
        QCOMPARE(request.body, QByteArray(R"({"quantity":0})"));
        QCOMPARE(request.header("Content-Type"), QByteArray("application/json"));
        QCOMPARE(request.header("Host"), QByteArray("127.0.0.1:") + QByteArray::number(receiver.port()));
        QVERIFY(!request.hasHeader("Authorization"));
        QVERIFY(!request.hasHeader("Cookie"));
        const ReplayResult &result = *replayed;
        QCOMPARE(result.status, 400);
        QVERIFY(result.reproduced);
        QCOMPARE(dialog.verdictText(), QStringLiteral("The error reproduced: 400 (the event had 400)."));
        QCOMPARE(dialog.replayOutcome()->statusText(), QStringLiteral("400 Bad Request"));
        QVERIFY(dialog.replayOutcome()->bodyText().contains(QLatin1String("greater than or equal to 1")));
    }

    void aFixedBugDoesNotReproduce()
    {
        HttpReceiver receiver;
        QVERIFY(receiver.listen());
        receiver.queue(jsonAnswer(201, "Created", R"({"id": 7})"));
        ReplayDialog dialog(m_event, nullptr);
        dialog.baseUrlEdit()->setText(receiver.baseUrl() + QStringLiteral("/"));
        QSignalSpy finished(&dialog, &ReplayDialog::replayFinished);
        dialog.sendButton()->click();
        QVERIFY(finished.wait(10'000));
        QCOMPARE(dialog.verdictText(), QStringLiteral("Did not reproduce: 201 (the event had 400)."));
    }

    void unknownOriginalStatusOnlyServerErrorsCount()
    {
        const Event event = storedEvent(QStringLiteral("django_drf_validation_store"));
        QCOMPARE(event.http.statusCode, 0);
        for (const auto &[status, verdict] :
            { std::pair { 500, "Server error again: 500 (the event did not record its status)." },
                std::pair { 400, "Answered 400; the event did not record its status: compare the bodies." } }) {
            HttpReceiver receiver;
            QVERIFY(receiver.listen());
            receiver.queue(jsonAnswer(status, "Whatever", "{}"));
            ReplayDialog dialog(event, nullptr);
            dialog.baseUrlEdit()->setText(receiver.baseUrl());
            QSignalSpy finished(&dialog, &ReplayDialog::replayFinished);
            dialog.sendButton()->click();
            QVERIFY(finished.wait(10'000));
            QCOMPARE(dialog.verdictText(), QString::fromUtf8(verdict));
            QCOMPARE(finished.first().first().value<ReplayResult>().reproduced, status == 500);
        }
    }

    void neverFollowsARedirect()
    {
        HttpReceiver receiver;
        HttpReceiver elsewhere;
        QVERIFY(receiver.listen() && elsewhere.listen());
        receiver.queue({ 302, "Found", { { "Location", elsewhere.baseUrl().toUtf8() + "/api/explicit/" } }, {} });
        ReplayDialog dialog(m_event, nullptr);
        dialog.baseUrlEdit()->setText(receiver.baseUrl());
        QSignalSpy finished(&dialog, &ReplayDialog::replayFinished);
        dialog.sendButton()->click();
        QVERIFY(finished.wait(10'000));
        QCOMPARE(finished.first().first().value<ReplayResult>().status, 302);
        QCOMPARE(receiver.requests().size(), 1);
        QCOMPARE(elsewhere.connections(), 0);
    }

    void noAnswerIsSaidPlainly()
    {
        auto *closed = new HttpReceiver;
        QVERIFY(closed->listen());
        const QString url = closed->baseUrl();
        delete closed; // nothing listens on the port any more
        ReplayDialog dialog(m_event, nullptr);
        dialog.baseUrlEdit()->setText(url);
        QSignalSpy finished(&dialog, &ReplayDialog::replayFinished);
        dialog.sendButton()->click();
        QVERIFY(finished.wait(10'000));
        QVERIFY2(dialog.verdictText().startsWith(QLatin1String("No answer: ")), qPrintable(dialog.verdictText()));
        QVERIFY(!finished.first().first().value<ReplayResult>().reproduced);
    }

    void copyAsCurlPutsTheScrubbedCommandOnTheClipboard()
    {
        RequestActions actions;
        actions.setEvent(m_event);
        QVERIFY(actions.copyButton()->isEnabled());
        actions.copyButton()->click();
        const QString curl = QApplication::clipboard()->text();
        QVERIFY2(curl.startsWith(QLatin1String("# [Filtered] marks values scrubbed")), qPrintable(curl));
        QVERIFY(curl.contains(QLatin1String("curl -X POST 'http://testserver/api/explicit/'")));
        QVERIFY(curl.contains(QLatin1String("-H 'Authorization: [Filtered]'")));
        QVERIFY(!curl.contains(QLatin1String("secret-token")));
        actions.setEvent(Event {});
        QVERIFY(!actions.copyButton()->isEnabled());
        QVERIFY(!actions.replayButton()->isEnabled());
    }

    void screenshots()
    {
        if (screenshotDir().isEmpty())
            QSKIP("set FAULTLINE_SCREENSHOT_DIR to save screenshots");
        shootLightAndDark(
            [&](const ThemedShots &shots) {
                HttpReceiver receiver;
                ReplayDialog dialog(m_event, nullptr);
                QVERIFY(replayToTheValidationError(receiver, dialog));
                dialog.resize(1000, 700);
                dialog.show();
                QVERIFY(settleLayouts(&dialog));
                QVERIFY(shots.save(QStringLiteral("replay"), dialog.grab()));
            },
            darkPalette());
    }

private:
    Event m_event;
};

QTEST_MAIN(TestReplay)
#include "tst_replay.moc"
