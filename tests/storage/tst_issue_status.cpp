// The triage conditions (storage/issue_status.h) on real event sequences: a
// captured Python SDK event, sent again and again through the EventWriter with
// the release and the time each test needs, and the issue read back. Through
// IssueReader and IssueStatusChanger, on both backends (test_backend.h).
#include "storage_test_helpers.h"
#include "test_backend.h"

#include "model/query/query_parser.h"
#include "storage/issue_status.h"
#include "storage/store_readers.h"
#include "support/fixture_events.h"

#include <QTest>

using namespace faultline;
using namespace faultline::test;

namespace {

constexpr qint64 kT0 = 1'760'000'000'000; // a fixed "now" for each sequence
constexpr qint64 kMinute = 60'000;
constexpr qint64 kHour = 60 * kMinute;

} // namespace

class TestIssueStatus : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void resolveInNextRelease();
    void ignoreForADuration();
    void ignoreUntilMoreEvents();
    void ignoreUntilItEscalates();
    void undoPutsEverythingBack();
    void forReviewIsNewRegressedOrEscalating();
    void unhandledIsMarked();

private:
    // The fixture's event as sent by the Python SDK, at `receivedMs`, from `release`.
    // An occurrence of `fixture`'s error, keyed by `fingerprint` (default: the ZeroDivisionError's).
    IncomingEvent event(qint64 receivedMs, const QString &release = QString(), const QString &fingerprint = {},
        const QString &fixture = QStringLiteral("python_exception_store"));
    QList<WriteOutcome> send(const QList<IncomingEvent> &events) { return writeAll(m_path, events); }
    IssueRow issue(qint64 id, qint64 nowMs = kT0);
    qint64 countMatching(const QString &query, qint64 nowMs);
    int change(qint64 id, StatusChange change, qint64 nowMs, QList<IssueStatusState> *before = nullptr);

    TestBackend m_backend;
    QString m_path;
    std::unique_ptr<StorageBackend> m_store;
    int m_sequence = 0;
};

void TestIssueStatus::initTestCase() { QVERIFY2(m_backend.start(), qPrintable(m_backend.error())); }

void TestIssueStatus::init()
{
    m_store.reset();
    m_path = m_backend.freshDatabase(QStringLiteral("status_%1").arg(QTest::currentTestFunction()));
    QVERIFY2(!m_path.isEmpty(), qPrintable(m_backend.error()));
    m_store = m_backend.open(m_path);
    QVERIFY(m_store);
    QCOMPARE(m_backend.scalar(m_path, QStringLiteral("SELECT count(*) FROM projects WHERE id = 1")),
        1); // the default project
}

IncomingEvent TestIssueStatus::event(
    qint64 receivedMs, const QString &release, const QString &fingerprint, const QString &fixture)
{
    QJsonObject json = fixtureEventJson(fixture);
    json.insert(QStringLiteral("event_id"), QStringLiteral("%1").arg(++m_sequence, 32, 16, QLatin1Char('0')));
    json.insert(QStringLiteral("release"), release);
    IncomingEvent incoming = preparedEvent(json, receivedMs);
    incoming.issue.fingerprint = fingerprint.isEmpty() ? QStringLiteral("zero-division") : fingerprint;
    return incoming;
}

IssueRow TestIssueStatus::issue(qint64 id, qint64 nowMs)
{
    IssueListRequest request;
    request.nowMs = nowMs;
    request.limit = 0;
    QString error;
    for (const IssueRow &row : m_store->issues().list(request, &error))
        if (row.id == id)
            return row;
    if (!error.isEmpty())
        qWarning() << error;
    return {};
}

qint64 TestIssueStatus::countMatching(const QString &query, qint64 nowMs)
{
    const auto parsed = parseQuery(query);
    QString error;
    const qint64 count = parsed.ok() ? m_store->issues().count(parsed.value(), nowMs, &error) : -1;
    if (!error.isEmpty())
        qWarning() << error;
    return count;
}

int TestIssueStatus::change(qint64 id, StatusChange change, qint64 nowMs, QList<IssueStatusState> *before)
{
    QString error;
    const int changed = m_store->statuses().apply({ id }, change, nowMs, before, &error);
    if (changed < 0)
        qWarning() << error;
    return changed;
}

