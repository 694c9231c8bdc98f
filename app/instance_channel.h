#pragma once
// One Faultline per database: the process that collects for a database, and
// the one that shows its window, each listen on a local socket named after
// the database (in the user's runtime directory). A second launch asks there
// first: a window is raised and handed the launch's arguments (a
// faultline://issue/ID link); a collector is reported, so the window opens as
// a viewer of it. Messages are single JSON lines.
#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QStringList>

#include <optional>

class QLocalServer;
class QLocalSocket;

namespace faultline {

enum class InstanceRole { Collector, Window };

QString instanceSocketPath(const QString &dbPath, InstanceRole role);

// Sends `request` to whoever listens at `socketPath` and returns its answer;
// nullopt when nobody does (no socket, a stale one, or no answer in time).
std::optional<QJsonObject> askInstance(const QString &socketPath, const QJsonObject &request, int timeoutMs = 3000);

QJsonObject activationRequest(const QStringList &arguments); // {"request":"activate","arguments":[…]}
QJsonObject helloRequest(); // {"request":"hello"}
QJsonObject subscribeRequest(); // {"request":"subscribe"}: hello, then one line per broadcast

class InstanceServer : public QObject {
    Q_OBJECT
public:
    // `hello` is what every request is answered with (who we are: role, mode, pid, collector address).
    explicit InstanceServer(QJsonObject hello, QObject *parent = nullptr);
    ~InstanceServer() override;

    // Takes over a stale socket file (left by a crash); fails when a live instance owns it.
    bool listen(const QString &socketPath, QString *error);
    void broadcast(const QJsonObject &message); // to subscribers
    int subscriberCount() const { return int(m_subscribers.size()); }

signals:
    void activationRequested(const QStringList &arguments);

private:
    void onConnection();
    void onRequest(QLocalSocket *socket);

    QJsonObject m_hello;
    QLocalServer *m_server;
    QList<QLocalSocket *> m_subscribers;
};

} // namespace faultline
