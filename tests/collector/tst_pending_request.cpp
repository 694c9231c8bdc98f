// One request on its way to its answer: the writer's outcomes for an envelope's
// events become one answer after the last; the first answer wins; refusals are
// counted once; every answer carries the CORS headers once.
#include "collector/collector_stats.h"
#include "collector/pending_request.h"
#include "collector/rejection_log.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

#include <thread>
#include <vector>

using namespace faultline;

namespace {

struct Answers {
    std::mutex mutex;
    QList<HttpResponse> sent;

    Responder responder()
    {
        return [this](HttpResponse response) {
            std::lock_guard lock(mutex);
            sent.append(std::move(response));
        };
    }
};

int count(const HttpResponse &response, const QByteArray &name)
{
    int n = 0;
    for (const auto &[key, value] : response.headers)
        n += key.compare(name, Qt::CaseInsensitive) == 0 ? 1 : 0;
    return n;
}

QByteArray header(const HttpResponse &response, const QByteArray &name)
{
    for (const auto &[key, value] : response.headers)
        if (key.compare(name, Qt::CaseInsensitive) == 0)
            return value;
    return {};
}

WriteOutcome committed(const QString &id)
{
    WriteOutcome outcome;
    outcome.committed = true;
    outcome.eventId = id;
    return outcome;
}

WriteOutcome failed(const QString &error)
{
    WriteOutcome outcome;
    outcome.error = error;
    return outcome;
}

} // namespace

class TestPendingRequest : public QObject {
    Q_OBJECT

    std::shared_ptr<CollectorStats> m_stats;
    Answers *m_answers = nullptr;

    std::shared_ptr<PendingRequest> pending(Answers &answers)
    {
        m_stats = std::make_shared<CollectorStats>();
        return std::make_shared<PendingRequest>(
            RequestLine { "POST", QStringLiteral("/api/1/envelope/"), "127.0.0.1:9" },
            RefusalSinks { m_stats, std::make_shared<RejectionLog>(), nullptr }, 30, answers.responder());
    }

private slots:
    void answersAfterTheLastOutcome()
    {
        Answers answers;
        auto request = pending(answers);
        request->expectOutcomes(3, QString());
        request->addOutcome(committed(QStringLiteral("a")));
        request->addOutcome(committed(QStringLiteral("b")));
        QVERIFY(answers.sent.isEmpty()); // not before every event is on disk
        request->addOutcome(committed(QStringLiteral("c")));
        QCOMPARE(answers.sent.size(), 1);
        QCOMPARE(answers.sent.first().status, 200);
        QCOMPARE(
            QJsonDocument::fromJson(answers.sent.first().body).object().value("id").toString(), QStringLiteral("a"));
        QCOMPARE(m_stats->acceptedEvents.load(), 3u);
        QCOMPARE(m_stats->rejectedRequests.load(), 0u);
        QCOMPARE(count(answers.sent.first(), "Access-Control-Allow-Origin"), 1);
        request->addOutcome(committed(QStringLiteral("late"))); // more than expected: ignored
        QCOMPARE(answers.sent.size(), 1);
    }

    void theNamedIdIsTheAnswer()
    {
        Answers answers;
        auto request = pending(answers);
        request->expectOutcomes(1, QStringLiteral("fedcba"));
        request->addOutcome(committed(QStringLiteral("0123")));
        QCOMPARE(QJsonDocument::fromJson(answers.sent.first().body).object().value("id").toString(),
            QStringLiteral("fedcba"));
    }

    void oneFailedEventFailsTheRequest()
    {
        Answers answers;
        auto request = pending(answers);
        request->expectOutcomes(3, QString());
        request->addOutcome(committed(QStringLiteral("a")));
        request->addOutcome(failed(QStringLiteral("disk I/O error")));
        request->addOutcome(failed(QStringLiteral("second error")));
        QCOMPARE(answers.sent.size(), 1);
        const HttpResponse &answer = answers.sent.first();
        QCOMPARE(answer.status, 503);
        QCOMPARE(QJsonDocument::fromJson(answer.body).object().value("error").toString(),
            QStringLiteral("the event could not be stored: disk I/O error"));
        QCOMPARE(header(answer, "Retry-After"), QByteArray("30")); // the collector's back-off
        QCOMPARE(m_stats->rejectedRequests.load(), 1u);
        QCOMPARE(m_stats->acceptedEvents.load(), 1u);
    }

    void rateLimitsGoWithASuccessOnly()
    {
        Answers answers;
        auto request = pending(answers);
        request->expectOutcomes(1, QString(), "60:attachment:project");
        request->addOutcome(committed(QStringLiteral("a")));
        QCOMPARE(header(answers.sent.first(), "X-Sentry-Rate-Limits"), QByteArray("60:attachment:project"));

        Answers failedAnswers;
        auto failing = pending(failedAnswers);
        failing->expectOutcomes(1, QString(), "60:attachment:project");
        failing->addOutcome(failed(QStringLiteral("locked")));
        QCOMPARE(failedAnswers.sent.first().status, 503);
        QCOMPARE(header(failedAnswers.sent.first(), "X-Sentry-Rate-Limits"), QByteArray());
    }

    void theFirstAnswerWins()
    {
        Answers answers;
        auto request = pending(answers);
        request->refuse(IngestError::wrongKey(QStringLiteral("wrong")));
        request->refuse(IngestError::internal());
        HttpResponse ok;
        request->answer(ok);
        QCOMPARE(answers.sent.size(), 1);
        QCOMPARE(answers.sent.first().status, 403);
        QCOMPARE(m_stats->rejectedRequests.load(), 1u); // counted once
        QCOMPARE(count(answers.sent.first(), "Access-Control-Allow-Origin"), 1);
        QCOMPARE(count(answers.sent.first(), "Access-Control-Expose-Headers"), 1);
    }

    void rateLimitedRefusalsAreCounted()
    {
        Answers answers;
        auto request = pending(answers);
        request->refuse(IngestError::rateLimited(1, 60, 2));
        QCOMPARE(m_stats->rateLimited.load(), 1u);
        QCOMPARE(header(answers.sent.first(), "Retry-After"), QByteArray("2")); // its own, not the default
    }

    void outcomesFromManyThreadsGiveOneAnswer()
    {
        Answers answers;
        auto request = pending(answers);
        constexpr int kThreads = 8;
        constexpr int kEach = 50;
        request->expectOutcomes(kThreads * kEach, QString());
        std::vector<std::thread> threads;
        for (int t = 0; t < kThreads; ++t)
            threads.emplace_back([request, t] {
                for (int i = 0; i < kEach; ++i)
                    request->addOutcome(committed(QStringLiteral("%1-%2").arg(t).arg(i)));
            });
        for (std::thread &thread : threads)
            thread.join();
        QCOMPARE(answers.sent.size(), 1);
        QCOMPARE(answers.sent.first().status, 200);
        QCOMPARE(m_stats->acceptedEvents.load(), std::uint64_t(kThreads * kEach));
    }
};

QTEST_APPLESS_MAIN(TestPendingRequest)
#include "tst_pending_request.moc"