void TestIssueStatus::resolveInNextRelease()
{
    const auto first = send({ event(kT0 - 2 * kHour, QStringLiteral("api@1.9.0")),
        event(kT0 - kHour, QStringLiteral("api@1.10.0")), event(kT0 - 30 * kMinute, QStringLiteral("api@1.9.0")) });
    QCOMPARE(first.size(), 3);
    const qint64 id = first.first().issueId;
    StatusChange next { IssueStatus::Resolved, StatusChange::Until::NextRelease, 0, 0 };
    QCOMPARE(change(id, next, kT0), 1);
    IssueRow row = issue(id);
    QCOMPARE(row.status, QStringLiteral("resolved"));
    QCOMPARE(row.resolvedAfterRelease, QStringLiteral("api@1.10.0")); // newest by version, not the latest event's
    QCOMPARE(statusDetail(row, kT0), QStringLiteral("resolved in the next release (after api@1.10.0)"));

    // The release it was resolved in, an older one, or none: still resolved, no regression.
    const auto same = send({ event(kT0 + kMinute, QStringLiteral("api@1.10.0")),
        event(kT0 + 2 * kMinute, QStringLiteral("api@1.9.0")), event(kT0 + 3 * kMinute) });
    for (const WriteOutcome &outcome : same)
        QVERIFY(!outcome.regression);
    QCOMPARE(issue(id).status, QStringLiteral("resolved"));
    QCOMPARE(issue(id).count, 6);

    // A newer release: that event is a regression.
    const auto newer = send({ event(kT0 + 4 * kMinute, QStringLiteral("api@1.10.1-rc1")) });
    QVERIFY(newer.first().regression);
    row = issue(id);
    QCOMPARE(row.status, QStringLiteral("unresolved"));
    QVERIFY(row.regressed);
    QCOMPARE(row.substatus, QString());
    QCOMPARE(row.resolvedAfterRelease, QString());
    QCOMPARE(countMatching(QStringLiteral("is:regressed"), kT0), 1);

    // A plain resolve regresses on any event, as before.
    QCOMPARE(change(id, { IssueStatus::Resolved, StatusChange::Until::Forever, 0, 0 }, kT0), 1);
    QVERIFY(send({ event(kT0 + 5 * kMinute, QStringLiteral("api@1.9.0")) }).first().regression);
}

void TestIssueStatus::ignoreForADuration()
{
    const qint64 id = send({ event(kT0 - kHour) }).first().issueId;
    QCOMPARE(change(id, { IssueStatus::Ignored, StatusChange::Until::Duration, kHour, 0 }, kT0), 1);
    QCOMPARE(issue(id).substatus, QStringLiteral("for"));
    QCOMPARE(issue(id).ignoreUntilMs, kT0 + kHour);

    // An event within the hour leaves it ignored.
    send({ event(kT0 + 30 * kMinute) });
    QCOMPARE(issue(id, kT0 + 31 * kMinute).status, QStringLiteral("ignored"));
    QCOMPARE(countMatching(QStringLiteral("is:ignored"), kT0 + 31 * kMinute), 1);
    QCOMPARE(countMatching(QStringLiteral("is:unresolved"), kT0 + 31 * kMinute), 0);

    // Once the hour is up it reads unresolved, before any event says so.
    QCOMPARE(issue(id, kT0 + 2 * kHour).status, QStringLiteral("unresolved"));
    QCOMPARE(countMatching(QStringLiteral("is:ignored"), kT0 + 2 * kHour), 0);
    QCOMPARE(countMatching(QStringLiteral("is:unresolved"), kT0 + 2 * kHour), 1);

    // The next event writes it down.
    const auto late = send({ event(kT0 + 2 * kHour) });
    QVERIFY(!late.first().regression);
    QCOMPARE(m_backend.scalar(m_path,
                 QStringLiteral("SELECT CASE WHEN status = 'unresolved' AND substatus = '' AND ignore_until_ms = 0 "
                                "THEN 1 ELSE 0 END FROM issues WHERE id = ?"),
                 { id }),
        1);
}

void TestIssueStatus::ignoreUntilMoreEvents()
{
    const qint64 id = send({ event(kT0 - 2 * kMinute), event(kT0 - kMinute) }).first().issueId;
    QCOMPARE(change(id, { IssueStatus::Ignored, StatusChange::Until::Events, 0, 3 }, kT0), 1);
    QCOMPARE(issue(id).ignoreUntilCount, 5);
    QCOMPARE(statusDetail(issue(id), kT0), QStringLiteral("ignored until 3 more events"));
    send({ event(kT0 + kMinute), event(kT0 + 2 * kMinute) }); // one batch of two: still two short of…
    QCOMPARE(issue(id).status, QStringLiteral("ignored"));
    QCOMPARE(statusDetail(issue(id), kT0), QStringLiteral("ignored until 1 more event"));
    send({ event(kT0 + 3 * kMinute) }); // …the third
    QCOMPARE(issue(id).status, QStringLiteral("unresolved"));
    QCOMPARE(issue(id).count, 5);
    QVERIFY(!issue(id).regressed);
}

