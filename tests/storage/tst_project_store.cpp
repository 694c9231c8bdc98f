// Projects: adding, keys, DSNs, and removal taking its data along.
#include "storage_test_helpers.h"

#include "storage/project_store.h"
#include "storage/statement.h"

using namespace faultline;
using namespace faultline::test;

class TestProjectStore : public QObject {
    Q_OBJECT

private slots:
    void addAndLookUp();
    void duplicateNameFails();
    void readOnlyOrLockedIsNotATakenName();
    void rotateKeyChangesOnlyTheKey();
    void dsnFormat();
    void removeCascades();
};

void TestProjectStore::addAndLookUp()
{
    QTemporaryDir dir;
    auto db = openOrFail(dir.filePath(QStringLiteral("f.db")));
    ProjectStore store(*db);
    const Project shop = *store.add(QStringLiteral("shop"));
    QCOMPARE(shop.id, 2);
    QCOMPARE(shop.publicKey.size(), 32);
    QVERIFY(shop.publicKey != store.byId(1)->publicKey);
    const auto found = store.byId(shop.id);
    QVERIFY(found);
    QCOMPARE(found->name, QStringLiteral("shop"));
    QCOMPARE(found->publicKey, shop.publicKey);
    QVERIFY(!store.byId(42));
    QCOMPARE(store.byId(42).error().kind, StorageError::Kind::NotFound);
}

void TestProjectStore::duplicateNameFails()
{
    QTemporaryDir dir;
    auto db = openOrFail(dir.filePath(QStringLiteral("f.db")));
    ProjectStore store(*db);
    QCOMPARE(store.add(QStringLiteral("default")).error().kind, StorageError::Kind::Constraint);
    QCOMPARE(store.all().size(), 1);
}

// A project that was not added because of the database (read-only, locked by the collector
// during a flood) must not be reported as a taken name: the user would pick another in vain.
void TestProjectStore::readOnlyOrLockedIsNotATakenName()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("f.db"));
    auto writer = openOrFail(path);
    auto reader = openOrFail(path, Database::Mode::ReadOnly);
    const StorageResult<Project> readOnly = ProjectStore(*reader).add(QStringLiteral("fresh"));
    QVERIFY(!readOnly);
    QCOMPARE(readOnly.error().kind, StorageError::Kind::ReadOnly);
    QVERIFY(!ProjectStore::addProblem(readOnly.error(), QStringLiteral("fresh")).contains(u"exists already"));

    auto impatient = openOrFail(path);
    Database::setLockTimeout(impatient->handle(), 0);
    QVERIFY(execSql(writer->handle(), "BEGIN IMMEDIATE"));
    const StorageResult<Project> locked = ProjectStore(*impatient).add(QStringLiteral("fresh"));
    QVERIFY(!locked);
    QCOMPARE(locked.error().kind, StorageError::Kind::Busy);
    QVERIFY(ProjectStore::addProblem(locked.error(), QStringLiteral("fresh")).contains(u"busy"));
    const StorageResult<void> removed = ProjectStore(*impatient).remove(1);
    QCOMPARE(removed.error().kind, StorageError::Kind::Busy);
    QVERIFY(execSql(writer->handle(), "ROLLBACK"));

    QVERIFY(ProjectStore(*impatient).add(QStringLiteral("fresh")));
    const StorageResult<Project> taken = ProjectStore(*impatient).add(QStringLiteral("fresh"));
    QCOMPARE(taken.error().kind, StorageError::Kind::Constraint);
    QCOMPARE(ProjectStore::addProblem(taken.error(), QStringLiteral("fresh")),
        QStringLiteral("a project named \"fresh\" exists already"));
}

void TestProjectStore::rotateKeyChangesOnlyTheKey()
{
    QTemporaryDir dir;
    auto db = openOrFail(dir.filePath(QStringLiteral("f.db")));
    ProjectStore store(*db);
    const Project before = *store.byId(1);
    const auto after = store.rotateKey(1);
    QVERIFY(after);
    QCOMPARE(after->id, before.id);
    QCOMPARE(after->name, before.name);
    QVERIFY(after->publicKey != before.publicKey);
    QCOMPARE(store.byId(1)->publicKey, after->publicKey);
}

void TestProjectStore::dsnFormat()
{
    const Project project { 42, QStringLiteral("x"), QStringLiteral("publickey123"), 0 };
    QCOMPARE(ProjectStore::dsn(project, QStringLiteral("127.0.0.1:8990")),
        QStringLiteral("http://publickey123@127.0.0.1:8990/42"));
}

void TestProjectStore::removeCascades()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("f.db"));
    auto db = openOrFail(path);
    ProjectStore store(*db);
    const qint64 shop = store.add(QStringLiteral("shop"))->id;
    auto doomed
        = makeEvent(QStringLiteral("s1"), QStringLiteral("fp"), QStringLiteral("Shop error"), 1'700'000'000'000, shop);
    doomed.event.tags = { { QStringLiteral("k"), QStringLiteral("v") } };
    doomed.attachments = { Attachment { QStringLiteral("a.html"), QStringLiteral("text/html"), {}, "only here" } };
    auto kept = makeEvent(QStringLiteral("d1"), QStringLiteral("fp"), QStringLiteral("Default error"));
    kept.attachments = { Attachment { QStringLiteral("b.html"), QStringLiteral("text/html"), {}, "kept" } };
    const auto outcomes = writeAll(path, { doomed, kept });
    QVERIFY(outcomes[0].committed && outcomes[1].committed);

    QVERIFY(store.remove(shop));
    QVERIFY(!store.byId(shop));
    auto count = [&](const char *sql) {
        Statement s(db->handle(), QString::fromUtf8(sql));
        return s.step() ? s.int64(0) : -1;
    };
    QCOMPARE(count("SELECT count(*) FROM issues"), 1);
    QCOMPARE(count("SELECT count(*) FROM events"), 1);
    QCOMPARE(count("SELECT count(*) FROM event_tags"), 0);
    QCOMPARE(count("SELECT count(*) FROM attachments"), 1);
    QCOMPARE(count("SELECT count(*) FROM attachment_blobs"), 1);
    // The full-text index forgot the removed event.
    QCOMPARE(count("SELECT count(*) FROM events_fts WHERE events_fts MATCH 'shop'"), 0);
    QCOMPARE(count("SELECT count(*) FROM events_fts WHERE events_fts MATCH 'default'"), 1);
}

QTEST_GUILESS_MAIN(TestProjectStore)
#include "tst_project_store.moc"
