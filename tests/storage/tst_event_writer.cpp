// The batching writer: outcomes come only after commit, issues are
// upserted, retries are idempotent, resolved issues regress, and a full queue
// refuses instead of waiting. The same writer on both backends (test_backend.h):
// only a SQLite file's write lock and its per-event tag and frame reads are SQLite's.
#include "storage_test_helpers.h"
#include "test_backend.h"

#include "model/event_parser.h"
#include "model/grouping.h"
#include "model/query/query_parser.h"
#include "storage/activity_reader.h"
#include "storage/event_queries.h"
#include "storage/project_store.h"
#include "storage/sqlite_backend.h"
#include "storage/statement.h"
#include "storage/store_readers.h"
#include "support/fixture_events.h"

#include <QJsonDocument>
#include <QSet>
#include <QSignalSpy>

#include <atomic>
#include <thread>
#include <vector>

using namespace faultline;
using namespace faultline::test;

class TestEventWriter : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void commitsEventsAcrossIssues();
    void duplicateEventIdIsIdempotent();
    void resolvedIssueRegresses();
    void ignoredIssueStaysIgnored();
    void fullQueueRefuses();
    void envelopeIsQueuedWholeOrNotAtAll();
    void crashLoopBatchUpdatesTheIssueOnce();
    void outcomeHandlerRunsOncePerEvent();
    void destructorDrainsTheQueue();
    void badEventDoesNotSinkItsBatch();
    void lockedDatabaseFailsTheWholeBatch();
    void discardedCountsAccumulate();
    void attachmentsAreStoredOnce();
    void realFixtureRoundTrips();
    void levelIsTheMostSevereSeen();
    void everyFrameIsSearchable();

private:
    qint64 scalar(const QString &sql, const QVariantList &values = {}) { return m_backend.scalar(m_path, sql, values); }
    StorageResult<IssueRow> issue(qint64 id) const { return m_store->issues().byId(id); }
    int setStatus(qint64 issueId, IssueStatus status)
    {
        QString error;
        const int changed
            = m_store->statuses().apply({ issueId }, StatusChange { status, {}, 0, 0 }, 0, nullptr, &error);
        if (changed < 0)
            qWarning() << error;
        return changed;
    }

    TestBackend m_backend;
    QString m_path;
    std::unique_ptr<StorageBackend> m_store;
};

void TestEventWriter::initTestCase() { QVERIFY2(m_backend.start(), qPrintable(m_backend.error())); }

void TestEventWriter::init()
{
    m_store.reset();
    m_path = m_backend.freshDatabase(QStringLiteral("writer_%1").arg(QTest::currentTestFunction()));
    QVERIFY2(!m_path.isEmpty(), qPrintable(m_backend.error()));
    m_store = m_backend.open(m_path);
    QVERIFY(m_store);
}

