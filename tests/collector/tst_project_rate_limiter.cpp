// Token bucket per project: bursts up to a minute's worth, refills steadily,
// tells the client how long to wait, and leaves other projects alone.
#include "collector/project_rate_limiter.h"

#include <QTest>

using namespace faultline;
using namespace std::chrono_literals;

class TestProjectRateLimiter : public QObject {
    Q_OBJECT
private slots:
    void unlimitedByDefault()
    {
        ProjectRateLimiter limiter;
        for (int i = 0; i < 10000; ++i)
            QVERIFY(!limiter.acquire(1).has_value());
    }

    void burstThenWaitThenRefill()
    {
        ProjectRateLimiter limiter(60); // one per second, burst 60
        const auto start = ProjectRateLimiter::Clock::now();
        for (int i = 0; i < 60; ++i)
            QVERIFY(!limiter.acquire(7, 1, start).has_value());
        QCOMPARE(limiter.acquire(7, 1, start), std::optional<int>(1));
        QCOMPARE(limiter.acquire(7, 5, start), std::optional<int>(5));
        QVERIFY(!limiter.acquire(7, 1, start + 1100ms).has_value());
        QVERIFY(limiter.acquire(7, 1, start + 1200ms).has_value());
    }

    void projectsHaveTheirOwnBuckets()
    {
        ProjectRateLimiter limiter;
        limiter.setLimit(1, 2);
        const auto now = ProjectRateLimiter::Clock::now();
        QVERIFY(!limiter.acquire(1, 2, now).has_value());
        QVERIFY(limiter.acquire(1, 1, now).has_value());
        QVERIFY(!limiter.acquire(2, 100, now).has_value());
        QCOMPARE(limiter.limit(1), 2);
        QCOMPARE(limiter.limit(2), 0);
    }
};

QTEST_GUILESS_MAIN(TestProjectRateLimiter)
#include "tst_project_rate_limiter.moc"
