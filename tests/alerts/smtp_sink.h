#pragma once
// A tiny SMTP server for the alert tests: answers EHLO (optionally offering
// STARTTLS and AUTH), records every command and the message after DATA.
#include <QByteArray>
#include <QList>
#include <QStringList>
#include <QTcpServer>
#include <QTcpSocket>

namespace faultline::test {

// No Q_OBJECT (tests poll `messages`): the header is not a moc'ed source of the test.
class SmtpSink : public QObject {
public:
    bool offerStartTls = false;
    QByteArray rcptReply = "250 OK";

    bool listen() { return m_server.listen(QHostAddress::LocalHost, 0); }
    quint16 port() const { return m_server.serverPort(); }
    QStringList commands; // as received, without CRLF
    QList<QByteArray> messages; // what came after DATA, without the final "."

    SmtpSink()
    {
        connect(&m_server, &QTcpServer::newConnection, this, [this]() {
            while (QTcpSocket *socket = m_server.nextPendingConnection()) {
                connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
                connect(socket, &QTcpSocket::readyRead, this, [this, socket]() { serve(socket); });
                socket->write("220 sink.test ESMTP\r\n");
            }
        });
    }

private:
    void serve(QTcpSocket *socket)
    {
        QByteArray buffer = socket->property("buffer").toByteArray() + socket->readAll();
        bool inData = socket->property("data").toBool();
        qsizetype end;
        while ((end = buffer.indexOf("\r\n")) >= 0) {
            const QByteArray line = buffer.left(end);
            buffer.remove(0, end + 2);
            if (inData) {
                if (line == ".") {
                    inData = false;
                    messages.append(socket->property("message").toByteArray());
                    socket->write("250 queued\r\n");
                } else {
                    socket->setProperty("message", socket->property("message").toByteArray() + line + "\r\n");
                }
                continue;
            }
            commands.append(QString::fromUtf8(line));
            const QByteArray verb = line.left(4).toUpper();
            if (verb == "EHLO")
                socket->write(offerStartTls ? "250-sink.test\r\n250-STARTTLS\r\n250 AUTH PLAIN LOGIN\r\n"
                                            : "250-sink.test\r\n250-8BITMIME\r\n250 AUTH PLAIN LOGIN\r\n");
            else if (verb == "AUTH")
                socket->write("235 authenticated\r\n");
            else if (verb == "MAIL")
                socket->write("250 OK\r\n");
            else if (verb == "RCPT")
                socket->write(rcptReply + "\r\n");
            else if (verb == "DATA") {
                inData = true;
                socket->setProperty("message", QByteArray());
                socket->write("354 go ahead\r\n");
            } else if (verb == "QUIT") {
                socket->write("221 bye\r\n");
                socket->disconnectFromHost();
            } else
                socket->write("502 not implemented\r\n");
        }
        socket->setProperty("buffer", buffer);
        socket->setProperty("data", inData);
    }

    QTcpServer m_server;
};

} // namespace faultline::test
