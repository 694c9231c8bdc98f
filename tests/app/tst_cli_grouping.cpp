// Grouping from the shell, as the real binary, beside a running writer:
// `issue merge`, `issue ID --grouping`, `issue unmerge`, and the events the
// writer stores afterwards going where the rules say; `project regroup`.
#include "storage/storage_test_helpers.h"

#include "model/event_parser.h"
#include "model/grouping.h"
#include "storage/event_writer.h"
#include "support/cli_run.h"
#include "support/fixture_events.h"

#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QProcess>

using namespace faultline;
using namespace faultline::test;

namespace {

QJsonObject jsonOf(const Run &run) { return QJsonDocument::fromJson(run.out).object(); }

} // namespace

class TestCliGrouping : public QObject {
    Q_OBJECT

private slots:
    void initTestCase()
    {
        if (!QFileInfo::exists(QStringLiteral(FAULTLINE_BINARY)))
            QSKIP("the faultline binary is not built");
        m_path = m_dir.filePath(QStringLiteral("cli.db"));
        m_writer = std::make_unique<EventWriter>(m_path);
        QVERIFY(m_writer->start(nullptr));
    }

    void mergeAndUnmergeFromTheShell()
    {
        const qint64 pydantic = store(QStringLiteral("pydantic_validation_store"), 1);
        const qint64 drf = store(QStringLiteral("django_drf_validation_store"), 2);
        QVERIFY(pydantic != drf);
        const QString id = QString::number(drf);

        Run run = runCli({ "issue", "merge", QString::number(pydantic), id, "--into", id, "--db", m_path, "--json" });
        QVERIFY2(run.code == 0, qPrintable(run.err));
        QCOMPARE(jsonOf(run).value("into").toInteger(), drf);
        QCOMPARE(jsonOf(run).value("merged").toArray(), QJsonArray { pydantic });
        // The rule sticks: the writer sends the Pydantic error's next event to the survivor.
        QCOMPARE(store(QStringLiteral("pydantic_validation_store"), 3), drf);

        run = runCli({ "issue", id, "--grouping", "--db", m_path, "--json" });
        QVERIFY2(run.code == 0, qPrintable(run.err));
        const QJsonArray keys = jsonOf(run).value("keys").toArray();
        QCOMPARE(keys.size(), 2);
        QString pydanticKey;
        for (const QJsonValue &key : keys)
            if (key["linked_by"].toString() == u"merge")
                pydanticKey = key["hash"].toString();
        QVERIFY(!pydanticKey.isEmpty());
        QCOMPARE(keys[1]["events"].toInt() + keys[0]["events"].toInt(), 3);
        run = runCli({ "issue", id, "--grouping", "--db", m_path });
        QVERIFY(run.out.contains("exception type `pydantic.error_wrappers.ValidationError`"));
        QVERIFY(run.out.contains("faultline issue unmerge"));

        run = runCli({ "issue", "unmerge", id, "--by", pydanticKey.left(12), "--db", m_path, "--json" });
        QVERIFY2(run.code == 0, qPrintable(run.err));
        const qint64 split = jsonOf(run).value("issue").toInteger();
        QCOMPARE(jsonOf(run).value("events_moved").toInt(), 2);
        QCOMPARE(store(QStringLiteral("pydantic_validation_store"), 4), split);
        QCOMPARE(store(QStringLiteral("django_drf_validation_store"), 5), drf);

        // Refusals say why and exit 1; bad usage exits 2.
        run = runCli({ "issue", "unmerge", QString::number(split), "--by", pydanticKey, "--db", m_path });
        QCOMPARE(run.code, 1);
        QVERIFY2(run.err.contains("only this grouping key"), qPrintable(run.err));
        QCOMPARE(runCli({ "issue", "merge", id, "--db", m_path }).code, 2);
        QCOMPARE(runCli({ "issue", "merge", id, "99999", "--db", m_path }).code, 1);
    }

    void regroupFromTheShell()
    {
        auto db = openOrFail(m_path, Database::Mode::ReadOnly);
        const qint64 events = scalar(*db, "SELECT count(*) FROM events");
        const qint64 issues = scalar(*db, "SELECT count(*) FROM issues");
        QVERIFY(events >= 5);
        db.reset();
        // Beside the running writer; everything is grouped under v2 already, so nothing moves.
        Run run = runCli({ "project", "regroup", "default", "--db", m_path, "--json" });
        QVERIFY2(run.code == 0, qPrintable(run.err));
        QVERIFY2(run.err.contains(QStringLiteral("regrouping default: %1/%1 events").arg(events)), qPrintable(run.err));
        QCOMPARE(jsonOf(run).value("events").toInteger(), events);
        QCOMPARE(jsonOf(run).value("moved").toInteger(), 0);
        db = openOrFail(m_path, Database::Mode::ReadOnly);
        QCOMPARE(scalar(*db, "SELECT count(*) FROM events"), events);
        QCOMPARE(scalar(*db, "SELECT count(*) FROM issues"), issues);
        QCOMPARE(runCli({ "project", "regroup", "nosuchproject", "--db", m_path }).code, 1);
        QCOMPARE(runCli({ "project", "regroup", "--db", m_path }).code, 2);
    }

private:
    // Occurrence `n` of a fixture's error, written by the running writer; its issue.
    qint64 store(const QString &fixture, int n)
    {
        QJsonObject json = fixtureEventJson(fixture);
        json.insert(QStringLiteral("event_id"), QStringLiteral("%1").arg(n, 32, 16, QLatin1Char('0')));
        const std::optional<QList<WriteOutcome>> written
            = writeAndWait(*m_writer, { preparedEvent(json, 1'700'000'000'000 + n * 1000) });
        return written && written->first().committed ? written->first().issueId : -1;
    }

    QTemporaryDir m_dir;
    QString m_path;
    std::unique_ptr<EventWriter> m_writer;
};

QTEST_GUILESS_MAIN(TestCliGrouping)
#include "tst_cli_grouping.moc"
