// Versioned grouping in the writer: issues created under v1 keep their key and
// keep getting their bug's events (secondary grouping), new events are keyed
// with v2, every event points at the key and explanation it was grouped by,
// and an issue shows its latest event's title and culprit.
#include "storage_test_helpers.h"
#include "test_backend.h"

#include "model/event_parser.h"
#include "model/grouping.h"
#include "storage/migrations.h"
#include "support/event_mutation.h"
#include "support/fixture_events.h"

#include <QJsonDocument>
#include <QTemporaryDir>

#include <sqlite3.h>

using namespace faultline;
using namespace faultline::test;

namespace {

QString text(Database &db, const QString &sql, const QVariantList &values = {})
{
    Statement statement(db.handle(), sql);
    statement.bindAll(values);
    return statement.step() ? statement.text(0) : QStringLiteral("<no row>");
}

IncomingEvent incomingFrom(const QJsonObject &json, qint64 receivedMs) { return preparedEvent(json, receivedMs); }

// A database as the release before v2 left it: schema 7 and one issue keyed
// by the v1 hash of `event`.
bool createPreV2Database(const QString &path, const IssueKey &key, qint64 *issueId)
{
    sqlite3 *db = nullptr;
    if (sqlite3_open(path.toUtf8().constData(), &db) != SQLITE_OK)
        return false;
    bool ok = true;
    for (int version = 0; ok && version < 7; ++version)
        ok = execSql(db, schemaMigrations().at(version));
    ok = ok && execSql(db, "PRAGMA user_version = 7")
        && execSql(db, "INSERT INTO projects(id, name, public_key, created_ms) VALUES (1, 'default', 'k', 0)");
    {
        // Finalised before the close below: an open statement keeps the connection (and its memory) alive.
        Statement insert(db,
            QStringLiteral(
                "INSERT INTO issues(project_id, fingerprint, title, culprit, count, first_seen_ms, last_seen_ms) "
                "VALUES (1, ?, 'old title', 'old culprit', 1, 1000, 1000) RETURNING id"));
        insert.bindAll({ key.legacyFingerprint });
        ok = ok && insert.step();
        *issueId = ok ? insert.int64(0) : 0;
    }
    ok = sqlite3_close(db) == SQLITE_OK && ok;
    return ok;
}

} // namespace

