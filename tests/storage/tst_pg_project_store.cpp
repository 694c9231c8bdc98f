// Projects on PostgreSQL (#18) on a throw-away server, through the same
// interface as SQLite's ProjectStore, opened by storage/backend.h from a URI:
// a fresh database gets its default project once, keys are fresh 32-hex
// keys, lookups by id, name and key, a taken name is a Constraint, and a
// database no Faultline set up is refused for reading.
#include "storage/backend.h"
#include "storage/project_store.h"
#include "storage/storage_gateway.h"
#include "support/postgres_cluster.h"

#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

using namespace faultline;
using namespace faultline::test;

class TestPgProjectStore : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void freshDatabaseGetsTheDefaultProjectOnce();
    void addsAndFindsByIdNameAndKey();
    void aTakenNameIsAConstraint();
    void readingADatabaseWithoutSchemaIsRefused();
    void sqliteAnswersTheSameThroughTheInterface();
    void theGatewayRunsBackendWorkOnPostgres();

private:
    std::unique_ptr<StorageBackend> open(BackendUse use);
    PostgresCluster m_cluster;
};

void TestPgProjectStore::initTestCase() { QVERIFY2(m_cluster.startWithDatabase(), qPrintable(m_cluster.error())); }

void TestPgProjectStore::init()
{
    // A database of its own per test: the first open of each is a fresh one.
    QVERIFY2(m_cluster.createDatabase(QString::fromLatin1(QTest::currentTestFunction()).toLower()),
        qPrintable(m_cluster.error()));
}

std::unique_ptr<StorageBackend> TestPgProjectStore::open(BackendUse use)
{
    auto backend = openStorageBackend(m_cluster.uri(QString::fromLatin1(QTest::currentTestFunction()).toLower()), use);
    if (!backend) {
        qWarning() << backend.error().detail;
        return nullptr;
    }
    return std::move(backend).value();
}

void TestPgProjectStore::freshDatabaseGetsTheDefaultProjectOnce()
{
    auto first = open(BackendUse::Create);
    QVERIFY(first);
    auto second = open(BackendUse::Create); // a second process starting on the same database
    QVERIFY(second);
    const QList<Project> projects = second->projects().all();
    QCOMPARE(projects.size(), 1);
    QCOMPARE(projects.first().name, QStringLiteral("default"));
    QVERIFY(QRegularExpression(QStringLiteral("^[0-9a-f]{32}$")).match(projects.first().publicKey).hasMatch());
    QVERIFY(projects.first().createdMs > 0);
    QVERIFY(!second->displayName().contains(QLatin1String("password")));
}

void TestPgProjectStore::addsAndFindsByIdNameAndKey()
{
    auto backend = open(BackendUse::Create);
    QVERIFY(backend);
    ProjectCatalog &projects = backend->projects();
    const auto api = projects.add(QStringLiteral("api"));
    QVERIFY2(api, qPrintable(api.error().detail));
    const auto web = projects.add(QStringLiteral("web"));
    QVERIFY(web);
    QVERIFY(api->publicKey != web->publicKey);
    QVERIFY(web->id > api->id);

    const auto byId = projects.byId(api->id);
    QVERIFY(byId);
    QCOMPARE(byId->name, QStringLiteral("api"));
    QCOMPARE(byId->publicKey, api->publicKey);
    const auto byName = projects.byName(QStringLiteral("web"));
    QVERIFY(byName);
    QCOMPARE(byName->id, web->id);
    const auto byKey = projects.byPublicKey(api->publicKey);
    QVERIFY(byKey);
    QCOMPARE(byKey->id, api->id);

    QCOMPARE(projects.byId(9999).error().kind, StorageError::Kind::NotFound);
    QCOMPARE(projects.byName(QStringLiteral("API")).error().kind, StorageError::Kind::NotFound); // exact name
    QCOMPARE(projects.byPublicKey(QStringLiteral("0123")).error().kind, StorageError::Kind::NotFound);

    QStringList names;
    for (const Project &project : projects.all())
        names.append(project.name);
    QCOMPARE(names, (QStringList { QStringLiteral("default"), QStringLiteral("api"), QStringLiteral("web") }));
}

