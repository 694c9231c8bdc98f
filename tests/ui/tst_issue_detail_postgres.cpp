// The issue detail over a storage gateway on either backend (#18): the same
// captured SDK events written into a SQLite file and a throw-away PostgreSQL
// cluster, the same issue opened offscreen on each. Both show its chart, tag
// distribution, users, latest event with its stack trace and grouping, its
// Events tab, and walk to the oldest event, with the same texts. An update
// keeps what is shown until its read arrives; an answer for an issue left
// meanwhile is dropped; a server gone away shows as an error in the pane.
// With FAULTLINE_SCREENSHOT_DIR set, saves the PostgreSQL detail at 1000×700,
// light and dark.
#include "detail_waits.h"
#include "screenshots.h"
#include "storage/parity_corpus.h"
#include "ui_test_data.h"

#include "storage/storage_error_text.h"
#include "storage/storage_gateway.h"
#include "support/postgres_cluster.h"
#include "ui/event_view.h"
#include "ui/exception_view.h"
#include "ui/frame_view.h"
#include "ui/grouping_view.h"
#include "ui/issue_events_view.h"
#include "ui/issue_histogram_view.h"
#include "ui/stack_trace_view.h"
#include "ui/tag_distribution_view.h"
#include "ui/triage/issue_events_model.h"

#include <QApplication>
#include <QLabel>
#include <QSignalSpy>
#include <QTabWidget>

using namespace faultline;
using namespace faultline::test;

namespace {

constexpr qint64 kMinute = 60'000;

// The captured events a minute apart, 40 minutes ago, and four earlier KeyErrors of the rich
// Python event over the last two days in two releases: a chart with several bars.
QList<IncomingEvent> detailCorpus(qint64 now)
{
    QList<IncomingEvent> events;
    qint64 received = now - 40 * kMinute;
    for (const QString &name : eventFixtureNames()) {
        events.append(fixtureIncoming(name, received += 1000));
        if (name == u"attachment_html_envelope")
            events.last().attachments = fixtureAttachments(name);
    }
    for (int copy = 1; copy <= 4; ++copy)
        events.append(fixtureIncoming(
            QStringLiteral("python_rich_event_store"), now - copy * 9 * kHour, copy, 1, [copy](QJsonObject &json) {
                json.insert(QStringLiteral("release"),
                    copy % 2 ? QStringLiteral("myapp@1.2.2") : QStringLiteral("myapp@1.2.3"));
            }));
    return events;
}

QString oldestId() { return QStringLiteral("%1").arg(4, 32, 16, QLatin1Char('0')); } // copy 4, 36 h ago

} // namespace

class TestIssueDetailPostgres : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void showsTheIssue_data();
    void showsTheIssue();
    void bothBackendsShowTheSame();
    void updateKeepsWhatIsShown_data();
    void updateKeepsWhatIsShown();
    void answersForALeftIssueAreDropped();
    void screenshots();
    void aServerGoneShowsInThePane();

private:
    IssueRow issueTitled(StorageGateway &storage, const QString &prefix);
    void add(const QString &location, const IncomingEvent &event);

    PostgresCluster m_cluster;
    QTemporaryDir m_dir;
    QString m_sqlitePath;
    QString m_postgresUri;
    std::unique_ptr<StorageBackend> m_sqlite;
    std::unique_ptr<StorageBackend> m_postgres;
    QHash<QString, QStringList> m_shown; // what each backend's detail showed, by backend
    qint64 m_now = 0;
};

void TestIssueDetailPostgres::initTestCase()
{
    QVERIFY2(m_cluster.startWithDatabase(QStringLiteral("viewer")), qPrintable(m_cluster.error()));
    m_sqlitePath = m_dir.filePath(QStringLiteral("viewer.db"));
    m_postgresUri = m_cluster.uri(QStringLiteral("viewer"));
    m_now = QDateTime::currentMSecsSinceEpoch();
    const QString failed
        = writeToBothBackends(detailCorpus(m_now), m_sqlitePath, m_postgresUri, &m_sqlite, &m_postgres);
    QVERIFY2(failed.isEmpty(), qPrintable(failed));
}

IssueRow TestIssueDetailPostgres::issueTitled(StorageGateway &storage, const QString &prefix)
{
    const auto issues
        = storage
              .read([](StorageBackend &backend) {
                  return backend.issues().list(IssueListRequest { {}, IssueSort::LastSeen, 0, 0, 0 }, nullptr);
              })
              .result();
    if (issues)
        for (const IssueRow &issue : *issues)
            if (issue.title.startsWith(prefix))
                return issue;
    return {};
}

void TestIssueDetailPostgres::add(const QString &location, const IncomingEvent &event)
{
    if (location == m_sqlitePath) {
        const QList<WriteOutcome> written = writeAll(m_sqlitePath, { event });
        QVERIFY(written.size() == 1 && written.first().committed);
        return;
    }
    const auto batch = PgBatchWriter(static_cast<PgBackend &>(*m_postgres).connection()).write({ &event });
    QVERIFY2(batch, qPrintable(batch ? QString() : batch.error().message));
}

