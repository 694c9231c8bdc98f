// Issue 17: every kind of refusal, produced by a real request to a real
// collector, shows in the dropped-events view with its count and its last
// example (size, peer, the exact answer, the body's first bytes only), and
// what an SDK reported in a client_report shows beside them.
#include "screenshots.h"
#include "settle_layouts.h"
#include "storage/storage_gateway.h"
#include "support/collector/running_collector.h"
#include "support/fixture_replay.h"
#include "support/fixtures.h"
#include "support/http_client.h"
#include "support/prepared_events.h"
#include "ui/app_settings.h"
#include "ui/dropped_events_view.h"
#include "ui/triage/dropped_events_model.h"

#include <QApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSignalSpy>
#include <QTableView>
#include <QTest>

using namespace faultline;
using namespace faultline::test;

namespace {

const QByteArray kWrongKey = "0123456789abcdef0123456789abcdef";

// What a refusal answered, to find it again in the view.
struct Refusal {
    RawResponse response;
    qint64 bodySize = 0;
    QByteArray body;
};

} // namespace

class TestDroppedEvents : public QObject {
    Q_OBJECT

    RunningCollector m_server;
    Project m_project;
    QHash<QString, Refusal> m_sent; // by reason

    HeaderList auth() const { return { { "X-Sentry-Auth", m_server.sentryAuth() } }; }
    QByteArray storePath() const { return m_server.storePath(); }

    std::unique_ptr<Collector> startCollector(EventWriter &writer)
    {
        CollectorOptions options;
        options.http.port = 0;
        auto collector = std::make_unique<Collector>(options, m_server.dbPath(), writer);
        QString error;
        if (!collector->start(&error)) {
            qWarning() << "collector did not start:" << error;
            return nullptr;
        }
        return collector;
    }

    Refusal postStore(quint16 port, const HeaderList &headers, const QByteArray &body)
    {
        return Refusal { post(port, storePath(), headers, body), body.size(), body };
    }

    const DropSummary *rowFor(const DroppedEventsModel &model, const QString &reason) const
    {
        for (int row = 0; row < model.rowCount(); ++row)
            if (model.index(row, 0).data(DroppedEventsModel::ReasonKeyRole).toString() == reason)
                return model.summaryAt(row);
        return nullptr;
    }

private slots:
    void initTestCase()
    {
        QString error;
        QVERIFY2(m_server.start({}, &error), qPrintable(error));
        m_project = m_server.project();
    }

    void cleanupTestCase() { m_server.stop(); }

    void eachRefusalKindIsProducedByARealRequest()
    {
        const quint16 port = m_server.collector().port();
        const QByteArray exception = fixtureBody(QStringLiteral("python_exception_store"));
        const QByteArray message = fixtureBody(QStringLiteral("python_message_store"));
        QVERIFY(!exception.isEmpty() && !message.isEmpty());

        // invalid: the captured event with its frames made something that is not a list.
        QJsonObject broken = QJsonDocument::fromJson(exception).object();
        QJsonObject values = broken.value("exception").toObject();
        QJsonArray list = values.value("values").toArray();
        QJsonObject last = list.last().toObject();
        QJsonObject stack = last.value("stacktrace").toObject();
        stack["frames"] = QStringLiteral("nope");
        last["stacktrace"] = stack;
        list[list.size() - 1] = last;
        values["values"] = list;
        broken["exception"] = values;
        m_sent["invalid"] = postStore(port, auth(), QJsonDocument(broken).toJson(QJsonDocument::Compact));
        QCOMPARE(m_sent["invalid"].response.status, 400);

        // too_large: the captured message padded past the 1 MiB event limit.
        QJsonObject huge = QJsonDocument::fromJson(message).object();
        huge["message"] = QString(1100 * 1024, u'x');
        m_sent["too_large"] = postStore(port, auth(), QJsonDocument(huge).toJson(QJsonDocument::Compact));
        QCOMPARE(m_sent["too_large"].response.status, 413);

        // unparseable: JSON sent as if gzip-compressed.
        m_sent["unparseable"] = postStore(port, auth() + HeaderList { { "Content-Encoding", "gzip" } }, message);
        QCOMPARE(m_sent["unparseable"].response.status, 400);

        // wrong_key: the captured request with a key the project does not have.
        const RawResponse wrongKey
            = replay(port, QStringLiteral("python_exception_store"), m_project.id, QString::fromLatin1(kWrongKey));
        QCOMPARE(wrongKey.status, 403);
        m_sent["wrong_key"] = Refusal { wrongKey, -1, {} };

        // rate_limited: the project's limit of one event a minute, and a second event.
        m_server.collector().setProjectRateLimit(m_project.id, 1);
        QCOMPARE(replay(port, QStringLiteral("python_message_store"), m_project.id, m_project.publicKey).status, 200);
        m_sent["rate_limited"] = postStore(port, auth(), message);
        m_server.collector().setProjectRateLimit(m_project.id, 0);
        QCOMPARE(m_sent["rate_limited"].response.status, 429);

        // queue_full: a writer that never drains, its queue of one taken.
        {
            EventWriter stalled(m_server.dbPath(), WriterOptions { 1, 1 });
            auto saturated = startCollector(stalled);
            QVERIFY(saturated);
            QVERIFY(stalled.enqueue({ preparedEvent(QJsonObject { { "message", "queued" } }, 1'700'000'000'000) }, {}));
            m_sent["queue_full"] = postStore(saturated->port(), auth(), message);
            QCOMPARE(m_sent["queue_full"].response.status, 429);
            QString error;
            QVERIFY2(saturated->flushDropLog(&error), qPrintable(error));
        }

        // What the SDK said it dropped: the captured client report.
        QCOMPARE(
            replay(port, QStringLiteral("python_client_report_envelope"), m_project.id, m_project.publicKey).status,
            200);
        QString error;
        QVERIFY2(m_server.collector().flushDropLog(&error), qPrintable(error));
    }