void TestEventWriter::commitsEventsAcrossIssues()
{
    QList<WriteOutcome> outcomes;
    QList<BatchSummary> summaries;
    {
        EventWriter writer(m_path, WriterOptions { 1000, 16 });
        connect(
            &writer, &EventWriter::batchCommitted, this,
            [&](const BatchSummary &summary) { summaries.append(summary); }, Qt::DirectConnection);
        QString error;
        QVERIFY2(writer.start(&error), qPrintable(error));
        QList<IncomingEvent> events;
        for (int i = 0; i < 50; ++i)
            events.append(makeEvent(QStringLiteral("%1").arg(i + 1, 32, 10, QLatin1Char('0')),
                QStringLiteral("fp%1").arg(i % 5), QStringLiteral("Issue %1").arg(i % 5), 1'700'000'000'000 + i));
        outcomes = writeAndWait(writer, events).value_or(QList<WriteOutcome> {});
        QCOMPARE(outcomes.size(), 50);
        for (const WriteOutcome &outcome : outcomes)
            QVERIFY2(outcome.committed, qPrintable(outcome.error));
    }
    int newIssues = 0, events = 0;
    for (const auto &summary : summaries) {
        newIssues += summary.newIssues;
        events += summary.events;
        QVERIFY(summary.events <= 16); // maxBatch respected
    }
    QCOMPARE(events, 50);
    QCOMPARE(newIssues, 5);
    QCOMPARE(outcomes[0].eventId, QStringLiteral("%1").arg(1, 32, 10, QLatin1Char('0')));
    // Each fingerprint's events share one issue, and one of them made it (the
    // first to commit: on PostgreSQL two lanes write batches side by side).
    QSet<qint64> issueIds;
    for (int fingerprint = 0; fingerprint < 5; ++fingerprint) {
        int made = 0;
        for (int i = fingerprint; i < 50; i += 5) {
            QCOMPARE(outcomes[i].issueId, outcomes[fingerprint].issueId);
            made += outcomes[i].newIssue ? 1 : 0;
        }
        QCOMPARE(made, 1);
        issueIds.insert(outcomes[fingerprint].issueId);
    }
    QCOMPARE(issueIds.size(), 5);

    QCOMPARE(scalar("SELECT count(*) FROM events"), 50);
    QCOMPARE(scalar("SELECT count(*) FROM issues"), 5);
    QCOMPARE(scalar("SELECT min(count) FROM issues"), 10);
    QCOMPARE(scalar("SELECT max(count) FROM issues"), 10);
    const auto issue = this->issue(outcomes[0].issueId);
    QVERIFY(issue);
    QCOMPARE(issue->firstSeenMs, 1'700'000'000'000);
    QCOMPARE(issue->lastSeenMs, 1'700'000'000'045);
    QCOMPARE(issue->status, QStringLiteral("unresolved"));
    // The stored raw JSON is the event's, decompressed intact.
    QString error;
    const auto rows = m_store->events().forIssue(issue->id, 1, 0, true, &error);
    QCOMPARE(rows.size(), 1);
    QCOMPARE(QJsonDocument::fromJson(rows[0].rawJson).object().value(QStringLiteral("message")).toString(),
        QStringLiteral("Issue 0"));
}