void TestIssueDetailPostgres::showsTheIssue_data()
{
    QTest::addColumn<QString>("location");
    QTest::newRow("sqlite") << m_sqlitePath;
    QTest::newRow("postgres") << m_postgresUri;
}

void TestIssueDetailPostgres::showsTheIssue()
{
    QFETCH(QString, location);
    StorageGateway storage(location);
    IssueDetailView view(storage);
    view.resize(1000, 700);
    view.show();
    const IssueRow issue = issueTitled(storage, QStringLiteral("KeyError"));
    QVERIFY(issue.id > 0);
    view.setIssue(issue);
    QCOMPARE(view.issue()->id, issue.id); // the header shows at once
    QVERIFY(detailSettled(view));

    // The chart: five events over the last 14 days (the issue is older than a day), two releases marked.
    IssueHistogramView *chart = view.histogramView();
    QCOMPARE(chart->span(), IssueHistogramView::Span::TwoWeeks);
    QCOMPARE(chart->histogram().total(), 5);
    QCOMPARE(chart->releaseMarkers().size(), 2);
    // The tags: every event from host pyhost; one user; two releases, the newest first seen last.
    const IssueSummary &summary = view.summary();
    QCOMPARE(summary.users, 1);
    QCOMPARE(summary.tag(QStringLiteral("server_name"))->top.value(0).value, QStringLiteral("pyhost"));
    QCOMPARE(summary.tag(QStringLiteral("release"))->distinctValues, 2);
    QVERIFY(view.tagView()->findChildren<TagValueBar *>().size() >= 6);
    QVERIFY2(view.factsText().contains(QLatin1String("5 events")) && view.factsText().contains(QLatin1String("1 user")),
        qPrintable(view.factsText()));
    // The latest event, with its stack trace and why it joined the issue.
    QCOMPARE(view.eventCount(), 5);
    QCOMPARE(view.eventNumber(), 5);
    ExceptionView *exception = view.eventView()->exceptionView();
    QCOMPARE(exception->displayedTypes().value(0), QStringLiteral("KeyError"));
    QVERIFY(!exception->stackViews().isEmpty() && exception->stackViews().first()->frameViews().size() == 1);
    QCOMPARE(exception->stackViews().first()->frameViews().first()->frame().function, QStringLiteral("<module>"));
    QVERIFY(view.groupingView()->summaryText().startsWith(QLatin1String("Grouped by: ")));
    // The Events tab: all five, newest first.
    IssueEventsModel *rows = view.eventsView()->model();
    QCOMPARE(rows->rowCount(), 5);
    QCOMPARE(rows->eventAt(0)->eventId, view.currentEvent().eventId);
    QCOMPARE(rows->eventAt(4)->eventId, oldestId());

    QStringList shown { view.factsText(), chart->caption(), view.facetsText(), view.groupingView()->summaryText(),
        exception->displayedTypes().join(u',') };
    for (int row = 0; row < rows->rowCount(); ++row)
        shown.append(rows->index(row, IssueEventsModel::MessageColumn).data().toString() + u' '
            + rows->index(row, IssueEventsModel::ReleaseColumn).data().toString());

    // The oldest, by the arrows; then the second from the Events tab.
    view.showOldest();
    QTRY_COMPARE(view.currentEvent().eventId, oldestId());
    QCOMPARE(view.eventNumber(), 1);
    QCOMPARE(view.currentEvent().release, QStringLiteral("myapp@1.2.3"));
    view.showEventRow(rows->eventAt(3)->rowId, rows->eventAt(3)->receivedMs);
    QTRY_COMPARE(view.eventNumber(), 2);
    QCOMPARE(view.currentEventRowId(), rows->eventAt(3)->rowId);
    view.filterEvents(QStringLiteral("release:myapp@1.2.2"));
    QVERIFY(detailSettled(view));
    QCOMPARE(rows->rowCount(), 2);
    shown.append(QStringLiteral("filtered %1").arg(rows->rowCount()));
    m_shown.insert(QString::fromLatin1(QTest::currentDataTag()), shown);
}

void TestIssueDetailPostgres::bothBackendsShowTheSame()
{
    QCOMPARE(m_shown.size(), 2);
    QCOMPARE(m_shown.value(QStringLiteral("postgres")), m_shown.value(QStringLiteral("sqlite")));
}

void TestIssueDetailPostgres::updateKeepsWhatIsShown_data() { showsTheIssue_data(); }

