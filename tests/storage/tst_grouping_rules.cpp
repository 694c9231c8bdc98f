// Merge and split that stick: real SDK events (the Pydantic and the DRF
// ValidationError, two bugs) written through the real writer, merged, split
// and un-done; later events follow the rules, and every issue's count, first
// and last seen and facet counters stay what a recount of its events says.
#include "issue_recount.h"
#include "storage_test_helpers.h"

#include "model/event_parser.h"
#include "model/grouping.h"
#include "storage/grouping_rules.h"
#include "support/fixture_events.h"

using namespace faultline;
using namespace faultline::test;

namespace {

constexpr qint64 kStart = 1'700'000'000'000;

// Occurrence `n` of a fixture's error: its own event id, time and release.
IncomingEvent occurrence(const QString &fixture, int n, const QString &release = QString())
{
    QJsonObject json = fixtureEventJson(fixture);
    json.insert(QStringLiteral("event_id"), QStringLiteral("%1").arg(n, 32, 16, QLatin1Char('0')));
    if (!release.isEmpty())
        json.insert(QStringLiteral("release"), release);
    json.insert(QStringLiteral("tags"), QJsonObject { { QStringLiteral("shard"), QString::number(n % 2) } });
    return preparedEvent(json, kStart + n * 1000);
}

const QString kPydantic = QStringLiteral("pydantic_validation_store");
const QString kDrf = QStringLiteral("django_drf_validation_store");

} // namespace

class TestGroupingRules : public QObject {
    Q_OBJECT

private slots:
    void init()
    {
        m_dir = std::make_unique<QTemporaryDir>();
        m_path = m_dir->filePath(QStringLiteral("faultline.db"));
        // Two bugs: the Pydantic error twice (two releases), the DRF one once.
        const auto outcomes = writeAll(m_path,
            { occurrence(kPydantic, 1, QStringLiteral("1.0")), occurrence(kDrf, 2),
                occurrence(kPydantic, 3, QStringLiteral("1.1")) });
        QCOMPARE(outcomes.size(), 3);
        m_pydantic = outcomes[0].issueId;
        m_drf = outcomes[1].issueId;
        QVERIFY(m_pydantic != m_drf);
        QCOMPARE(outcomes[2].issueId, m_pydantic);
    }

    void mergedIssuesGetTheFutureEventsOfBoth()
    {
        auto db = openOrFail(m_path);
        QString error;
        // The DRF issue is named first, but the Pydantic one has more events: it survives.
        const auto merged = GroupingRules(*db).merge({ m_drf, m_pydantic }, 0, kStart, &error);
        QVERIFY2(merged, qPrintable(error));
        QCOMPARE(merged->survivorId, m_pydantic);
        QCOMPARE(merged->mergedIds, QList<qint64> { m_drf });
        QCOMPARE(merged->eventsMoved, 1);
        QCOMPARE(scalar(*db, "SELECT count(*) FROM issues"), 1);
        QCOMPARE(scalar(*db, "SELECT count FROM issues WHERE id = ?", { m_pydantic }), 3);
        QCOMPARE(scalar(*db, "SELECT count(*) FROM grouping_keys WHERE issue_id = ? AND linked_by = 'merge'",
                     { m_pydantic }),
            1);
        expectCountersMatchEvents(*db);
        db.reset();

        const auto later = writeAll(m_path, { occurrence(kDrf, 4), occurrence(kPydantic, 5) });
        QCOMPARE(later[0].issueId, m_pydantic);
        QCOMPARE(later[1].issueId, m_pydantic);
        QVERIFY(!later[0].newIssue);
        db = openOrFail(m_path);
        QCOMPARE(scalar(*db, "SELECT count FROM issues WHERE id = ?", { m_pydantic }), 5);
        expectCountersMatchEvents(*db);
    }

    void intoChoosesTheSurvivor()
    {
        auto db = openOrFail(m_path);
        QString error;
        const auto merged = GroupingRules(*db).merge({ m_pydantic, m_drf }, m_drf, kStart, &error);
        QVERIFY2(merged, qPrintable(error));
        QCOMPARE(merged->survivorId, m_drf);
        QCOMPARE(scalar(*db, "SELECT count FROM issues WHERE id = ?", { m_drf }), 3);
        // Title and culprit are the latest event's (a Pydantic one), the first ones the earliest's.
        const QString pydanticTitle = occurrence(kPydantic, 1).issue.title;
        Statement titles(db->handle(), QStringLiteral("SELECT title, first_title FROM issues WHERE id = ?"));
        titles.bind(1, m_drf);
        QVERIFY(titles.step());
        QCOMPARE(titles.text(0), pydanticTitle);
        QCOMPARE(titles.text(1), pydanticTitle);
        QVERIFY(!GroupingRules(*db).merge({ m_drf, 999 }, 0, kStart, &error));
        QVERIFY(error.contains(QLatin1String("no issue 999")));
        QVERIFY(!GroupingRules(*db).merge({ m_drf }, 0, kStart, &error));
        expectCountersMatchEvents(*db);
    }