    void theViewListsEachKindWithItsLastExample()
    {
        StorageGateway storage(m_server.dbPath());
        DroppedEventsView view(storage);
        const DroppedEventsModel &model = *view.model();
        // The client report reaches the database with the writer's next commit.
        QTRY_VERIFY_WITH_TIMEOUT((view.refresh(), rowFor(model, QStringLiteral("client:sample_rate"))), 5000);

        for (auto sent = m_sent.cbegin(); sent != m_sent.cend(); ++sent) {
            const DropSummary *row = rowFor(model, sent.key());
            QVERIFY2(row, qPrintable(sent.key()));
            QCOMPARE(row->projectId, m_project.id);
            QCOMPARE(row->lastHour, 1);
            QCOMPARE(row->lastDay, 1);
            QCOMPARE(row->hourly.last(), 1);
            QVERIFY2(row->example, qPrintable(sent.key()));
            const DropExample &example = *row->example;
            QCOMPARE(example.status, sent->response.status);
            // The exact error answered, word for word.
            QCOMPARE(example.answer, sent->response.json().value("error").toString());
            QVERIFY(example.peer.startsWith(QStringLiteral("127.0.0.1:")));
            QVERIFY2(example.request.startsWith(QStringLiteral("POST /api/%1/").arg(m_project.id)),
                qPrintable(example.request));
            if (sent->bodySize >= 0) {
                QCOMPARE(example.size, sent->bodySize);
                // No more of the body than its first bytes.
                QCOMPARE(example.head, sent->body.left(DroppedEventsStore::kExampleBytes));
            }
        }
        QCOMPARE(rowFor(model, QStringLiteral("too_large"))->example->head.size(), DroppedEventsStore::kExampleBytes);
        QVERIFY(rowFor(model, QStringLiteral("unparseable"))->example->request.contains(QStringLiteral("(gzip")));

        const DropSummary *client = rowFor(model, QStringLiteral("client:sample_rate"));
        QCOMPARE(client->category, QStringLiteral("transaction"));
        QCOMPARE(client->lastDay, 1);
        QVERIFY(!client->example);
        QCOMPARE(model.index(0, DroppedEventsModel::ProjectColumn).data().toString(), m_project.name);

        // Selecting a row shows its example, the answer and the escaped first bytes.
        for (int i = 0; i < model.rowCount(); ++i) {
            if (model.summaryAt(i)->reason != QLatin1String("invalid"))
                continue;
            view.table()->selectRow(i);
            QVERIFY(view.exampleText().contains(m_sent["invalid"].response.json().value("error").toString()));
            QVERIFY(view.exampleText().contains(QStringLiteral("First 256 bytes of the body")));
        }
        QVERIFY(view.summaryText().startsWith(QStringLiteral("7 requests refused or events dropped")));
    }

    void headsAreShownEscaped()
    {
        QCOMPARE(DroppedEventsView::printableHead(QByteArray("{\"a\":1}\n\x1f\x8b\\", 11)),
            QStringLiteral("{\"a\":1}\n\\x1f\\x8b\\x5c"));
    }

    void screenshots()
    {
        if (screenshotDir().isEmpty())
            QSKIP("set FAULTLINE_SCREENSHOT_DIR to save screenshots");
        shootLightAndDark(
            [&](const ThemedShots &shots) {
                StorageGateway storage(m_server.dbPath());
                DroppedEventsView view(storage);
                QSignalSpy shown(&view, &DroppedEventsView::refreshed);
                QVERIFY(shown.wait());
                view.resize(1000, 700);
                view.show();
                view.table()->selectRow(1);
                QVERIFY(settleLayouts(&view));
                QVERIFY(shots.save(QStringLiteral("dropped_events"), view.grab()));
            },
            darkPalette());
    }
};

QTEST_MAIN(TestDroppedEvents)
#include "tst_dropped_events.moc"
