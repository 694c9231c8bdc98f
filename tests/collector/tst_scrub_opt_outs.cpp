// Issue 15, finding 7: a project can opt out of scrub rules (a test project
// keeping test card numbers, say). The rules it opted out of keep their
// values, in the stored event and its page alike; every other rule, and
// every other project, is scrubbed as before.
#include "model/scrub.h"
#include "storage/database.h"
#include "storage/event_queries.h"
#include "support/collector/running_collector.h"
#include "support/fixtures.h"
#include "support/http_client.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>
#include <QUuid>

using namespace faultline;
using namespace faultline::test;

namespace {

const QString kCard = QStringLiteral("4111 1111 1111 1111");
const QString kBearer = QStringLiteral("Bearer eyJhbGciOi.abc123");

// The Python SDK's message event (captured), its message carrying a card number and a bearer token.
QByteArray messageWithSecrets(const QString &eventId)
{
    QJsonObject event = QJsonDocument::fromJson(fixtureBody(QStringLiteral("python_message_store"))).object();
    event.insert(QStringLiteral("event_id"), eventId);
    event.insert(QStringLiteral("message"), QStringLiteral("charge failed for %1 (%2)").arg(kCard, kBearer));
    return QJsonDocument(event).toJson(QJsonDocument::Compact);
}

} // namespace

class TestScrubOptOuts : public QObject {
    Q_OBJECT

    RunningCollector m_server;

    QString storedMessage()
    {
        const QString id = QUuid::createUuid().toString(QUuid::Id128);
        const RawResponse response = post(m_server.port(), m_server.storePath(),
            { { "X-Sentry-Auth", m_server.sentryAuth() } }, messageWithSecrets(id));
        if (response.status != 200)
            return QStringLiteral("status %1: %2").arg(response.status).arg(QString::fromUtf8(response.body));
        const std::optional<EventRow> row = m_server.storedEvent(id);
        return row ? QJsonDocument::fromJson(row->rawJson).object().value(QLatin1String("message")).toString()
                   : QStringLiteral("not stored");
    }

private slots:
    void initTestCase()
    {
        QVERIFY(!fixtureBody(QStringLiteral("python_message_store")).isEmpty());
        QString error;
        QVERIFY2(m_server.start({}, &error), qPrintable(error));
    }

    void cleanupTestCase() { m_server.stop(); }

    void namesRoundTrip()
    {
        QString error;
        QCOMPARE(parseScrubOptOuts(QStringLiteral("usssn, CreditCard"), &error),
            std::optional<unsigned>(KeepCreditCards | KeepUsSsns));
        QCOMPARE(scrubOptOutNames(KeepCreditCards | KeepUsSsns), QStringLiteral("creditcard,usssn"));
        QCOMPARE(parseScrubOptOuts(QString()), std::optional<unsigned>(0));
        QVERIFY(!parseScrubOptOuts(QStringLiteral("creditcard,ip"), &error));
        QVERIFY(error.contains(QStringLiteral("'ip'")));
    }

    void everyRuleByDefault()
    {
        const QString message = storedMessage();
        QVERIFY2(!message.contains(kCard) && !message.contains(QStringLiteral("abc123")), qPrintable(message));
        QVERIFY2(message.contains(QStringLiteral("charge failed for [Filtered]")), qPrintable(message));
    }

    void optedOutRuleKeepsItsValues()
    {
        m_server.collector().setProjectScrubOptOuts(m_server.project().id, KeepCreditCards);
        const QString message = storedMessage();
        QVERIFY2(message.contains(kCard), qPrintable(message)); // kept, as the project asked
        QVERIFY2(!message.contains(QStringLiteral("abc123")), qPrintable(message)); // the bearer rule still applies
        const QByteArray page = "<p>card 4111-1111-1111-1111, <a href=\"/?token=tok123abc\">again</a></p>";
        const QByteArray scrubbed = scrubbedPage(page, KeepCreditCards).value_or(page);
        QVERIFY2(scrubbed.contains("4111-1111-1111-1111") && !scrubbed.contains("tok123abc"), scrubbed.constData());
        m_server.collector().setProjectScrubOptOuts(m_server.project().id, 0);
        QVERIFY(!storedMessage().contains(kCard));
    }
};

QTEST_GUILESS_MAIN(TestScrubOptOuts)
#include "tst_scrub_opt_outs.moc"
