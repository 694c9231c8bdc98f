// Per-project limits: defaults until set, upserts, validation, and removal
// with the project. Through ProjectLimitStore, on both backends (test_backend.h).
#include "storage_test_helpers.h"
#include "test_backend.h"

#include "storage/project_store.h"
#include "storage/store_readers.h"

using namespace faultline;
using namespace faultline::test;

class TestProjectSettings : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void defaultsUntilSet();
    void setThenGet();
    void setOverwrites();
    void allListsEveryProject();
    void rejectsUnknownProject();
    void rejectsNegativeLimits();
    void removedWithTheProject();

private:
    qint64 storedRows()
    {
        return m_backend.scalar(m_location, QStringLiteral("SELECT count(*) FROM project_settings"));
    }

    TestBackend m_backend;
    QString m_location;
    std::unique_ptr<StorageBackend> m_store;
};

void TestProjectSettings::initTestCase() { QVERIFY2(m_backend.start(), qPrintable(m_backend.error())); }

void TestProjectSettings::init()
{
    m_store.reset();
    m_location = m_backend.freshDatabase(QStringLiteral("settings_%1").arg(QTest::currentTestFunction()));
    QVERIFY2(!m_location.isEmpty(), qPrintable(m_backend.error()));
    m_store = m_backend.open(m_location);
    QVERIFY(m_store);
}

void TestProjectSettings::defaultsUntilSet()
{
    const ProjectSettings defaults = ProjectSettings::defaults(1);
    QCOMPARE(defaults.projectId, 1);
    QCOMPARE(defaults.maxAgeDays, 90);
    QCOMPARE(defaults.maxEvents, 100'000);
    QCOMPARE(defaults.eventsPerMinute, 0);
    QCOMPARE(defaults.attachmentMiBPerHour, 100);
    QCOMPARE(defaults.maxStoredMiB, 0);

    const auto stored = m_store->limits().get(1);
    QVERIFY(stored);
    QVERIFY(*stored == defaults);
    QCOMPARE(storedRows(), 0); // nothing written by reading
    QCOMPARE(m_store->limits().get(42).error().kind, StorageError::Kind::NotFound);
}

void TestProjectSettings::setThenGet()
{
    ProjectLimitStore &store = m_store->limits();
    const ProjectSettings wanted { 1, 7, 250, 600 };
    const StorageResult<void> written = store.set(wanted);
    QVERIFY2(written, qPrintable(written.error().detail));
    const auto stored = store.get(1);
    QVERIFY(stored);
    QCOMPARE(stored->maxAgeDays, 7);
    QCOMPARE(stored->maxEvents, 250);
    QCOMPARE(stored->eventsPerMinute, 600);

    // The byte limits (issue 15): attachment MiB per hour and max stored MiB.
    QVERIFY(store.set(ProjectSettings { 1, 7, 250, 600, 5, 2048 }));
    QCOMPARE(store.get(1)->attachmentMiBPerHour, 5);
    QCOMPARE(store.get(1)->maxStoredMiB, 2048);
    ProjectSettings optedOut { 1, 7, 250, 600, 5, 2048 };
    optedOut.scrubOptOuts = QStringLiteral("creditcard,usssn");
    QVERIFY(store.set(optedOut));
    QCOMPARE(store.get(1)->scrubOptOuts, QStringLiteral("creditcard,usssn"));
    QCOMPARE(store.set(ProjectSettings { 1, 7, 250, 600, -1, 0 }).error().kind, StorageError::Kind::Constraint);
    QVERIFY(!store.set(ProjectSettings { 1, 7, 250, 600, 1, -1 }));

    // Zero means "no limit", and is stored as such rather than read back as a default.
    QVERIFY(store.set(ProjectSettings { 1, 0, 0, 0, 0, 0 }));
    QVERIFY(*store.get(1) == (ProjectSettings { 1, 0, 0, 0, 0, 0 }));
}

void TestProjectSettings::setOverwrites()
{
    ProjectLimitStore &store = m_store->limits();
    QVERIFY(store.set(ProjectSettings { 1, 7, 250, 600 }));
    QVERIFY(store.set(ProjectSettings { 1, 30, 1000, 0 }));
    QVERIFY(*store.get(1) == (ProjectSettings { 1, 30, 1000, 0 }));
    QCOMPARE(storedRows(), 1);
}

void TestProjectSettings::allListsEveryProject()
{
    ProjectCatalog &projects = m_store->projects();
    const qint64 shop = projects.add(QStringLiteral("shop"))->id;
    const qint64 blog = projects.add(QStringLiteral("blog"))->id;
    ProjectLimitStore &store = m_store->limits();
    QVERIFY(store.set(ProjectSettings { shop, 14, 500, 60 }));

    const QList<ProjectSettings> all = store.all();
    QCOMPARE(all.size(), 3);
    QVERIFY(all[0] == ProjectSettings::defaults(1));
    QVERIFY(all[1] == (ProjectSettings { shop, 14, 500, 60 }));
    QVERIFY(all[2] == ProjectSettings::defaults(blog));
}

void TestProjectSettings::rejectsUnknownProject()
{
    const StorageResult<void> stored = m_store->limits().set(ProjectSettings { 42, 7, 0, 0 });
    QCOMPARE(stored.error().kind, StorageError::Kind::Constraint);
    QVERIFY(stored.error().detail.contains(QStringLiteral("foreign key"), Qt::CaseInsensitive));
    QCOMPARE(storedRows(), 0);
}

void TestProjectSettings::rejectsNegativeLimits()
{
    ProjectLimitStore &store = m_store->limits();
    const StorageResult<void> negative = store.set(ProjectSettings { 1, -1, 0, 0 });
    QCOMPARE(negative.error().kind, StorageError::Kind::Constraint);
    QVERIFY(negative.error().detail.contains(QStringLiteral("check constraint"), Qt::CaseInsensitive));
    QVERIFY(!store.set(ProjectSettings { 1, 0, -5, 0 }));
    QVERIFY(!store.set(ProjectSettings { 1, 0, 0, -60 }));
    QVERIFY(*store.get(1) == ProjectSettings::defaults(1));
}

void TestProjectSettings::removedWithTheProject()
{
    ProjectCatalog &projects = m_store->projects();
    const qint64 shop = projects.add(QStringLiteral("shop"))->id;
    ProjectLimitStore &store = m_store->limits();
    QVERIFY(store.set(ProjectSettings { shop, 14, 500, 60 }));
    QVERIFY(store.set(ProjectSettings { 1, 30, 0, 0 }));
    QVERIFY(projects.remove(shop));
    QVERIFY(!store.get(shop));
    QCOMPARE(storedRows(), 1);
    QCOMPARE(store.get(1)->maxAgeDays, 30);
}

QTEST_GUILESS_MAIN(TestProjectSettings)
#include "tst_project_settings.moc"
