// Pages ("what the user saw"): the HTML attachments of events, per event and
// grouped per project by status code and shape (variants inside), over a real
// database written by the real EventWriter (including the captured 500.html
// envelope and the example service's real 500 template). Read through the
// backend-neutral readers, on both backends (test_backend.h).
#include "storage_test_helpers.h"
#include "test_backend.h"

#include "model/envelope.h"
#include "model/grouping.h"
#include "storage/page_queries.h"
#include "storage/project_store.h"
#include "storage/store_readers.h"
#include "support/example_pages.h"
#include "support/fixture_events.h"
#include "support/fixtures.h"

#include <QCryptographicHash>

using namespace faultline;
using namespace faultline::test;

namespace {

const QByteArray kOutage = "<html><body><h1>Something went wrong</h1></body></html>";
const QByteArray kGateway = "<html><body><h1>Bad gateway</h1></body></html>";
constexpr qint64 kBase = 1'700'000'000'000;

QString sha256(const QByteArray &data)
{
    return QString::fromLatin1(QCryptographicHash::hash(data, QCryptographicHash::Sha256).toHex());
}

Attachment page(const QString &filename, const QString &contentType, const QByteArray &data)
{
    return Attachment { filename, contentType, QString(), data };
}

IncomingEvent withPages(
    IncomingEvent incoming, const QList<Attachment> &attachments, const QString &release = {}, int httpStatus = 0)
{
    incoming = changed(incoming, [&](QJsonObject &json) {
        if (!release.isEmpty())
            json.insert(QStringLiteral("release"), release);
        if (httpStatus > 0)
            json.insert(QStringLiteral("http_status"), httpStatus);
    });
    incoming.attachments = attachments;
    return incoming;
}

} // namespace

class TestPageQueries : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void statusAndPageRules();
    void pagesOfAnEvent();
    void distinctPagesGroupByStatusAndHash();
    void projectFilter();
    void realEnvelopeAttachment();
    void renderingsOfOneTemplateAreOnePage();

private:
    QList<DistinctPage> distinctPages(qint64 projectId);

    TestBackend m_backend;
    QString m_path;
    std::unique_ptr<StorageBackend> m_store;
    qint64 m_otherProject = 0;
    QList<WriteOutcome> m_outcomes;
};

void TestPageQueries::initTestCase() { QVERIFY2(m_backend.start(), qPrintable(m_backend.error())); }

QList<DistinctPage> TestPageQueries::distinctPages(qint64 projectId)
{
    QString error;
    const QList<DistinctPage> pages = m_store->pages().distinctPages(projectId, &error);
    if (!error.isEmpty())
        qWarning() << error;
    return pages;
}

