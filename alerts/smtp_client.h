#pragma once
// A small SMTP client for alert emails: plain SMTP, STARTTLS or implicit TLS
// through QSslSocket (certificates verified, never ignored; a CA file the
// user names is trusted besides the system's), AUTH PLAIN or
// LOGIN when a user name is set, one message per connection. Asynchronous;
// every step has a timeout.
#include "storage/alert_store.h"

#include <QObject>
#include <QSslSocket>
#include <QStringList>
#include <QTimer>

namespace faultline {

struct MailMessage {
    QString sender;
    QStringList recipients;
    QString subject;
    QString text;
};

// The message as sent after DATA (headers, base64 body), without the final ".".
QByteArray formatMessage(const MailMessage &message, const QDateTime &date, const QString &messageId);
// Whether an address can go into an SMTP command and a header: no line breaks or angle brackets.
bool isSafeAddress(const QString &address);

class SmtpClient : public QObject {
    Q_OBJECT
public:
    explicit SmtpClient(QObject *parent = nullptr);

    void setTimeout(int ms) { m_timeoutMs = ms; }
    // Emits finished() once, also for errors found before connecting.
    void send(const SmtpServer &server, const MailMessage &message);

signals:
    // `retryable`: worth trying again later (connection trouble, 4xx replies); 5xx and setup errors are not.
    void finished(bool ok, const QString &detail, bool retryable);

private:
    enum class Step {
        Greeting,
        Ehlo,
        StartTls,
        EhloAfterTls,
        AuthPlain,
        AuthLogin,
        AuthLoginUser,
        AuthLoginPassword,
        MailFrom,
        RcptTo,
        Data,
        Message,
        Quit
    };

    void onReadyRead();
    void handleReply(int code, const QStringList &lines);
    void afterEhlo(const QStringList &lines);
    void startMail();
    void command(const QByteArray &line, Step next);
    void fail(const QString &detail, bool retryable);
    void succeed();

    QSslSocket m_socket;
    QTimer m_timeout;
    int m_timeoutMs = 30'000;
    SmtpServer m_server;
    MailMessage m_message;
    Step m_step = Step::Greeting;
    QByteArray m_buffer;
    QStringList m_replyLines;
    QStringList m_capabilities;
    int m_nextRecipient = 0;
    bool m_done = true;
};

} // namespace faultline