class TestVersionedGrouping : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() { QVERIFY2(m_backend.start(), qPrintable(m_backend.error())); }

    void init()
    {
        m_dir = std::make_unique<QTemporaryDir>();
        QVERIFY(m_dir->isValid());
        m_path = m_dir->filePath(QStringLiteral("faultline.db"));
    }

    void issueFromV1KeepsGettingItsEvents()
    {
        if (m_backend.isPostgres())
            QSKIP("a database from before v2 grouping is a SQLite file; PostgreSQL's schema began at v2");
        const QJsonObject json = fixtureEventJson(QStringLiteral("django_request_store"));
        const IncomingEvent first = incomingFrom(anotherOccurrence(json), 2000);
        QVERIFY(first.issue.fingerprint != first.issue.legacyFingerprint);
        qint64 oldIssue = 0;
        QVERIFY(createPreV2Database(m_path, first.issue, &oldIssue));

        {
            auto db = openOrFail(m_path); // migrates: the old issue's key is recorded as v1
            QVERIFY(db);
            QCOMPARE(text(*db, "SELECT strategy FROM grouping_keys WHERE issue_id = ?", { oldIssue }), "v1");
            QCOMPARE(text(*db, "SELECT first_title FROM issues WHERE id = ?", { oldIssue }), "old title");
        }

        const auto outcomes = writeAll(m_path, { first });
        QVERIFY(outcomes[0].committed);
        QCOMPARE(outcomes[0].issueId, oldIssue);
        QVERIFY(!outcomes[0].newIssue);

        auto db = openOrFail(m_path);
        // The v2 key now leads there directly, noted as found through v1.
        QCOMPARE(text(*db, "SELECT linked_by FROM grouping_keys WHERE hash = ?", { first.issue.fingerprint }), "v1");
        QCOMPARE(
            scalar(*db, "SELECT issue_id FROM grouping_keys WHERE hash = ?", { first.issue.fingerprint }), oldIssue);
        // The issue keeps its identity; its title and culprit are the latest event's.
        QCOMPARE(text(*db, "SELECT fingerprint FROM issues WHERE id = ?", { oldIssue }), first.issue.legacyFingerprint);
        QCOMPARE(text(*db, "SELECT title FROM issues WHERE id = ?", { oldIssue }), first.issue.title);
        QCOMPARE(text(*db, "SELECT culprit FROM issues WHERE id = ?", { oldIssue }), QStringLiteral("app in compute"));
        QCOMPARE(text(*db, "SELECT first_title FROM issues WHERE id = ?", { oldIssue }), "old title");
        QCOMPARE(scalar(*db, "SELECT count FROM issues WHERE id = ?", { oldIssue }), 2);
        db.reset();

        // The next occurrence goes by the v2 key: no further key rows.
        const auto again = writeAll(m_path, { incomingFrom(json, 3000) });
        QCOMPARE(again[0].issueId, oldIssue);
        db = openOrFail(m_path);
        QCOMPARE(scalar(*db, "SELECT count(*) FROM grouping_keys WHERE issue_id = ?", { oldIssue }), 2);
        QCOMPARE(scalar(*db, "SELECT count(*) FROM issues"), 1);
    }

    void newEventsAreKeyedWithV2()
    {
        m_path = freshDatabase();
        QVERIFY(!m_path.isEmpty());
        const IncomingEvent pydantic = incomingFrom(fixtureEventJson("pydantic_validation_store"), 1000);
        const IncomingEvent drf = incomingFrom(fixtureEventJson("django_drf_validation_store"), 1001);
        const auto outcomes = writeAll(m_path, { pydantic, drf });
        QVERIFY(outcomes[0].newIssue && outcomes[1].newIssue);
        QVERIFY(outcomes[0].issueId != outcomes[1].issueId);
        QCOMPARE(m_backend.text(m_path, "SELECT fingerprint FROM issues WHERE id = ?", { outcomes[1].issueId }),
            drf.issue.fingerprint);
        QCOMPARE(
            m_backend.text(m_path, "SELECT strategy FROM grouping_keys WHERE issue_id = ?", { outcomes[1].issueId }),
            "v2");
        QCOMPARE(m_backend.scalar(m_path, "SELECT count(*) FROM grouping_keys"), 2);
    }

    void eventsPointAtTheirExplanation()
    {
        m_path = freshDatabase();
        QVERIFY(!m_path.isEmpty());
        const IncomingEvent drf = incomingFrom(fixtureEventJson("django_drf_validation_store"), 1000);
        writeAll(m_path, { drf });
        const QString stored = m_backend.text(m_path,
            "SELECT k.explanation FROM events e JOIN grouping_keys k ON k.id = e.grouping_key_id WHERE e.event_id = ?",
            { drf.event.eventId });
        const GroupingExplanation explanation
            = groupingExplanationFromJson(QJsonDocument::fromJson(stored.toUtf8()).object());
        // Prepared as the collector prepares (keys only); the writer explains the new key.
        QVERIFY(drf.issue.explanation.parts.isEmpty());
        QCOMPARE(explanation.hashedComponents(), groupEvent(drf.event).components);
        QVERIFY(describeGrouping(explanation)
                    .startsWith(QLatin1String(
                        "exception type `rest_framework.exceptions.ValidationError`, frame `app.post` line")));
    }

    // The collector groups without the explanation; the writer works it out for the new key.
    void keysMadeWithoutExplanationGetOne()
    {
        m_path = freshDatabase();
        QVERIFY(!m_path.isEmpty());
        const IncomingEvent drf = incomingFrom(fixtureEventJson("django_drf_validation_store"), 1000);
        const IssueKey explained = groupEvent(drf.event, GroupingDetail::Explained);
        QVERIFY(drf.issue.explanation.parts.isEmpty());
        QCOMPARE(drf.issue.fingerprint, explained.fingerprint);
        writeAll(m_path, { drf });
        const QString stored = m_backend.text(m_path,
            "SELECT k.explanation FROM events e JOIN grouping_keys k ON k.id = e.grouping_key_id WHERE e.event_id = ?",
            { drf.event.eventId });
        QCOMPARE(QJsonDocument::fromJson(stored.toUtf8()).object(), toJson(explained.explanation));
        QCOMPARE(m_backend.text(m_path, "SELECT strategy FROM grouping_keys WHERE hash = ?", { explained.fingerprint }),
            "v2");
    }

    void titleFollowsTheLatestEvent()
    {
        m_path = freshDatabase();
        QVERIFY(!m_path.isEmpty());
        const QJsonObject json = fixtureEventJson(QStringLiteral("pydantic_validation_store"));
        const IncomingEvent first = incomingFrom(json, 1000);
        const QJsonObject secondJson
            = anotherOccurrence(withExceptionField(json, "value", QStringLiteral("1 validation error for Order")));
        // The issue's title and culprit as the key of each event says them.
        IncomingEvent second = incomingFrom(secondJson, 2000);
        second.issue.culprit = QStringLiteral("a culprit of its own");
        QJsonObject thirdJson = secondJson;
        thirdJson.insert(QStringLiteral("event_id"), QStringLiteral("fedcba9876543210fedcba9876543210"));
        IncomingEvent third = incomingFrom(thirdJson, 3000);
        third.issue.culprit = second.issue.culprit;
        third.issue.title = QStringLiteral("ValidationError: 3 validation errors for Order");
        QCOMPARE(second.issue.fingerprint, first.issue.fingerprint);

        // in one batch, and across batches
        const auto outcomes = writeAll(m_path, { first, second });
        const qint64 issue = outcomes[0].issueId;
        QCOMPARE(m_backend.text(m_path, "SELECT title FROM issues WHERE id = ?", { issue }), second.issue.title);
        QCOMPARE(m_backend.text(m_path, "SELECT culprit FROM issues WHERE id = ?", { issue }), "a culprit of its own");
        QCOMPARE(m_backend.text(m_path, "SELECT first_title FROM issues WHERE id = ?", { issue }), first.issue.title);
        QCOMPARE(
            m_backend.text(m_path, "SELECT first_culprit FROM issues WHERE id = ?", { issue }), first.issue.culprit);
        writeAll(m_path, { third });
        QCOMPARE(m_backend.text(m_path, "SELECT title FROM issues WHERE id = ?", { issue }), third.issue.title);
        QCOMPARE(m_backend.text(m_path, "SELECT first_title FROM issues WHERE id = ?", { issue }), first.issue.title);
    }

private:
    QString freshDatabase()
    {
        const QString location = m_backend.freshDatabase(QTest::currentTestFunction());
        if (location.isEmpty())
            qWarning() << m_backend.error();
        return location;
    }

    TestBackend m_backend; // the tests of the writer's own grouping run on both backends
    std::unique_ptr<QTemporaryDir> m_dir; // the pre-v2 SQLite file
    QString m_path;
};

QTEST_GUILESS_MAIN(TestVersionedGrouping)
#include "tst_versioned_grouping.moc"