void TestPageQueries::init()
{
    m_store.reset();
    m_path = m_backend.freshDatabase(QStringLiteral("pages_%1").arg(QTest::currentTestFunction()));
    QVERIFY2(!m_path.isEmpty(), qPrintable(m_backend.error()));
    m_store = m_backend.open(m_path);
    QVERIFY(m_store);
    m_otherProject = m_store->projects().add(QStringLiteral("billing"))->id;
    QVERIFY(m_otherProject > 1);
    const QList<IncomingEvent> events {
        // e1: the outage page plus a log file (not a page), release 1.0.
        withPages(makeEvent(QStringLiteral("e1"), QStringLiteral("fp-a"), QStringLiteral("Boom A"), kBase),
            { page(QStringLiteral("500.html"), QStringLiteral("text/html"), kOutage),
                page(QStringLiteral("server.log"), QStringLiteral("text/plain"), "log line") },
            QStringLiteral("1.0")),
        // e2: the same bytes for another issue and release, later.
        withPages(makeEvent(QStringLiteral("e2"), QStringLiteral("fp-b"), QStringLiteral("Boom B"), kBase + 60'000),
            { page(QStringLiteral("500.html"), QStringLiteral("text/html"), kOutage) }, QStringLiteral("1.1")),
        // e3: no status in the name: the event's own status counts; no content type, named .htm.
        withPages(makeEvent(QStringLiteral("e3"), QStringLiteral("fp-a"), QStringLiteral("Boom A"), kBase + 120'000),
            { page(QStringLiteral("error.htm"), QString(), kGateway) }, QString(), 502),
        // e4: the outage bytes again, but served as a 503 (content type with charset, no .html).
        withPages(makeEvent(QStringLiteral("e4"), QStringLiteral("fp-a"), QStringLiteral("Boom A"), kBase + 180'000),
            { page(QStringLiteral("page"), QStringLiteral("Text/HTML; charset=utf-8"), kOutage) }, QString(), 503),
        // e5: another project.
        withPages(makeEvent(QStringLiteral("e5"), QStringLiteral("fp-c"), QStringLiteral("Billing down"),
                      kBase + 240'000, m_otherProject),
            { page(QStringLiteral("500.html"), QStringLiteral("text/html"), kOutage) }),
    };
    m_outcomes = writeAll(m_path, events);
    QCOMPARE(m_outcomes.size(), events.size());
    for (const WriteOutcome &outcome : std::as_const(m_outcomes))
        QVERIFY2(outcome.committed, qPrintable(outcome.error));
}

void TestPageQueries::statusAndPageRules()
{
    QCOMPARE(PageQueries::statusCodeOf(QStringLiteral("500.html"), 0), 500);
    QCOMPARE(PageQueries::statusCodeOf(QStringLiteral("404.HTM"), 500), 404);
    QCOMPARE(PageQueries::statusCodeOf(QStringLiteral("page.html"), 502), 502);
    QCOMPARE(PageQueries::statusCodeOf(QStringLiteral("5000.html"), 0), 0);
    QCOMPARE(PageQueries::statusCodeOf(QStringLiteral("error-500.html"), 0), 0);
    QVERIFY(PageQueries::isPage(QStringLiteral("x"), QStringLiteral("text/html")));
    QVERIFY(PageQueries::isPage(QStringLiteral("x"), QStringLiteral(" text/html; charset=utf-8")));
    QVERIFY(PageQueries::isPage(QStringLiteral("500.HTML"), QString()));
    QVERIFY(!PageQueries::isPage(QStringLiteral("server.log"), QStringLiteral("text/plain")));
    QVERIFY(!PageQueries::isPage(QStringLiteral("x"), QStringLiteral("text/htmlx")));
}

void TestPageQueries::pagesOfAnEvent()
{
    const EventReader &events = m_store->events();
    const auto row = events.byEventId(testEventId(QStringLiteral("e1")), 1, false);
    QVERIFY(row);
    QString error;
    const QList<EventPage> pages = events.pages(row->rowId, false, &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QCOMPARE(pages.size(), 1); // the log file is not a page
    QCOMPARE(pages[0].filename, QStringLiteral("500.html"));
    QCOMPARE(pages[0].statusCode, 500);
    QCOMPARE(pages[0].size, kOutage.size());
    QCOMPARE(pages[0].sha256, sha256(kOutage));
    QVERIFY(pages[0].data.isEmpty());
    QCOMPARE(events.pages(row->rowId, true, &error).value(0).data, kOutage);
    QCOMPARE(*m_store->pages().data(sha256(kOutage)), kOutage);
    QCOMPARE(m_store->pages().data(QStringLiteral("no-such-hash")).error().kind, StorageError::Kind::NotFound);

    const auto e3 = events.byEventId(testEventId(QStringLiteral("e3")), 1, false);
    QVERIFY(e3);
    QCOMPARE(events.pages(e3->rowId, false, &error).value(0).statusCode, 502);
    QVERIFY2(error.isEmpty(), qPrintable(error));
}

void TestPageQueries::distinctPagesGroupByStatusAndHash()
{
    const QList<DistinctPage> pages = distinctPages(1);
    // (503, outage) from e4, (502, gateway) from e3, (500, outage) from e1+e2: newest first.
    QCOMPARE(pages.size(), 3);
    QCOMPARE(pages[0].statusCode, 503);
    QCOMPARE(pages[0].sha256, sha256(kOutage));
    QCOMPARE(pages[0].filename, QStringLiteral("page"));
    QCOMPARE(pages[1].statusCode, 502);
    QCOMPARE(pages[1].sha256, sha256(kGateway));
    QCOMPARE(pages[1].filename, QStringLiteral("error.htm"));

    const DistinctPage &outage = pages[2];
    QCOMPARE(outage.projectId, 1);
    QCOMPARE(outage.statusCode, 500);
    QCOMPARE(outage.sha256, sha256(kOutage));
    QCOMPARE(outage.size, kOutage.size());
    QCOMPARE(outage.filename, QStringLiteral("500.html"));
    QCOMPARE(outage.contentType, QStringLiteral("text/html"));
    QCOMPARE(outage.events, 2);
    QCOMPARE(outage.firstSeenMs, kBase);
    QCOMPARE(outage.lastSeenMs, kBase + 60'000);
    QList<qint64> issues { m_outcomes[0].issueId, m_outcomes[1].issueId };
    std::sort(issues.begin(), issues.end());
    QCOMPARE(outage.issueIds, issues);
    QCOMPARE(outage.issueTitles.size(), 2);
    QVERIFY(outage.issueTitles.contains(QStringLiteral("Boom A")));
    QVERIFY(outage.issueTitles.contains(QStringLiteral("Boom B")));
    QCOMPARE(outage.releases, (QStringList { QStringLiteral("1.0"), QStringLiteral("1.1") }));
    QVERIFY(pages[1].releases.isEmpty()); // empty releases are not listed
}

void TestPageQueries::projectFilter()
{
    const QList<DistinctPage> billing = distinctPages(m_otherProject);
    QCOMPARE(billing.size(), 1);
    QCOMPARE(billing[0].projectId, m_otherProject);
    QCOMPARE(billing[0].issueTitles, QStringList { QStringLiteral("Billing down") });
    // Same bytes in two projects stay two rows.
    QCOMPARE(distinctPages(0).size(), 4);
    QVERIFY(distinctPages(9999).isEmpty());
}

void TestPageQueries::realEnvelopeAttachment()
{
    const auto envelope = parseEnvelope(fixtureBody(QStringLiteral("attachment_html_envelope")));
    QVERIFY(envelope);
    QList<Attachment> attachments;
    for (const EnvelopeItem &item : envelope->items)
        if (item.type == QLatin1String("attachment"))
            attachments.append(Attachment { item.header.value(QLatin1String("filename")).toString(),
                item.header.value(QLatin1String("content_type")).toString(),
                item.header.value(QLatin1String("attachment_type")).toString(), item.payload });
    QCOMPARE(attachments.size(), 1);
    IncomingEvent incoming
        = preparedEvent(fixtureEventJson(QStringLiteral("attachment_html_envelope")), kBase + 300'000, m_otherProject);
    incoming.attachments = attachments;
    const QList<WriteOutcome> outcomes = writeAll(m_path, { incoming });
    QVERIFY(!outcomes.isEmpty() && outcomes[0].committed);

    const QList<DistinctPage> pages = distinctPages(m_otherProject);
    QCOMPARE(pages.size(), 2);
    const DistinctPage &real = pages[0]; // newest
    QCOMPARE(real.statusCode, 500);
    QCOMPARE(real.filename, QStringLiteral("500.html"));
    QCOMPARE(real.sha256, sha256(attachments[0].data));
    QCOMPARE(real.issueTitles, QStringList { incoming.issue.title });
    QVERIFY(m_store->pages().data(real.sha256)->contains("<h1>500</h1>"));
}

void TestPageQueries::renderingsOfOneTemplateAreOnePage()
{
    // Every request renders its own id and time into the page: the bytes never repeat.
    const QByteArray first
        = exampleServicePage(QStringLiteral("500.html"), QStringLiteral("7c1e0f9a2b4d4e6f8a0b1c2d3e4f5a6b"),
            QStringLiteral("/reports/average"), QStringLiteral("2026-11-25 22:42:36 UTC"));
    const QByteArray second
        = exampleServicePage(QStringLiteral("500.html"), QStringLiteral("0d3b9e11c5a84f02b7e6a9c1d2f3e4a5"),
            QStringLiteral("/reports/average"), QStringLiteral("2026-11-25 22:43:01 UTC"));
    const QByteArray export500
        = exampleServicePage(QStringLiteral("500.html"), QStringLiteral("5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b"),
            QStringLiteral("/orders/export"), QStringLiteral("2026-11-25 22:44:10 UTC"));
    QVERIFY(!first.isEmpty() && first != second);
    const QString html = QStringLiteral("text/html");
    const QList<WriteOutcome> outcomes = writeAll(m_path,
        { withPages(makeEvent(QStringLiteral("r1"), QStringLiteral("fp-r"), QStringLiteral("Report"), kBase + 500'000),
              { page(QStringLiteral("500.html"), html, first) }, QStringLiteral("2.0")),
            withPages(
                makeEvent(QStringLiteral("r2"), QStringLiteral("fp-r"), QStringLiteral("Report"), kBase + 510'000),
                { page(QStringLiteral("500.html"), html, second) }, QStringLiteral("2.1")),
            withPages(
                makeEvent(QStringLiteral("r3"), QStringLiteral("fp-s"), QStringLiteral("Report 2"), kBase + 520'000),
                { page(QStringLiteral("500.html"), html, second) }),
            withPages(
                makeEvent(QStringLiteral("x1"), QStringLiteral("fp-x"), QStringLiteral("Export"), kBase + 530'000),
                { page(QStringLiteral("500.html"), html, export500) }) });
    QCOMPARE(outcomes.size(), 4);

    const QList<DistinctPage> pages = distinctPages(1);
    // The export page says another path: a page of its own, the newest.
    QCOMPARE(pages.size(), 5);
    QCOMPARE(pages[0].sha256, sha256(export500));
    QCOMPARE(pages[0].variants.size(), 1);

    const DistinctPage &report = pages[1];
    QCOMPARE(report.statusCode, 500);
    QCOMPARE(report.events, 3);
    QCOMPARE(report.sha256, sha256(second)); // the newest rendering is the one shown
    QCOMPARE(report.size, second.size());
    QCOMPARE(report.firstSeenMs, kBase + 500'000);
    QCOMPARE(report.lastSeenMs, kBase + 520'000);
    QCOMPARE(report.variants.size(), 2);
    QCOMPARE(report.variants[0].sha256, sha256(second));
    QCOMPARE(report.variants[0].events, 2);
    QCOMPARE(report.variants[0].lastSeenMs, kBase + 520'000);
    QCOMPARE(report.variants[1].sha256, sha256(first));
    QCOMPARE(report.variants[1].events, 1);
    QCOMPARE(report.issueIds.size(), 2);
    QCOMPARE(report.releases, (QStringList { QStringLiteral("2.0"), QStringLiteral("2.1") }));
    QVERIFY(report.shape != report.sha256);
    QCOMPARE(*m_store->pages().data(report.variants[1].sha256), first);
    // Pages without per-request values are unchanged: one variant each.
    QCOMPARE(pages[4].variants.size(), 1);
    QCOMPARE(pages[4].variants[0].sha256, sha256(kOutage));
}

QTEST_GUILESS_MAIN(TestPageQueries)
#include "tst_page_queries.moc"