    void splitMovesTheKeyAndItsFutureEvents()
    {
        auto db = openOrFail(m_path);
        QString error;
        GroupingRules rules(*db);
        QVERIFY(rules.merge({ m_pydantic, m_drf }, 0, kStart, &error));
        const QString drfKey = occurrence(kDrf, 2).issue.fingerprint;
        // Only one key of an issue, or an unknown one, cannot be split off.
        QVERIFY(!rules.split(m_pydantic, QStringLiteral("0000000"), kStart, &error));
        QVERIFY(error.contains(QLatin1String("no grouping key")));

        const auto split = rules.split(m_pydantic, drfKey.left(10), kStart, &error);
        QVERIFY2(split, qPrintable(error));
        QCOMPARE(split->eventsMoved, 1);
        QCOMPARE(scalar(*db, "SELECT count FROM issues WHERE id = ?", { m_pydantic }), 2);
        QCOMPARE(scalar(*db, "SELECT count FROM issues WHERE id = ?", { split->newIssueId }), 1);
        QCOMPARE(scalar(*db, "SELECT issue_id FROM grouping_keys WHERE hash = ?", { drfKey }), split->newIssueId);
        QVERIFY(!rules.split(split->newIssueId, drfKey, kStart, &error)); // its only key now
        expectCountersMatchEvents(*db);
        db.reset();

        const auto later = writeAll(m_path, { occurrence(kDrf, 6), occurrence(kPydantic, 7) });
        QCOMPARE(later[0].issueId, split->newIssueId);
        QCOMPARE(later[1].issueId, m_pydantic);
        db = openOrFail(m_path);
        expectCountersMatchEvents(*db);
        QCOMPARE(GroupingRules(*db).forProject(1).size(), 2);
        QCOMPARE(GroupingRules(*db).forProject(1).first().kind, QStringLiteral("split"));
    }

    void removingAMergeSeparatesItsKeysAgain()
    {
        auto db = openOrFail(m_path);
        QString error;
        GroupingRules rules(*db);
        const auto merged = rules.merge({ m_pydantic, m_drf }, 0, kStart, &error);
        QVERIFY(merged);
        QString done;
        QVERIFY2(rules.remove(merged->ruleId, &done, &error), qPrintable(error));
        QVERIFY2(done.contains(QLatin1String("1 events out of")), qPrintable(done));
        QCOMPARE(scalar(*db, "SELECT count(*) FROM issues"), 2);
        QCOMPARE(scalar(*db, "SELECT count(*) FROM grouping_rules"), 0);
        const qint64 separated = scalar(*db, "SELECT id FROM issues WHERE id <> ?", { m_pydantic });
        expectCountersMatchEvents(*db);
        db.reset();
        const auto later = writeAll(m_path, { occurrence(kDrf, 8) });
        QCOMPARE(later[0].issueId, separated);
    }

    void removingASplitJoinsTheKeyAgain()
    {
        auto db = openOrFail(m_path);
        QString error;
        GroupingRules rules(*db);
        QVERIFY(rules.merge({ m_pydantic, m_drf }, 0, kStart, &error));
        const auto split = rules.split(m_pydantic, occurrence(kDrf, 2).issue.fingerprint, kStart, &error);
        QVERIFY(split);
        QString done;
        QVERIFY2(rules.remove(split->ruleId, &done, &error), qPrintable(error));
        QCOMPARE(scalar(*db, "SELECT count(*) FROM issues"), 1);
        QCOMPARE(scalar(*db, "SELECT count FROM issues WHERE id = ?", { m_pydantic }), 3);
        expectCountersMatchEvents(*db);
        db.reset();
        QCOMPARE(writeAll(m_path, { occurrence(kDrf, 9) })[0].issueId, m_pydantic);
    }

private:
    static void expectCountersMatchEvents(Database &db)
    {
        QVERIFY(storedFacets(db).size() >= 8); // release, environment, derived and custom tags
        QCOMPARE(storedIssueCounts(db), recountedIssueCounts(db));
        QCOMPARE(storedFacets(db), recountedFacets(db));
    }

    std::unique_ptr<QTemporaryDir> m_dir;
    QString m_path;
    qint64 m_pydantic = 0;
    qint64 m_drf = 0;
};

QTEST_GUILESS_MAIN(TestGroupingRules)
#include "tst_grouping_rules.moc"
