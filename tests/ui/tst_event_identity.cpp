// The detail's Event section, Copy JSON and Save JSON show the stored id and
// time of an event, render after render — also for an event stored before
// ingest wrote them into its JSON (a plain-endpoint event without `event_id`).
#include "detail_waits.h"
#include "ui_test_data.h"

#include "storage/event_queries.h"
#include "storage/issue_queries.h"
#include "storage/storage_gateway.h"
#include "ui/event_view.h"
#include "ui/issue_detail_view.h"
#include "ui/key_value_table.h"

#include <QApplication>
#include <QClipboard>
#include <QJsonObject>
#include <QSignalSpy>

using namespace faultline;
using namespace faultline::test;

namespace {

constexpr qint64 kReceived = 1'790'000'000'000;

// The value of `key` in any key/value table of the view; empty if none shows it.
QString shownDetail(const QWidget &view, const QString &key)
{
    for (const KeyValueTable *table : view.findChildren<KeyValueTable *>())
        for (int row = 0; row < table->rowCount(); ++row)
            if (table->item(row, 0) && table->item(row, 0)->text() == key && table->item(row, 1))
                return table->item(row, 1)->text();
    return {};
}

} // namespace

class TestEventIdentity : public QObject {
    Q_OBJECT

private slots:
    void storedIdIsShownCopiedAndExported()
    {
        UiTestDatabase data;
        QVERIFY(data.start());
        // What the writer stored before ingest assigned ids into the JSON: an id column
        // the parser made up once, and a JSON with neither `event_id` nor `timestamp`.
        const QByteArray sent = R"({"message":"disk almost full","level":"warning","tags":{"host":"db1"}})";
        IncomingEvent incoming = preparedEvent(sent, EventOrigin { 1, kReceived, {}, {}, 0 });
        incoming.storedRaw = prepareStoredRaw(sent); // as the old writer stored it: without the id it made up
        QList<WriteOutcome> outcomes;
        QVERIFY(data.write({ incoming }, &outcomes));

        QString error;
        auto db = Database::open(data.path(), Database::Mode::ReadOnly, &error);
        QVERIFY2(db, qPrintable(error));
        EventQueries events(*db);
        const auto issue = IssueQueries(*db).byId(outcomes.first().issueId);
        QVERIFY(issue);
        const QList<EventRow> rows = events.forIssue(issue->id, 1);
        QCOMPARE(rows.size(), 1);
        const QString storedId = rows.first().eventId;
        QVERIFY(!rows.first().rawJson.contains("event_id")); // the legacy shape this test is about

        StorageGateway storage(data.path());
        IssueDetailView view(storage);
        view.resize(1000, 700);
        view.setIssue(*issue);
        QVERIFY(detailSettled(view));
        QCOMPARE(shownDetail(*view.eventView(), QStringLiteral("event id")), storedId);
        QSignalSpy shown(&view, &IssueDetailView::eventShown);
        view.showEventNumber(1); // a second render shows the same id, not a new one
        QVERIFY(shown.wait());
        QCOMPARE(shownDetail(*view.eventView(), QStringLiteral("event id")), storedId);
        QVERIFY(!shownDetail(*view.eventView(), QStringLiteral("time")).isEmpty());

        const QJsonObject exported = QJsonDocument::fromJson(view.currentEventJson()).object();
        QCOMPARE(exported.value("event_id").toString(), storedId);
        QCOMPARE(qint64(exported.value("timestamp").toDouble() * 1000), rows.first().timestampMs);
        QCOMPARE(exported.value("message").toString(), QStringLiteral("disk almost full"));

        view.copyEventJson();
        const QJsonObject copied = QJsonDocument::fromJson(QApplication::clipboard()->text().toUtf8()).object();
        QCOMPARE(copied, exported);
    }
};

QTEST_MAIN(TestEventIdentity)
#include "tst_event_identity.moc"
