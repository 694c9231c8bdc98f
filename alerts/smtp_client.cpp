#include "alerts/smtp_client.h"

#include <QDateTime>
#include <QLocale>
#include <QRegularExpression>
#include <QSslConfiguration>
#include <QSysInfo>

#include <spdlog/spdlog.h>

#include <utility>

namespace faultline {

namespace {

// "Subject: =?UTF-8?B?…?=" when the text is not plain ASCII; line breaks never reach a header.
QByteArray headerText(QString text)
{
    text.replace(QLatin1Char('\r'), QLatin1Char(' ')).replace(QLatin1Char('\n'), QLatin1Char(' '));
    const QByteArray utf8 = text.toUtf8();
    bool ascii = true;
    for (char c : utf8)
        ascii = ascii && static_cast<unsigned char>(c) < 0x80;
    return ascii ? utf8 : "=?UTF-8?B?" + utf8.toBase64() + "?=";
}

QByteArray ehloName()
{
    QString name = QSysInfo::machineHostName();
    name.remove(QRegularExpression(QStringLiteral("[^A-Za-z0-9.-]")));
    return name.isEmpty() ? QByteArrayLiteral("localhost") : name.toLatin1();
}

} // namespace

bool isSafeAddress(const QString &address)
{
    static const QRegularExpression bad(QStringLiteral("[\\r\\n<>\\s]"));
    return address.contains(QLatin1Char('@')) && !address.contains(bad);
}

QByteArray formatMessage(const MailMessage &message, const QDateTime &date, const QString &messageId)
{
    QByteArray out;
    out += "From: Faultline <" + message.sender.toUtf8() + ">\r\n";
    out += "To: " + message.recipients.join(QStringLiteral(", ")).toUtf8() + "\r\n";
    out += "Subject: " + headerText(message.subject) + "\r\n";
    out += "Date: " + QLocale::c().toString(date, QStringLiteral("ddd, dd MMM yyyy HH:mm:ss")).toLatin1() + ' '
        + (date.offsetFromUtc() >= 0 ? '+' : '-')
        + QByteArray::number(qAbs(date.offsetFromUtc()) / 3600 * 100 + qAbs(date.offsetFromUtc()) % 3600 / 60)
              .rightJustified(4, '0')
        + "\r\n";
    out += "Message-ID: <" + messageId.toLatin1() + ">\r\n";
    out += "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n";
    // Base64 keeps lines short and never starts one with "." (no dot-stuffing needed).
    const QByteArray body = message.text.toUtf8().toBase64();
    for (qsizetype i = 0; i < body.size(); i += 76)
        out += body.mid(i, 76) + "\r\n";
    return out;
}

SmtpClient::SmtpClient(QObject *parent)
    : QObject(parent)
{
    m_timeout.setSingleShot(true);
    connect(&m_timeout, &QTimer::timeout, this,
        [this]() { fail(QStringLiteral("the SMTP server stopped answering"), true); });
    connect(&m_socket, &QSslSocket::readyRead, this, &SmtpClient::onReadyRead);
    connect(&m_socket, &QSslSocket::errorOccurred, this, [this](QAbstractSocket::SocketError) {
        if (m_step == Step::Quit)
            succeed(); // the message was accepted before QUIT; a server hanging up now changes nothing
        else
            fail(m_socket.errorString(), true);
    });
    connect(&m_socket, &QSslSocket::sslErrors, this, [this](const QList<QSslError> &errors) {
        QStringList reasons;
        for (const QSslError &error : errors)
            reasons.append(error.errorString());
        // Never ignored: a certificate the system does not trust is a failure the user must see.
        fail(QStringLiteral("TLS: %1").arg(reasons.join(QStringLiteral("; "))), false);
    });
    connect(&m_socket, &QSslSocket::encrypted, this, [this]() {
        if (m_step == Step::StartTls)
            command("EHLO " + ehloName(), Step::EhloAfterTls);
    });
}

void SmtpClient::send(const SmtpServer &server, const MailMessage &message)
{
    m_server = server;
    m_message = message;
    m_buffer.clear();
    m_replyLines.clear();
    m_capabilities.clear();
    m_nextRecipient = 0;
    m_step = Step::Greeting;
    m_done = false;
    if (!server.isValid() || !isSafeAddress(server.sender)) {
        fail(QStringLiteral("the SMTP server is not set up (host, port and sender address)"), false);
        return;
    }
    if (message.recipients.isEmpty()) {
        fail(QStringLiteral("no recipients"), false);
        return;
    }
    for (const QString &recipient : message.recipients) {
        if (!isSafeAddress(recipient)) {
            fail(QStringLiteral("not an email address: %1").arg(recipient), false);
            return;
        }
    }
    QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
    if (server.security != SmtpSecurity::None && !server.caFile.isEmpty()) {
        // The user's own CA (or the server's self-signed certificate): trusted besides the system's,
        // and the server's certificate is still checked against it and against the host name.
        const QList<QSslCertificate> trusted = QSslCertificate::fromPath(server.caFile, QSsl::Pem);
        if (trusted.isEmpty()) {
            fail(QStringLiteral("no PEM certificate in the CA file %1").arg(server.caFile), false);
            return;
        }
        tls.addCaCertificates(trusted);
    }
    m_socket.setSslConfiguration(tls);
    m_timeout.start(m_timeoutMs);
    if (server.security == SmtpSecurity::Tls)
        m_socket.connectToHostEncrypted(server.host, quint16(server.port));
    else
        m_socket.connectToHost(server.host, quint16(server.port));
}

void SmtpClient::onReadyRead()
{
    m_buffer += m_socket.readAll();
    qsizetype end;
    while (!m_done && (end = m_buffer.indexOf("\r\n")) >= 0) {
        const QByteArray line = m_buffer.left(end);
        m_buffer.remove(0, end + 2);
        if (line.size() < 3) {
            fail(QStringLiteral("not an SMTP reply: %1").arg(QString::fromUtf8(line)), false);
            return;
        }
        m_replyLines.append(QString::fromUtf8(line.mid(4)));
        if (line.size() > 3 && line.at(3) == '-')
            continue; // more lines of the same reply follow
        const int code = line.left(3).toInt();
        const QStringList lines = std::exchange(m_replyLines, {});
        m_timeout.start(m_timeoutMs);
        handleReply(code, lines);
    }
}

void SmtpClient::handleReply(int code, const QStringList &lines)
{
    const auto expect = [&](int wanted) {
        if (code == wanted)
            return true;
        fail(QStringLiteral("%1 %2").arg(code).arg(lines.join(QLatin1Char(' '))), code >= 400 && code < 500);
        return false;
    };
    switch (m_step) {
    case Step::Greeting:
        if (expect(220))
            command("EHLO " + ehloName(), Step::Ehlo);
        break;
    case Step::Ehlo:
    case Step::EhloAfterTls:
        if (expect(250))
            afterEhlo(lines);
        break;
    case Step::StartTls:
        if (expect(220))
            m_socket.startClientEncryption(); // continues in `encrypted`
        break;
    case Step::AuthPlain:
    case Step::AuthLoginPassword:
        if (expect(235))
            startMail();
        break;
    case Step::AuthLogin: // 334 "Username:"
        if (expect(334))
            command(m_server.username.toUtf8().toBase64(), Step::AuthLoginUser);
        break;
    case Step::AuthLoginUser: // 334 "Password:"
        if (expect(334))
            command(m_server.password.toUtf8().toBase64(), Step::AuthLoginPassword);
        break;
    case Step::MailFrom:
        if (expect(250))
            command("RCPT TO:<" + m_message.recipients.at(m_nextRecipient++).toUtf8() + '>', Step::RcptTo);
        break;
    case Step::RcptTo:
        if (!(code == 250 || code == 251) && !expect(250))
            break;
        if (m_nextRecipient < m_message.recipients.size())
            command("RCPT TO:<" + m_message.recipients.at(m_nextRecipient++).toUtf8() + '>', Step::RcptTo);
        else
            command("DATA", Step::Data);
        break;
    case Step::Data:
        if (expect(354)) {
            const QString id
                = QStringLiteral("%1.%2@faultline").arg(QDateTime::currentMSecsSinceEpoch()).arg(quintptr(this), 0, 16);
            m_socket.write(formatMessage(m_message, QDateTime::currentDateTime(), id) + ".\r\n");
            m_step = Step::Message;
        }
        break;
    case Step::Message:
        if (expect(250))
            command("QUIT", Step::Quit);
        break;
    case Step::Quit:
        succeed(); // the message was accepted before QUIT; its answer changes nothing
        break;
    }
}

void SmtpClient::afterEhlo(const QStringList &lines)
{
    m_capabilities.clear();
    for (const QString &line : lines)
        m_capabilities.append(line.toUpper());
    const bool encrypted = m_socket.isEncrypted();
    if (m_server.security == SmtpSecurity::StartTls && !encrypted) {
        if (!m_capabilities.contains(QStringLiteral("STARTTLS"))) {
            // Sending the password (or the alert) in clear instead would defeat the setting.
            fail(QStringLiteral("the server does not offer STARTTLS"), false);
            return;
        }
        command("STARTTLS", Step::StartTls);
        return;
    }
    if (m_server.username.isEmpty()) {
        startMail();
        return;
    }
    QString auth;
    for (const QString &capability : std::as_const(m_capabilities))
        if (capability.startsWith(QLatin1String("AUTH ")) || capability.startsWith(QLatin1String("AUTH=")))
            auth += capability.mid(5) + QLatin1Char(' ');
    const QStringList mechanisms = auth.split(QLatin1Char(' '), Qt::SkipEmptyParts);
    if (mechanisms.contains(QStringLiteral("PLAIN"))) {
        const QByteArray token = '\0' + m_server.username.toUtf8() + '\0' + m_server.password.toUtf8();
        command("AUTH PLAIN " + token.toBase64(), Step::AuthPlain);
    } else if (mechanisms.contains(QStringLiteral("LOGIN"))) {
        command("AUTH LOGIN", Step::AuthLogin);
    } else {
        fail(QStringLiteral("the server offers no AUTH PLAIN or LOGIN"), false);
    }
}

void SmtpClient::startMail() { command("MAIL FROM:<" + m_server.sender.toUtf8() + '>', Step::MailFrom); }

void SmtpClient::command(const QByteArray &line, Step next)
{
    m_step = next;
    m_socket.write(line + "\r\n");
}

void SmtpClient::fail(const QString &detail, bool retryable)
{
    if (m_done)
        return;
    m_done = true;
    m_timeout.stop();
    m_socket.abort();
    spdlog::warn("alert email via {}:{} failed: {}", m_server.host.toStdString(), m_server.port, detail.toStdString());
    emit finished(false, detail, retryable);
}

void SmtpClient::succeed()
{
    if (m_done)
        return;
    m_done = true;
    m_timeout.stop();
    m_socket.disconnectFromHost();
    emit finished(true, QStringLiteral("accepted by %1").arg(m_server.host), false);
}

} // namespace faultline
