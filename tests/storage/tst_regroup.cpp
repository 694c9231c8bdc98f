// Re-grouping a project under the current strategy: events stored as v1
// grouped them (a browser error split by a cache-buster into two issues, and
// two bugs a user merged) are grouped again from their stored JSON. Every
// event is kept, the split issues are one, the merge sticks, counters equal a
// recount, and later events go where re-grouping put their key.
#include "issue_recount.h"
#include "storage_test_helpers.h"

#include "model/event_parser.h"
#include "model/grouping.h"
#include "storage/grouping_rules.h"
#include "storage/regrouper.h"
#include "support/event_mutation.h"
#include "support/fixture_events.h"

using namespace faultline;
using namespace faultline::test;

namespace {

constexpr qint64 kStart = 1'700'000'000'000;

QJsonObject withCacheBuster(const QJsonObject &json, const QString &query)
{
    return mutateFrames(json, [&](QJsonObject &frame, qsizetype) {
        const QString file = frame.value(QStringLiteral("filename")).toString();
        if (file.startsWith(QLatin1String("http://")))
            frame[QStringLiteral("filename")] = file + query;
    });
}

// Occurrence `n` of `json`, grouped as the collector groups it now.
IncomingEvent current(QJsonObject json, int n)
{
    json.insert(QStringLiteral("event_id"), QStringLiteral("%1").arg(n, 32, 16, QLatin1Char('0')));
    return preparedEvent(json, kStart + n * 1000);
}

// The same as the writer before v2 keyed it: by its v1 hash.
IncomingEvent asV1(const QJsonObject &json, int n)
{
    IncomingEvent incoming = current(json, n);
    incoming.issue.fingerprint = incoming.issue.legacyFingerprint;
    incoming.issue.legacyFingerprint.clear();
    incoming.issue.explanation = GroupingExplanation { QStringLiteral("v1"), {}, {}, {} };
    return incoming;
}

} // namespace

class TestRegroup : public QObject {
    Q_OBJECT

private slots:
    void regroupJoinsWhatV1SplitAndKeepsEveryEvent()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("faultline.db"));
        const QJsonObject browser = fixtureEventJson(QStringLiteral("browser_exception_store"));
        const QJsonObject pydantic = fixtureEventJson(QStringLiteral("pydantic_validation_store"));
        const QJsonObject drf = fixtureEventJson(QStringLiteral("django_drf_validation_store"));
        const auto outcomes = writeAll(path,
            { asV1(browser, 1), asV1(withCacheBuster(browser, QStringLiteral("?v=2")), 2),
                asV1(withCacheBuster(browser, QStringLiteral("?v=2")), 3), asV1(pydantic, 4), asV1(drf, 5),
                asV1(browser, 6) });
        QCOMPARE(outcomes.size(), 6);
        const qint64 plain = outcomes[0].issueId, busted = outcomes[1].issueId;
        QVERIFY2(plain != busted, "v1 splits the cache-buster");
        auto db = openOrFail(path);
        QString error;
        // The user merged the two ValidationErrors: that must survive re-grouping.
        const auto merged = GroupingRules(*db).merge({ outcomes[3].issueId, outcomes[4].issueId }, 0, kStart, &error);
        QVERIFY2(merged, qPrintable(error));
        const qint64 eventsBefore = scalar(*db, "SELECT count(*) FROM events");
        QCOMPARE(scalar(*db, "SELECT count(*) FROM issues"), 3);

        QList<qint64> progress;
        const RegroupReport report = Regrouper(*db, 2).run(1, [&](qint64 done, qint64 total) {
            progress.append(done);
            return total == eventsBefore;
        });
        QVERIFY2(report.error.isEmpty(), qPrintable(report.error));
        QCOMPARE(report.events, eventsBefore);
        QCOMPARE(progress, (QList<qint64> { 2, 4, 6 }));
        QCOMPARE(scalar(*db, "SELECT count(*) FROM events"), eventsBefore);
        // One browser issue (the first one's, which claimed the v2 key), the merge intact.
        QCOMPARE(scalar(*db, "SELECT count(*) FROM issues"), 2);
        QCOMPARE(scalar(*db, "SELECT count FROM issues WHERE id = ?", { plain }), 4);
        QCOMPARE(scalar(*db, "SELECT count(*) FROM issues WHERE id = ?", { busted }), 0);
        QCOMPARE(scalar(*db, "SELECT count FROM issues WHERE id = ?", { merged->survivorId }), 2);
        QCOMPARE(report.moved, 2);
        QCOMPARE(report.issuesDeleted, 1);
        QCOMPARE(report.newIssues, 0);
        // Every event now points at a key of the current strategy, with its explanation.
        QCOMPARE(scalar(*db,
                     "SELECT count(*) FROM events e JOIN grouping_keys k ON k.id = e.grouping_key_id "
                     "WHERE k.strategy = 'v2' AND k.explanation <> ''"),
            eventsBefore);
        QCOMPARE(storedIssueCounts(*db), recountedIssueCounts(*db));
        QCOMPARE(tagTimesDropped(storedFacets(*db)), tagTimesDropped(recountedFacets(*db)));
        db.reset();

        // Later events follow: a new cache-buster and the DRF error.
        const auto later
            = writeAll(path, { current(withCacheBuster(browser, QStringLiteral("?v=3")), 7), current(drf, 8) });
        QCOMPARE(later[0].issueId, plain);
        QCOMPARE(later[1].issueId, merged->survivorId);
    }

    void regroupSeparatesWhatTheOldKeyJoined()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("faultline.db"));
        // Two bugs under one old key (as v1 joined the Pydantic and DRF errors in the field).
        IncomingEvent first = asV1(fixtureEventJson(QStringLiteral("pydantic_validation_store")), 1);
        IncomingEvent second = asV1(fixtureEventJson(QStringLiteral("django_drf_validation_store")), 2);
        second.issue.fingerprint = first.issue.fingerprint;
        const auto outcomes = writeAll(path, { first, second });
        QCOMPARE(outcomes[0].issueId, outcomes[1].issueId);
        auto db = openOrFail(path);
        const RegroupReport report = Regrouper(*db).run(1);
        QVERIFY2(report.error.isEmpty(), qPrintable(report.error));
        QCOMPARE(report.newIssues, 1);
        QCOMPARE(scalar(*db, "SELECT count(*) FROM issues"), 2);
        QCOMPARE(scalar(*db, "SELECT count FROM issues WHERE id = ?", { outcomes[0].issueId }), 1);
        QCOMPARE(storedIssueCounts(*db), recountedIssueCounts(*db));
        QCOMPARE(tagTimesDropped(storedFacets(*db)), tagTimesDropped(recountedFacets(*db)));
        // Cancelling stops after the step in progress; what it did stays done.
        const RegroupReport again = Regrouper(*db, 1).run(1, [](qint64, qint64) { return false; });
        QVERIFY(again.cancelled);
        QCOMPARE(again.events, 1);
    }
};

QTEST_GUILESS_MAIN(TestRegroup)
#include "tst_regroup.moc"