void TestEventWriter::duplicateEventIdIsIdempotent()
{
    const QString id = QStringLiteral("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
    auto first = writeAll(m_path,
        { makeEvent(id, QStringLiteral("fp"), QStringLiteral("Boom")),
            makeEvent(id, QStringLiteral("fp"), QStringLiteral("Boom")) });
    QCOMPARE(first.size(), 2);
    auto again = writeAll(m_path, { makeEvent(id, QStringLiteral("fp"), QStringLiteral("Boom")) });
    QCOMPARE(again.size(), 1);
    for (const auto &outcome : first + again) {
        QVERIFY(outcome.committed);
        QCOMPARE(outcome.eventId, id);
        QCOMPARE(outcome.issueId, first[0].issueId);
    }
    QVERIFY(first[0].newIssue);
    QVERIFY(!again[0].newIssue);
    QCOMPARE(scalar("SELECT count(*) FROM events"), 1);
    QCOMPARE(scalar("SELECT count FROM issues"), 1);
    QString error;
    QCOMPARE(m_store->events().search(parseQuery(QStringLiteral("Boom")).value(), 0, 0, 0, false, &error).size(),
        1); // indexed for search once

    // The same id in another project is another event.
    const qint64 other = m_store->projects().add(QStringLiteral("other"))->id;
    auto elsewhere
        = writeAll(m_path, { makeEvent(id, QStringLiteral("fp"), QStringLiteral("Boom"), 1'700'000'000'000, other) });
    QVERIFY(elsewhere[0].committed);
    QVERIFY(elsewhere[0].newIssue);
    QCOMPARE(scalar("SELECT count(*) FROM events"), 2);
}

void TestEventWriter::resolvedIssueRegresses()
{
    const auto first
        = writeAll(m_path, { makeEvent(QStringLiteral("e1"), QStringLiteral("fp"), QStringLiteral("Boom")) });
    QVERIFY(first[0].committed);
    QCOMPARE(setStatus(first[0].issueId, IssueStatus::Resolved), 1);
    QCOMPARE(issue(first[0].issueId)->status, QStringLiteral("resolved"));

    const auto next = writeAll(m_path,
        { makeEvent(QStringLiteral("e2"), QStringLiteral("fp"), QStringLiteral("Boom"), 1'700'000'100'000),
            makeEvent(QStringLiteral("e3"), QStringLiteral("fp"), QStringLiteral("Boom"), 1'700'000'200'000) });
    QVERIFY(next[0].committed);
    QVERIFY(next[0].regression);
    QVERIFY(!next[1].regression); // only the event that reopened it
    QCOMPARE(next[0].issueId, first[0].issueId);
    const auto issue = this->issue(first[0].issueId);
    QCOMPARE(issue->status, QStringLiteral("unresolved"));
    QVERIFY(issue->regressed);
    QCOMPARE(issue->count, 3);
    QCOMPARE(issue->lastSeenMs, 1'700'000'200'000);

    // Reopening by hand clears the mark.
    QCOMPARE(setStatus(issue->id, IssueStatus::Unresolved), 1);
    QVERIFY(!this->issue(issue->id)->regressed);
}

void TestEventWriter::ignoredIssueStaysIgnored()
{
    const auto first
        = writeAll(m_path, { makeEvent(QStringLiteral("e1"), QStringLiteral("fp"), QStringLiteral("Boom")) });
    QCOMPARE(setStatus(first[0].issueId, IssueStatus::Ignored), 1);
    const auto next
        = writeAll(m_path, { makeEvent(QStringLiteral("e2"), QStringLiteral("fp"), QStringLiteral("Boom")) });
    QVERIFY(!next[0].regression);
    QCOMPARE(issue(first[0].issueId)->status, QStringLiteral("ignored"));
    QCOMPARE(issue(first[0].issueId)->count, 2);
}

void TestEventWriter::fullQueueRefuses()
{
    EventWriter writer(m_path, WriterOptions { 2, 512 });
    QCOMPARE(writer.queueCapacity(), 2);
    OutcomeLatch latch(2);
    QVERIFY(writer.enqueue(
        { makeEvent(QStringLiteral("a"), QStringLiteral("fp"), QStringLiteral("A")) }, latch.handlerFor(0)));
    QVERIFY(writer.enqueue(
        { makeEvent(QStringLiteral("b"), QStringLiteral("fp"), QStringLiteral("B")) }, latch.handlerFor(1)));
    QCOMPARE(writer.queueDepth(), 2);
    bool refusedCalled = false;
    QVERIFY(!writer.enqueue({ makeEvent(QStringLiteral("c"), QStringLiteral("fp"), QStringLiteral("C")) },
        [&refusedCalled](const WriteOutcome &) { refusedCalled = true; }));
    QVERIFY(!refusedCalled); // refused, not answered: the caller answers 429
    QVERIFY(!latch.wait(std::chrono::milliseconds(0))); // nothing is acknowledged before it is written

    QString error;
    QVERIFY2(writer.start(&error), qPrintable(error));
    const std::optional<QList<WriteOutcome>> outcomes = latch.wait();
    QVERIFY(outcomes);
    QVERIFY(outcomes->at(0).committed);
    QVERIFY(outcomes->at(1).committed);
    QTRY_COMPARE(writer.queueDepth(), 0);
    QVERIFY(writer.enqueue({ makeEvent(QStringLiteral("c"), QStringLiteral("fp"), QStringLiteral("C")) }, {}));
}

void TestEventWriter::envelopeIsQueuedWholeOrNotAtAll()
{
    EventWriter writer(m_path, WriterOptions { 3, 512 });
    QVERIFY(writer.enqueue({ makeEvent(QStringLiteral("a"), QStringLiteral("fp"), QStringLiteral("A")) }, {}));
    // Three more do not fit in the two free places: none of them is queued.
    QVERIFY(!writer.enqueue({ makeEvent(QStringLiteral("b"), QStringLiteral("fp"), QStringLiteral("B")),
                                makeEvent(QStringLiteral("c"), QStringLiteral("fp"), QStringLiteral("C")),
                                makeEvent(QStringLiteral("d"), QStringLiteral("fp"), QStringLiteral("D")) },
        {}));
    QCOMPARE(writer.queueDepth(), 1);
    // One handler for the envelope, called once per event, in order (from the one acknowledging thread).
    OutcomeLatch latch(2);
    int next = 0;
    QVERIFY(writer.enqueue({ makeEvent(QStringLiteral("b"), QStringLiteral("fp"), QStringLiteral("B")),
                               makeEvent(QStringLiteral("c"), QStringLiteral("fp"), QStringLiteral("C")) },
        [&](const WriteOutcome &outcome) { latch.handlerFor(next++)(outcome); }));
    QCOMPARE(writer.queueDepth(), 3);

    QString error;
    QVERIFY2(writer.start(&error), qPrintable(error));
    const std::optional<QList<WriteOutcome>> outcomes = latch.wait();
    QVERIFY(outcomes);
    QVERIFY(outcomes->at(0).committed);
    QVERIFY(outcomes->at(1).committed);
    QCOMPARE(outcomes->at(0).eventId, testEventId(QStringLiteral("b")));
    QCOMPARE(outcomes->at(1).eventId, testEventId(QStringLiteral("c")));
}

void TestEventWriter::crashLoopBatchUpdatesTheIssueOnce()
{
    // Many events of one issue in one batch (queued before the writer starts):
    // the issue row ends up as if each had been counted on its own.
    QList<IncomingEvent> burst;
    for (int i = 0; i < 40; ++i) {
        burst.append(makeEvent(QStringLiteral("e%1").arg(i), QStringLiteral("fp"), QStringLiteral("Loop"),
            1'700'000'000'000 + (i * 7919) % 40'000, 1, // out of order on purpose
            [i](QJsonObject &json) {
                json.insert(QStringLiteral("level"), i == 17 ? "fatal" : "error");
                json.insert(QStringLiteral("release"), i % 2 ? "1.0" : "1.1");
            }));
    }
    EventWriter writer(m_path, WriterOptions { 100, 512 });
    QSignalSpy batches(&writer, &EventWriter::batchCommitted);
    OutcomeLatch latch(int(burst.size()));
    int next = 0;
    QVERIFY(writer.enqueue(burst, [&](const WriteOutcome &outcome) { latch.handlerFor(next++)(outcome); }));
    QString error;
    QVERIFY2(writer.start(&error), qPrintable(error));
    const QList<WriteOutcome> outcomes = latch.wait().value_or(QList<WriteOutcome> {});
    QCOMPARE(outcomes.size(), 40);
    QCOMPARE(batches.size(), 1);
    QVERIFY(outcomes[0].newIssue);
    for (int i = 1; i < 40; ++i) {
        QVERIFY(outcomes[i].committed);
        QVERIFY(!outcomes[i].newIssue);
        QCOMPARE(outcomes[i].issueId, outcomes[0].issueId);
    }
    const auto issue = this->issue(outcomes[0].issueId);
    QVERIFY(issue);
    QCOMPARE(issue->count, 40);
    QCOMPARE(issue->firstSeenMs, 1'700'000'000'000);
    QCOMPARE(issue->lastSeenMs, 1'700'000'039'595);
    QCOMPARE(issue->level, QStringLiteral("fatal"));
    QCOMPARE(scalar("SELECT count(*) FROM issue_facets WHERE issue_id = ? AND key = 'release'", { issue->id }), 2);
}

void TestEventWriter::outcomeHandlerRunsOncePerEvent()
{
    // Two producers against a running writer, as the HTTP threads do: every
    // handler runs exactly once, also for events refused while shutting down.
    constexpr int perProducer = 1500;
    std::vector<std::atomic<int>> calls(2 * perProducer + 1);
    std::atomic<int> committed { 0 };
    EventWriter writer(m_path, WriterOptions { 100'000, 64 });
    QString error;
    QVERIFY2(writer.start(&error), qPrintable(error));
    auto produce = [&](int first) {
        for (int i = first; i < first + perProducer; ++i) {
            const auto handler = [&, i](const WriteOutcome &outcome) {
                ++calls[std::size_t(i)];
                if (outcome.committed)
                    ++committed;
            };
            QList<IncomingEvent> one { makeEvent(
                QStringLiteral("h%1").arg(i), QStringLiteral("fp"), QStringLiteral("T")) };
            QVERIFY(writer.enqueue(std::move(one), handler));
        }
    };
    std::thread other(produce, perProducer);
    produce(0);
    other.join();
    QTRY_COMPARE_WITH_TIMEOUT(committed.load(), 2 * perProducer, 20000);

    writer.stop();
    const std::size_t late = 2 * perProducer;
    QVERIFY(writer.enqueue({ makeEvent(QStringLiteral("late"), QStringLiteral("fp"), QStringLiteral("T")) },
        [&](const WriteOutcome &outcome) {
            ++calls[late];
            QVERIFY(!outcome.committed);
        }));
    for (std::size_t i = 0; i < calls.size(); ++i)
        QVERIFY2(calls[i] == 1, qPrintable(QStringLiteral("event %1: %2 calls").arg(i).arg(calls[i].load())));
}

void TestEventWriter::destructorDrainsTheQueue()
{
    OutcomeLatch latch(100);
    {
        EventWriter writer(m_path, WriterOptions { 1000, 7 });
        QVERIFY(writer.start(nullptr));
        for (int i = 0; i < 100; ++i)
            QVERIFY(writer.enqueue(
                { makeEvent(QString::number(i), QStringLiteral("fp%1").arg(i % 3), QStringLiteral("T")) },
                latch.handlerFor(i)));
    }
    // Every outcome came before the destructor returned.
    const std::optional<QList<WriteOutcome>> outcomes = latch.wait(std::chrono::milliseconds(0));
    QVERIFY(outcomes);
    for (const WriteOutcome &outcome : *outcomes)
        QVERIFY(outcome.committed);
    QCOMPARE(scalar("SELECT count(*) FROM events"), 100);
    QCOMPARE(scalar("SELECT sum(count) FROM issues"), 100);
}

void TestEventWriter::badEventDoesNotSinkItsBatch()
{
    // Project 999 does not exist: the foreign key refuses that event only.
    const auto outcomes = writeAll(m_path,
        { makeEvent(QStringLiteral("ok1"), QStringLiteral("fp"), QStringLiteral("A")),
            makeEvent(QStringLiteral("bad"), QStringLiteral("fp"), QStringLiteral("A"), 1'700'000'000'000, 999),
            makeEvent(QStringLiteral("ok2"), QStringLiteral("fp"), QStringLiteral("A")) },
        WriterOptions { 100, 100 });
    QCOMPARE(outcomes.size(), 3);
    QVERIFY(outcomes[0].committed);
    QVERIFY(!outcomes[1].committed);
    QVERIFY2(
        outcomes[1].error.contains(QLatin1String("foreign key"), Qt::CaseInsensitive), qPrintable(outcomes[1].error));
    QCOMPARE(outcomes[1].eventId, testEventId(QStringLiteral("bad")));
    QVERIFY(outcomes[2].committed);
    QCOMPARE(scalar("SELECT count(*) FROM events"), 2);
    QCOMPARE(scalar("SELECT count(*) FROM issues"), 1);
    QCOMPARE(scalar("SELECT count FROM issues"), 2);
}

void TestEventWriter::lockedDatabaseFailsTheWholeBatch()
{
    if (m_backend.isPostgres())
        QSKIP("a SQLite file's write lock; on PostgreSQL writers wait on row locks (tst_pg_batch_writer)");
    // Another process holds the write lock past the busy timeout (5 s).
    auto blocker = openOrFail(m_path);
    QVERIFY(execSql(blocker->handle(), "BEGIN IMMEDIATE"));
    EventWriter writer(m_path);
    QVERIFY(writer.start(nullptr));
    QList<IncomingEvent> events;
    for (int i = 0; i < 3; ++i)
        events.append(makeEvent(QString::number(i), QStringLiteral("fp"), QStringLiteral("T")));
    const std::optional<QList<WriteOutcome>> outcomes = writeAndWait(writer, events);
    QVERIFY(outcomes);
    for (const WriteOutcome &outcome : *outcomes) {
        QVERIFY(!outcome.committed);
        QVERIFY2(outcome.error.contains(QLatin1String("locked")), qPrintable(outcome.error));
    }
    QVERIFY(execSql(blocker->handle(), "ROLLBACK"));
    // The writer recovers once the lock is gone.
    const std::optional<QList<WriteOutcome>> later
        = writeAndWait(writer, { makeEvent(QStringLiteral("later"), QStringLiteral("fp"), QStringLiteral("T")) });
    QVERIFY(later);
    QVERIFY(later->first().committed);
    QCOMPARE(scalar("SELECT count(*) FROM events"), 1);
}

void TestEventWriter::discardedCountsAccumulate()
{
    {
        EventWriter writer(m_path);
        QVERIFY(writer.start(nullptr));
        writer.recordDiscarded(1, QStringLiteral("ratelimit_backoff"), QStringLiteral("error"), 3);
        writer.recordDiscarded(1, QStringLiteral("ratelimit_backoff"), QStringLiteral("error"), 4);
        writer.recordDiscarded(1, QStringLiteral("queue_overflow"), QStringLiteral("transaction"), 1);
    }
    {
        EventWriter writer(m_path);
        QVERIFY(writer.start(nullptr));
        writer.recordDiscarded(1, QStringLiteral("ratelimit_backoff"), QStringLiteral("error"), 10);
    }
    QString error;
    const auto counts = m_store->activity().discarded(&error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QCOMPARE(counts.size(), 2);
    QCOMPARE(counts[0].reason, QStringLiteral("queue_overflow"));
    QCOMPARE(counts[0].quantity, 1);
    QCOMPARE(counts[1].reason, QStringLiteral("ratelimit_backoff"));
    QCOMPARE(counts[1].category, QStringLiteral("error"));
    QCOMPARE(counts[1].quantity, 17);
}

void TestEventWriter::attachmentsAreStoredOnce()
{
    const QByteArray page = "<html><body>Server Error (500)</body></html>";
    auto a = makeEvent(QStringLiteral("a"), QStringLiteral("fp"), QStringLiteral("A"));
    auto b = makeEvent(QStringLiteral("b"), QStringLiteral("fp"), QStringLiteral("A"));
    a.attachments = { Attachment { QStringLiteral("500.html"), QStringLiteral("text/html"), QString(), page } };
    b.attachments = a.attachments;
    QVERIFY(writeAll(m_path, { a, b })[1].committed);
    QCOMPARE(scalar("SELECT count(*) FROM attachments"), 2);
    QCOMPARE(scalar("SELECT count(*) FROM attachment_blobs"), 1);
    const EventReader &events = m_store->events();
    const auto row = events.byEventId(testEventId(QStringLiteral("b")), 0, false);
    QVERIFY(row);
    QString error;
    const auto stored = events.pages(row->rowId, true, &error);
    QCOMPARE(stored.size(), 1);
    QCOMPARE(stored[0].filename, QStringLiteral("500.html"));
    QCOMPARE(stored[0].contentType, QStringLiteral("text/html"));
    QCOMPARE(stored[0].size, page.size());
    QCOMPARE(stored[0].data, page);
    QVERIFY(events.pages(row->rowId, false, &error)[0].data.isEmpty());
    QVERIFY2(error.isEmpty(), qPrintable(error));
}

void TestEventWriter::realFixtureRoundTrips()
{
    const IncomingEvent incoming = preparedFixture(QStringLiteral("python_rich_event_store"));
    const Event &event = incoming.event;
    QVERIFY(!event.eventId.isEmpty());
    const auto outcomes = writeAll(m_path, { incoming });
    QVERIFY(outcomes[0].committed);
    QCOMPARE(outcomes[0].eventId, event.eventId);

    const auto row = m_store->events().byEventId(event.eventId, 0, true);
    QVERIFY(row);
    QCOMPARE(row->title, incoming.issue.title);
    QCOMPARE(row->exceptionType, event.primaryException()->type);
    QCOMPARE(row->release, event.release);
    QCOMPARE(row->environment, event.environment);
    QVERIFY(!event.tags.isEmpty());
    QCOMPARE(scalar("SELECT count(*) FROM event_tags WHERE event_row = ?", { row->rowId }), event.tags.size());
    if (!m_backend.isPostgres()) // a reader of SQLite's alone, in order
        QCOMPARE(EventQueries(static_cast<SqliteBackend &>(*m_store).database()).tags(row->rowId), event.tags);
    const auto reparsed = parseEventJson(row->rawJson);
    QVERIFY(reparsed.ok());
    QCOMPARE(reparsed->eventId, event.eventId);
    QCOMPARE(reparsed->primaryException()->frames.size(), event.primaryException()->frames.size());
    // What preparation made of the event (scrubbed, amended) is what is stored.
    QCOMPARE(reparsed->raw,
        QJsonDocument::fromJson(decompressRaw(incoming.storedRaw.compressed, incoming.storedRaw.size)).object());
}

void TestEventWriter::levelIsTheMostSevereSeen()
{
    auto withLevel = [](const QString &id, const char *level) {
        return makeEvent(id, QStringLiteral("fp"), QStringLiteral("A"), 1'700'000'000'000, 1,
            [level](QJsonObject &json) { json.insert(QStringLiteral("level"), level); });
    };
    const IncomingEvent warning = withLevel(QStringLiteral("w"), "warning");
    const IncomingEvent fatal = withLevel(QStringLiteral("f"), "fatal");
    const IncomingEvent info = withLevel(QStringLiteral("i"), "info");
    const auto outcomes = writeAll(m_path, { warning, fatal, info });
    QCOMPARE(issue(outcomes[0].issueId)->level, QStringLiteral("fatal"));
}

void TestEventWriter::everyFrameIsSearchable()
{
    // Free text finds an event by any frame's function, module or file, not just the culprit's.
    QList<IncomingEvent> incoming;
    for (const QString &name : { QStringLiteral("python_exception_store"), QStringLiteral("django_request_store"),
             QStringLiteral("node_exception_envelope") })
        incoming.append(preparedFixture(name));
    const auto outcomes = writeAll(m_path, incoming);
    QCOMPARE(outcomes.size(), 3);
    for (const WriteOutcome &outcome : outcomes)
        QVERIFY(outcome.committed);

    const EventReader &events = m_store->events();
    auto found = [&events](const QString &text) {
        QStringList ids;
        QString error;
        for (const EventRow &row : events.search(parseQuery(text).value(), 0, 0, 0, false, &error))
            ids.append(row.eventId);
        if (!error.isEmpty())
            qWarning() << error;
        return ids;
    };
    const QString python = incoming.at(0).event.eventId;
    const QString django = incoming.at(1).event.eventId;
    const QString node = incoming.at(2).event.eventId;
    // "outer" is the middle frame of the ZeroDivisionError, not its culprit (inner_divide).
    QVERIFY(!incoming.at(0).issue.culprit.contains(QLatin1String("outer")));
    QCOMPARE(found(QStringLiteral("\"outer\"")), QStringList { python });
    // Unquoted, a word is a prefix: node's outerCall frame matches too.
    QStringList prefixed = found(QStringLiteral("outer"));
    prefixed.sort();
    QStringList both { python, node };
    both.sort();
    QCOMPARE(prefixed, both);
    // A library frame's module and file in the Django request (django.core.handlers.exception).
    QCOMPARE(found(QStringLiteral("django.core.handlers")), QStringList { django });
    QCOMPARE(found(QStringLiteral("\"handlers/exception.py\"")), QStringList { django });
    QVERIFY(found(QStringLiteral("executeUserEntryPoint")).contains(node));
    QVERIFY(found(QStringLiteral("no_frame_is_called_this")).isEmpty());
    QCOMPARE(scalar(QStringLiteral("SELECT count(*) FROM events WHERE frames <> ''")), 3);
    // A module the file already says is not stored twice; the file finds it (above).
    const QStringList djangoValues
        = m_backend.text(m_path, QStringLiteral("SELECT frames FROM events WHERE event_id = ?"), { django })
              .split(u'\n');
    QVERIFY(djangoValues.contains(QStringLiteral("django/core/handlers/exception.py")));
    QVERIFY(!djangoValues.contains(QStringLiteral("django.core.handlers.exception")));
    QCOMPARE(djangoValues.count(QStringLiteral("app.py")), 1); // two frames in app.py: once
}

QTEST_GUILESS_MAIN(TestEventWriter)
#include "tst_event_writer.moc"
