#include "app/instance_channel.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLocalServer>
#include <QLocalSocket>
#include <QStandardPaths>

namespace faultline {

namespace {

QByteArray line(const QJsonObject &object) { return QJsonDocument(object).toJson(QJsonDocument::Compact) + '\n'; }

} // namespace

QString instanceSocketPath(const QString &dbPath, InstanceRole role)
{
    // The same database reached through another path (a symlink, ./) must give the same name.
    const QFileInfo info(dbPath);
    const QString canonical = info.exists() ? info.canonicalFilePath() : info.absoluteFilePath();
    const QByteArray hash = QCryptographicHash::hash(canonical.toUtf8(), QCryptographicHash::Sha1).toHex().left(16);
    QString directory = QStandardPaths::writableLocation(QStandardPaths::RuntimeLocation);
    if (directory.isEmpty())
        directory = QDir::tempPath();
    return QDir(directory).filePath(
        QStringLiteral("faultline-%1-%2.sock")
            .arg(QString::fromLatin1(hash),
                role == InstanceRole::Collector ? QStringLiteral("collector") : QStringLiteral("window")));
}

QJsonObject activationRequest(const QStringList &arguments)
{
    return QJsonObject { { "request", "activate" }, { "arguments", QJsonArray::fromStringList(arguments) } };
}

QJsonObject helloRequest() { return QJsonObject { { "request", "hello" } }; }

QJsonObject subscribeRequest() { return QJsonObject { { "request", "subscribe" } }; }

std::optional<QJsonObject> askInstance(const QString &socketPath, const QJsonObject &request, int timeoutMs)
{
    QLocalSocket socket;
    socket.connectToServer(socketPath);
    if (!socket.waitForConnected(timeoutMs))
        return std::nullopt;
    socket.write(line(request));
    if (!socket.waitForBytesWritten(timeoutMs))
        return std::nullopt;
    while (!socket.canReadLine())
        if (!socket.waitForReadyRead(timeoutMs))
            return std::nullopt;
    const QJsonDocument answer = QJsonDocument::fromJson(socket.readLine());
    if (!answer.isObject())
        return std::nullopt;
    return answer.object();
}

InstanceServer::InstanceServer(QJsonObject hello, QObject *parent)
    : QObject(parent)
    , m_hello(std::move(hello))
    , m_server(new QLocalServer(this))
{
    m_server->setSocketOptions(QLocalServer::UserAccessOption); // only this user's launches
    connect(m_server, &QLocalServer::newConnection, this, &InstanceServer::onConnection);
}

InstanceServer::~InstanceServer() { m_server->close(); }

bool InstanceServer::listen(const QString &socketPath, QString *error)
{
    if (m_server->listen(socketPath))
        return true;
    if (m_server->serverError() == QAbstractSocket::AddressInUseError
        && !askInstance(socketPath, helloRequest(), 1000)) {
        QLocalServer::removeServer(socketPath); // nobody answers: left behind by a crash
        if (m_server->listen(socketPath))
            return true;
    }
    if (error)
        *error = m_server->errorString();
    return false;
}

void InstanceServer::onConnection()
{
    while (QLocalSocket *socket = m_server->nextPendingConnection()) {
        connect(socket, &QLocalSocket::disconnected, socket, &QObject::deleteLater);
        connect(socket, &QLocalSocket::disconnected, this, [this, socket]() { m_subscribers.removeAll(socket); });
        connect(socket, &QLocalSocket::readyRead, this, [this, socket]() { onRequest(socket); });
    }
}

void InstanceServer::onRequest(QLocalSocket *socket)
{
    while (socket->canReadLine()) {
        const QJsonObject request = QJsonDocument::fromJson(socket->readLine()).object();
        const QString kind = request.value("request").toString();
        socket->write(line(m_hello));
        if (kind == QLatin1String("activate")) {
            QStringList arguments;
            for (const QJsonValue &argument : request.value("arguments").toArray())
                arguments.append(argument.toString());
            emit activationRequested(arguments);
        } else if (kind == QLatin1String("subscribe") && !m_subscribers.contains(socket)) {
            m_subscribers.append(socket);
        }
    }
    if (socket->bytesAvailable() > 64 * 1024) // no line in sight: not one of ours
        socket->abort();
}

void InstanceServer::broadcast(const QJsonObject &message)
{
    const QByteArray bytes = line(message);
    for (QLocalSocket *subscriber : std::as_const(m_subscribers))
        subscriber->write(bytes);
}

} // namespace faultline