void TestIssueDetailPostgres::updateKeepsWhatIsShown()
{
    QFETCH(QString, location);
    StorageGateway storage(location);
    IssueDetailView view(storage);
    view.resize(1000, 700);
    const IssueRow issue = issueTitled(storage, QStringLiteral("KeyError"));
    QVERIFY(issue.id > 0);
    view.setIssue(issue);
    QVERIFY(detailSettled(view));
    const int count = view.eventCount();
    const QString shownId = view.currentEvent().eventId;
    QVERIFY(!shownId.isEmpty() && !view.summary().tags.isEmpty());

    add(location, fixtureIncoming(QStringLiteral("python_rich_event_store"), QDateTime::currentMSecsSinceEpoch(), 900));
    const IssueRow newer = issueTitled(storage, QStringLiteral("KeyError"));
    QCOMPARE(newer.id, issue.id);
    QCOMPARE(newer.count, issue.count + 1);
    view.updateIssue(newer);
    // Until the read arrives, the pane keeps what it showed: no blank tags, chart or event.
    QVERIFY(view.isLoading());
    QCOMPARE(view.eventCount(), count);
    QVERIFY(!view.summary().tags.isEmpty());
    QCOMPARE(view.histogramView()->histogram().total(), count);
    QCOMPARE(view.currentEvent().eventId, shownId);
    QVERIFY(detailSettled(view));
    QCOMPARE(view.eventCount(), count + 1);
    QCOMPARE(view.histogramView()->histogram().total(), count + 1);
    // Counted from the oldest: the event on screen keeps its number.
    QCOMPARE(view.eventNumber(), count);
    QCOMPARE(view.currentEvent().eventId, shownId);
}

void TestIssueDetailPostgres::answersForALeftIssueAreDropped()
{
    StorageGateway storage(m_postgresUri);
    IssueDetailView view(storage);
    const IssueRow first = issueTitled(storage, QStringLiteral("KeyError"));
    const IssueRow second = issueTitled(storage, QStringLiteral("ValidationError"));
    QVERIFY(first.id > 0 && second.id > 0);
    QSignalSpy shown(&view, &IssueDetailView::eventShown);
    view.setIssue(first);
    view.showOldest(); // nothing to step through yet: ignored
    view.setIssue(second); // before the first's reads answer
    QVERIFY(detailSettled(view));
    QCOMPARE(shown.size(), 1); // the first issue's event never showed
    QCOMPARE(view.issue()->id, second.id);
    QCOMPARE(view.summary().issueId, second.id);
    QCOMPARE(view.currentEvent().eventId, view.eventsView()->model()->eventAt(0)->eventId);
    QCOMPARE(view.eventsView()->model()->issueId(), second.id);
}

void TestIssueDetailPostgres::screenshots()
{
    if (screenshotDir().isEmpty())
        QSKIP("FAULTLINE_SCREENSHOT_DIR not set");
    shootLightAndDark([&](const ThemedShots &shots) {
        StorageGateway storage(m_postgresUri);
        IssueDetailView view(storage);
        view.resize(1000, 700);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        view.setIssue(issueTitled(storage, QStringLiteral("KeyError")));
        QVERIFY(detailSettled(view));
        QCoreApplication::processEvents();
        QVERIFY(shots.save(QStringLiteral("detail_postgres_1000x700"), view.grab()));
        view.tabs()->setCurrentWidget(view.eventsView());
        QCoreApplication::processEvents();
        QVERIFY(shots.save(QStringLiteral("detail_postgres_events_1000x700"), view.grab()));
    });
}

void TestIssueDetailPostgres::aServerGoneShowsInThePane()
{
    StorageGateway storage(m_postgresUri);
    IssueDetailView view(storage);
    const IssueRow issue = issueTitled(storage, QStringLiteral("KeyError"));
    view.setIssue(issue);
    QVERIFY(detailSettled(view));
    const QString title = view.findChild<QLabel *>(QStringLiteral("issueTitle"))->text();
    QVERIFY(m_cluster.stop());
    view.showOldest();
    view.updateIssue(issue);
    QVERIFY(detailSettled(view));
    // Said where it happened; the issue stays on screen.
    QVERIFY2(view.factsText().contains(QLatin1String("could not read")), qPrintable(view.factsText()));
    QCOMPARE(view.findChild<QLabel *>(QStringLiteral("issueTitle"))->text(), title);
    // In line, libpq's first line, bounded; its whole message on hover. So in the event line.
    const QString said = view.findChild<QLabel *>(QStringLiteral("issueFacts"))->toolTip();
    QVERIFY2(said.contains(u'\n'), qPrintable(said)); // libpq's message runs over lines
    QVERIFY2(!view.factsText().contains(said), qPrintable(view.factsText()));
    QVERIFY(view.factsText().contains(shortErrorText(said)));
    const QLabel *eventInfo = view.findChild<QLabel *>(QStringLiteral("eventInfo"));
    QVERIFY2(eventInfo->toolTip().contains(u'\n'), qPrintable(eventInfo->toolTip()));
    QString shown = eventInfo->text(); // elided further to the label's width
    if (shown.endsWith(u'…'))
        shown.chop(1);
    const QString line = QStringLiteral("Could not read the event: ") + shortErrorText(eventInfo->toolTip());
    QVERIFY2(shown.size() > 10 && line.startsWith(shown), qPrintable(shown));
    QVERIFY(m_cluster.startAgain());
}

QTEST_MAIN(TestIssueDetailPostgres)
#include "tst_issue_detail_postgres.moc"