void TestPgProjectStore::aTakenNameIsAConstraint()
{
    auto backend = open(BackendUse::Create);
    QVERIFY(backend);
    QVERIFY(backend->projects().add(QStringLiteral("api")));
    const auto again = backend->projects().add(QStringLiteral("api"));
    QVERIFY(!again);
    QCOMPARE(again.error().kind, StorageError::Kind::Constraint);
    QCOMPARE(ProjectStore::addProblem(again.error(), QStringLiteral("api")),
        QStringLiteral("a project named \"api\" exists already"));
    QCOMPARE(backend->projects().all().size(), 2);
}

void TestPgProjectStore::readingADatabaseWithoutSchemaIsRefused()
{
    for (BackendUse use : { BackendUse::Read, BackendUse::Write }) {
        auto backend
            = openStorageBackend(m_cluster.uri(QString::fromLatin1(QTest::currentTestFunction()).toLower()), use);
        QVERIFY(!backend);
        QCOMPARE(backend.error().kind, StorageError::Kind::Incompatible);
        QVERIFY2(backend.error().detail.contains(QLatin1String("holds no Faultline database")),
            qPrintable(backend.error().detail));
    }
    QVERIFY(open(BackendUse::Create)); // what creates it
    QVERIFY(open(BackendUse::Read));
}

void TestPgProjectStore::sqliteAnswersTheSameThroughTheInterface()
{
    QTemporaryDir dir;
    auto backend = openStorageBackend(dir.filePath(QStringLiteral("faultline.db")), BackendUse::Create);
    QVERIFY2(backend, qPrintable(backend.error().detail));
    ProjectCatalog &projects = backend.value()->projects();
    const auto api = projects.add(QStringLiteral("api"));
    QVERIFY(api);
    QCOMPARE(projects.byName(QStringLiteral("api"))->id, api->id);
    QCOMPARE(projects.byPublicKey(api->publicKey)->name, QStringLiteral("api"));
    QCOMPARE(projects.byName(QStringLiteral("nope")).error().kind, StorageError::Kind::NotFound);
    QCOMPARE(projects.add(QStringLiteral("api")).error().kind, StorageError::Kind::Constraint);
    QCOMPARE(projects.all().size(), 2);
}

// The window's storage gateway over a URI: work written against StorageBackend runs on both of its
// threads; work written for SQLite's Database is refused with Unsupported instead of running.
void TestPgProjectStore::theGatewayRunsBackendWorkOnPostgres()
{
    QVERIFY(open(BackendUse::Create)); // the schema, as a collector brings it
    StorageGateway gateway(m_cluster.uri(QStringLiteral("thegatewayrunsbackendworkonpostgres")));
    QVERIFY(gateway.isPostgres());
    const StorageResult<Project> added
        = gateway.write([](StorageBackend &backend) { return backend.projects().add(QStringLiteral("billing")); })
              .result();
    QVERIFY2(added.ok(), qPrintable(added.ok() ? QString() : added.error().detail));
    const StorageResult<QStringList> names = gateway
                                                 .read([](StorageBackend &backend) {
                                                     QStringList names;
                                                     for (const Project &project : backend.projects().all())
                                                         names.append(project.name);
                                                     return names;
                                                 })
                                                 .result();
    QVERIFY(names.ok());
    QVERIFY2(names->contains(QStringLiteral("billing")), qPrintable(names->join(u',')));
    const StorageResult<int> sqliteOnly = gateway.read([](Database &) { return 1; }).result();
    QVERIFY(!sqliteOnly.ok());
    QCOMPARE(sqliteOnly.error().kind, StorageError::Kind::Unsupported);
}

QTEST_GUILESS_MAIN(TestPgProjectStore)
#include "tst_pg_project_store.moc"
