// Alert email over STARTTLS against a real SMTP server started by the test
// (aiosmtpd, tests/alerts/smtp_tls_sink.py) with a self-signed certificate
// the test makes with openssl: refused while untrusted, delivered once the
// certificate is named as the CA to trust; verification is never turned off.
#include "alerts/smtp_client.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace faultline;

class TestSmtpTls : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void untrustedCertificateIsRefused();
    void trustedCertificateDelivers();
    void unreadableCaFileIsRefused();

private:
    SmtpServer server(const QString &caFile) const;
    MailMessage message() const;
    // Sends through a fresh client; returns finished()'s arguments.
    QList<QVariant> send(const SmtpServer &server);
    QList<QJsonObject> sinkEvents(); // read so far

    QTemporaryDir m_dir;
    QProcess m_sink;
    quint16 m_port = 0;
    QByteArray m_sinkOutput;
};

void TestSmtpTls::initTestCase()
{
    QProcess openssl;
    openssl.setWorkingDirectory(m_dir.path());
    openssl.start(QStringLiteral("openssl"),
        { QStringLiteral("req"), QStringLiteral("-x509"), QStringLiteral("-newkey"), QStringLiteral("rsa:2048"),
            QStringLiteral("-nodes"), QStringLiteral("-keyout"), QStringLiteral("key.pem"), QStringLiteral("-out"),
            QStringLiteral("cert.pem"), QStringLiteral("-days"), QStringLiteral("2"), QStringLiteral("-subj"),
            QStringLiteral("/CN=127.0.0.1"), QStringLiteral("-addext"),
            QStringLiteral("subjectAltName=IP:127.0.0.1,DNS:localhost") });
    QVERIFY2(openssl.waitForFinished(60'000) && openssl.exitCode() == 0, openssl.readAllStandardError().constData());

    m_sink.setProcessChannelMode(QProcess::SeparateChannels);
    m_sink.start(QStringLiteral("/usr/bin/python3"),
        { QStringLiteral(FAULTLINE_TESTS_DIR "/alerts/smtp_tls_sink.py"), m_dir.filePath(QStringLiteral("cert.pem")),
            m_dir.filePath(QStringLiteral("key.pem")) });
    QVERIFY(m_sink.waitForStarted());
    QTRY_VERIFY_WITH_TIMEOUT(
        (m_sinkOutput += m_sink.readAllStandardOutput()).contains('\n') || m_sink.state() == QProcess::NotRunning,
        20'000);
    const QByteArray first = m_sinkOutput.left(m_sinkOutput.indexOf('\n'));
    QVERIFY2(first.startsWith("listening "),
        (first + m_sink.readAllStandardError() + " (scripts/install-deps installs python3-aiosmtpd)").constData());
    m_port = quint16(first.mid(10).toUInt());
    m_sinkOutput.remove(0, first.size() + 1);
    QVERIFY(m_port > 0);
}

void TestSmtpTls::cleanupTestCase()
{
    m_sink.closeWriteChannel(); // the sink ends when its stdin closes
    if (!m_sink.waitForFinished(10'000))
        m_sink.kill();
}

SmtpServer TestSmtpTls::server(const QString &caFile) const
{
    return SmtpServer { QStringLiteral("127.0.0.1"), m_port, SmtpSecurity::StartTls, QStringLiteral("ann"),
        QStringLiteral("s3cret"), QStringLiteral("faultline@example.com"), caFile };
}

MailMessage TestSmtpTls::message() const
{
    return MailMessage { QStringLiteral("faultline@example.com"), { QStringLiteral("dev@example.com") },
        QStringLiteral("New issue in shop: ZeroDivisionError"), QStringLiteral("division by zero") };
}

QList<QVariant> TestSmtpTls::send(const SmtpServer &server)
{
    SmtpClient client;
    client.setTimeout(20'000);
    QSignalSpy finished(&client, &SmtpClient::finished);
    client.send(server, message());
    if (finished.isEmpty() && !finished.wait(30'000))
        return {};
    return finished.first();
}

QList<QJsonObject> TestSmtpTls::sinkEvents()
{
    m_sinkOutput += m_sink.readAllStandardOutput();
    QList<QJsonObject> events;
    for (const QByteArray &line : m_sinkOutput.split('\n'))
        if (!line.isEmpty())
            events.append(QJsonDocument::fromJson(line).object());
    return events;
}

void TestSmtpTls::untrustedCertificateIsRefused()
{
    const QList<QVariant> result = send(server(QString()));
    QCOMPARE(result.size(), 3);
    QCOMPARE(result.at(0).toBool(), false);
    QVERIFY2(result.at(1).toString().startsWith(QLatin1String("TLS: ")), qPrintable(result.at(1).toString()));
    QVERIFY2(result.at(1).toString().contains(QLatin1String("self signed"), Qt::CaseInsensitive)
            || result.at(1).toString().contains(QLatin1String("self-signed"), Qt::CaseInsensitive),
        qPrintable(result.at(1).toString()));
    QCOMPARE(result.at(2).toBool(), false); // a trust problem does not go away by retrying
    QVERIFY(sinkEvents().isEmpty()); // no AUTH, no message: nothing went out over the untrusted connection
}

void TestSmtpTls::trustedCertificateDelivers()
{
    const QList<QVariant> result = send(server(m_dir.filePath(QStringLiteral("cert.pem"))));
    QCOMPARE(result.size(), 3);
    QVERIFY2(result.at(0).toBool(), qPrintable(result.at(1).toString()));
    QCOMPARE(result.at(1).toString(), QStringLiteral("accepted by 127.0.0.1"));
    QList<QJsonObject> events;
    QTRY_VERIFY_WITH_TIMEOUT((events = sinkEvents()).size() >= 2, 10'000);
    QCOMPARE(events.at(0).value(QLatin1String("event")).toString(), QStringLiteral("auth"));
    QCOMPARE(events.at(0).value(QLatin1String("mechanism")).toString(), QStringLiteral("PLAIN"));
    QCOMPARE(events.at(0).value(QLatin1String("ok")).toBool(), true);
    QCOMPARE(events.at(0).value(QLatin1String("tls")).toBool(), true); // the password only after STARTTLS
    const QJsonObject mail = events.at(1);
    QCOMPARE(mail.value(QLatin1String("event")).toString(), QStringLiteral("message"));
    QCOMPARE(mail.value(QLatin1String("tls")).toBool(), true);
    QCOMPARE(mail.value(QLatin1String("mail_from")).toString(), QStringLiteral("faultline@example.com"));
    QCOMPARE(mail.value(QLatin1String("rcpt_tos")).toVariant().toStringList(),
        QStringList { QStringLiteral("dev@example.com") });
    const QString data = mail.value(QLatin1String("data")).toString();
    QVERIFY2(data.contains(QLatin1String("Subject: New issue in shop: ZeroDivisionError\r\n")), qPrintable(data));
    const QString body = data.mid(data.indexOf(QLatin1String("\r\n\r\n")) + 4).remove(QLatin1String("\r\n"));
    QCOMPARE(QString::fromUtf8(QByteArray::fromBase64(body.toLatin1())), QStringLiteral("division by zero"));
}

void TestSmtpTls::unreadableCaFileIsRefused()
{
    const QList<QVariant> result = send(server(m_dir.filePath(QStringLiteral("missing.pem"))));
    QCOMPARE(result.size(), 3);
    QCOMPARE(result.at(0).toBool(), false);
    QCOMPARE(result.at(1).toString(),
        QStringLiteral("no PEM certificate in the CA file %1").arg(m_dir.filePath(QStringLiteral("missing.pem"))));
}

QTEST_GUILESS_MAIN(TestSmtpTls)
#include "tst_smtp_tls.moc"