void TestIssueStatus::ignoreUntilItEscalates()
{
    // The week before: a busy hour of 3 events a day ago, 1 event two days ago.
    QList<IncomingEvent> history { event(kT0 - 48 * kHour) };
    for (int i = 0; i < 3; ++i)
        history.append(event(kT0 - 24 * kHour + (i + 1) * 10 * kMinute)); // one hour-bucket
    const qint64 id = send(history).first().issueId;
    QCOMPARE(change(id, { IssueStatus::Ignored, StatusChange::Until::Escalating, 0, 0 }, kT0), 1);
    QCOMPARE(issue(id).ignoreBaseline, 3);

    // Three events in an hour: as busy as the baseline, not more.
    send({ event(kT0 + kHour), event(kT0 + kHour + 10 * kMinute), event(kT0 + kHour + 20 * kMinute) });
    QCOMPARE(issue(id).status, QStringLiteral("ignored"));
    // Spread out, many more do not escalate either.
    send({ event(kT0 + 4 * kHour), event(kT0 + 6 * kHour), event(kT0 + 8 * kHour) });
    QCOMPARE(issue(id).status, QStringLiteral("ignored"));
    // A fourth within the hour does, and the batch says so (desktop notifications about escalations).
    const QList<WriteOutcome> escalated = send({ event(kT0 + 8 * kHour + kMinute), event(kT0 + 8 * kHour + 2 * kMinute),
        event(kT0 + 8 * kHour + 3 * kMinute) });
    QCOMPARE(escalated.size(), 3);
    QVERIFY(!escalated.at(0).escalation);
    QVERIFY(!escalated.at(1).escalation);
    QVERIFY(escalated.at(2).escalation); // the fourth in an hour
    const IssueRow row = issue(id, kT0 + 9 * kHour);
    QCOMPARE(row.status, QStringLiteral("unresolved"));
    QCOMPARE(row.substatus, QStringLiteral("escalating"));
    QCOMPARE(statusDetail(row, kT0 + 9 * kHour), QStringLiteral("escalating"));
    QCOMPARE(countMatching(QStringLiteral("is:for_review"), kT0 + 30 * 24 * kHour), 1); // escalating, though old
}

void TestIssueStatus::undoPutsEverythingBack()
{
    const qint64 id = send({ event(kT0 - kMinute, QStringLiteral("1.0")) }).first().issueId;
    QCOMPARE(change(id, { IssueStatus::Ignored, StatusChange::Until::Events, 0, 10 }, kT0), 1);
    QList<IssueStatusState> before;
    QCOMPARE(change(id, { IssueStatus::Resolved, StatusChange::Until::NextRelease, 0, 0 }, kT0, &before), 1);
    QCOMPARE(before.size(), 1);
    QCOMPARE(before.first().status, QStringLiteral("ignored"));
    QCOMPARE(issue(id).status, QStringLiteral("resolved"));
    QString error;
    QCOMPARE(m_store->statuses().restore(before, &error), 1);
    const IssueRow row = issue(id);
    QCOMPARE(row.status, QStringLiteral("ignored"));
    QCOMPARE(row.substatus, QStringLiteral("until_events"));
    QCOMPARE(row.ignoreUntilCount, 11);
    QCOMPARE(row.resolvedAfterRelease, QString());
    // Asking for what it already is changes nothing, so there is nothing to undo.
    QList<IssueStatusState> none;
    QCOMPARE(change(id, { IssueStatus::Unresolved, {}, 0, 0 }, kT0, &none), 1);
    none.clear();
    QCOMPARE(change(id, { IssueStatus::Unresolved, {}, 0, 0 }, kT0, &none), 0);
    QVERIFY(none.isEmpty());
}

void TestIssueStatus::forReviewIsNewRegressedOrEscalating()
{
    const qint64 old = send({ event(kT0 - 10 * 24 * kHour, {}, QStringLiteral("old")) }).first().issueId;
    const qint64 fresh = send({ event(kT0 - 24 * kHour, {}, QStringLiteral("fresh")) }).first().issueId;
    const qint64 oldResolved
        = send({ event(kT0 - 9 * 24 * kHour, {}, QStringLiteral("old-resolved")) }).first().issueId;
    QVERIFY(old != fresh && fresh != oldResolved);
    QCOMPARE(countMatching(QStringLiteral("is:for_review"), kT0), 1); // only the new one
    QCOMPARE(change(oldResolved, { IssueStatus::Resolved, {}, 0, 0 }, kT0), 1);
    send({ event(kT0, {}, QStringLiteral("old-resolved")) }); // regresses
    QCOMPARE(countMatching(QStringLiteral("is:for_review"), kT0), 2);
    QCOMPARE(change(fresh, { IssueStatus::Ignored, {}, 0, 0 }, kT0), 1); // ignored: not for review
    QCOMPARE(countMatching(QStringLiteral("is:for_review"), kT0), 1);
    QCOMPARE(countMatching(QStringLiteral("!is:for_review"), kT0), 2);
}

void TestIssueStatus::unhandledIsMarked()
{
    const qint64 handled = send({ event(kT0) }).first().issueId;
    QVERIFY(!issue(handled).unhandled);
    const QString excepthook = QStringLiteral("python_unhandled_excepthook_store");
    const IncomingEvent crash = event(kT0 + kMinute, {}, QStringLiteral("crash"), excepthook);
    const qint64 unhandled = send({ crash }).first().issueId;
    QVERIFY(issue(unhandled).unhandled);
    // An existing issue becomes unhandled with its first unhandled event.
    send({ event(kT0 + kMinute, {}, QStringLiteral("zero-division"), excepthook) });
    QVERIFY(issue(handled).unhandled);
}

QTEST_GUILESS_MAIN(TestIssueStatus)
#include "tst_issue_status.moc"
