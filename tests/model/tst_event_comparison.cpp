// Comparing two events (issue 13): the captured Pydantic and DRF validation
// errors part at the exception type's module, two occurrences of one bug share
// their key, and every row says whether the two differ.
#include "model/event_comparison.h"
#include "model/event_parser.h"
#include "support/event_mutation.h"
#include "support/fixture_events.h"

#include <QTest>

using namespace faultline;
using namespace faultline::test;

namespace {

const ComparisonRow *row(const EventComparison &comparison, const QString &section, const QString &label)
{
    for (const ComparisonRow &candidate : comparison.rows)
        if (candidate.section == section && candidate.label == label)
            return &candidate;
    return nullptr;
}

} // namespace

class TestEventComparison : public QObject {
    Q_OBJECT

private slots:
    void differentBugsPartWhereTheirKeysDo()
    {
        const Event pydantic = fixtureEvent(QStringLiteral("pydantic_validation_store"));
        const Event drf = fixtureEvent(QStringLiteral("django_drf_validation_store"));
        const EventComparison comparison = compareEvents(pydantic, drf);
        QVERIFY(!comparison.sameKey);
        QVERIFY(comparison.leftKey != comparison.rightKey);
        // Both are a "ValidationError"; v2 tells them apart by the module that comes with the type.
        QVERIFY2(comparison.firstDifference.startsWith(QLatin1String("type")), qPrintable(comparison.firstDifference));
        QVERIFY2(
            comparison.firstDifference.contains(QLatin1String("pydantic")), qPrintable(comparison.firstDifference));
        const ComparisonRow *type = row(comparison, QStringLiteral("Grouping"), QStringLiteral("type"));
        QVERIFY(type && type->differs);
    }

    void twoOccurrencesShareTheirKey()
    {
        const QJsonObject json = fixtureEventJson(QStringLiteral("django_request_store"));
        const Event first = parseEvent(json).value();
        QJsonObject later = anotherOccurrence(json);
        later.insert(QStringLiteral("release"), QStringLiteral("myapp@9.9.9"));
        const Event second = parseEvent(later).value();
        const EventComparison comparison = compareEvents(first, second);
        QVERIFY(comparison.sameKey);
        QVERIFY(comparison.firstDifference.isEmpty());
        for (const ComparisonRow &grouping : comparison.rows)
            if (grouping.section == u"Grouping")
                QVERIFY2(!grouping.differs, qPrintable(grouping.label));
        const ComparisonRow *release = row(comparison, QStringLiteral("Tags"), QStringLiteral("release"));
        QVERIFY(release && release->differs && release->right == u"myapp@9.9.9");
        const ComparisonRow *type = row(comparison, QStringLiteral("Exception"), QStringLiteral("type"));
        QVERIFY(type && !type->differs);
    }
};

QTEST_GUILESS_MAIN(TestEventComparison)
#include "tst_event_comparison.moc"
