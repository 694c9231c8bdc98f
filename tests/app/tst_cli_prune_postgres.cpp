// `faultline prune --db postgresql://…` as a user runs it (#18): a database
// moved up with `db copy`, then its months listed (--dry-run) and the expired
// ones dropped whole; the SQLite-only --project is refused for PostgreSQL.
#include "storage/pg_copy_source.h"

#include "storage/postgres/pg_connection.h"
#include "storage/postgres/pg_partitions.h"
#include "support/cli_run.h"
#include "support/postgres_cluster.h"

#include <QDateTime>
#include <QTest>

using namespace faultline;
using namespace faultline::test;

class TestCliPrunePostgres : public QObject {
    Q_OBJECT

private slots:
    void dropsTheExpiredMonthsOfACopiedDatabase();
};

void TestCliPrunePostgres::dropsTheExpiredMonthsOfACopiedDatabase()
{
    PostgresCluster cluster;
    QVERIFY2(cluster.startWithDatabase(QStringLiteral("team")), qPrintable(cluster.error()));
    QTemporaryDir dir;
    const QString source = dir.filePath(QStringLiteral("solo.db"));
    QVERIFY(buildCopySource(source, 20));
    const QString uri = cluster.uri(QStringLiteral("team"));
    const Run copied = runCli({ QStringLiteral("db"), QStringLiteral("copy"), QStringLiteral("--from"), source,
        QStringLiteral("--to"), uri });
    QVERIFY2(copied.code == 0, qPrintable(copied.err));

    // What a one-day age limit lets go now: the months (oldest first) over for a day.
    auto db = PgConnection::open(uri);
    QVERIFY(db);
    auto perMonth = db.value()->exec(QStringLiteral("SELECT received_ms FROM events ORDER BY received_ms"));
    QVERIFY(perMonth);
    const qint64 cutoff = QDateTime::currentMSecsSinceEpoch() - 24LL * 3600 * 1000;
    QStringList expired;
    qint64 kept = 0;
    for (int row = 0; row < perMonth->rowCount(); ++row) {
        const PartitionMonth month = partitionMonthOf(perMonth->int64(row, 0));
        if (month.toMs <= cutoff && kept == 0) {
            const QString name = month.suffix.mid(1).replace(u'_', u'-');
            if (!expired.contains(name))
                expired.append(name);
        } else {
            ++kept;
        }
    }
    const QStringList limits { QStringLiteral("--db"), uri, QStringLiteral("--max-age-days"), QStringLiteral("1"),
        QStringLiteral("--max-events"), QStringLiteral("0") };

    const Run dry = runCli(QStringList { QStringLiteral("prune"), QStringLiteral("--dry-run") } + limits);
    QVERIFY2(dry.code == 0, qPrintable(dry.err));
    for (const QString &month : expired)
        QVERIFY2(dry.out.contains((month + QStringLiteral(": ")).toUtf8()) && dry.out.contains("would be dropped"),
            dry.out.constData());
    QCOMPARE(db.value()->exec(QStringLiteral("SELECT count(*) FROM events"))->int64(0, 0), perMonth->rowCount());

    const Run pruned = runCli(QStringList { QStringLiteral("prune") } + limits);
    QVERIFY2(pruned.code == 0, qPrintable(pruned.err));
    for (const QString &month : expired)
        QVERIFY2(pruned.out.contains(("dropped " + month + ": ").toUtf8()), pruned.out.constData());
    QCOMPARE(db.value()->exec(QStringLiteral("SELECT count(*) FROM events"))->int64(0, 0), kept);
    QCOMPARE(db.value()->exec(QStringLiteral("SELECT count(*) FROM event_ids"))->int64(0, 0), kept);
    QCOMPARE(db.value()->exec(QStringLiteral("SELECT coalesce(sum(count), 0) FROM issues"))->int64(0, 0), kept);

    const Run perProject = runCli(
        { QStringLiteral("prune"), QStringLiteral("--db"), uri, QStringLiteral("--project"), QStringLiteral("1") });
    QCOMPARE(perProject.code, 2);
    QVERIFY2(
        perProject.err.contains(QLatin1String("--project does not apply to PostgreSQL")), qPrintable(perProject.err));
}

QTEST_GUILESS_MAIN(TestCliPrunePostgres)
#include "tst_cli_prune_postgres.moc"
