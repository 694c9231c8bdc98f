#pragma once
// "Connect a service": create a project, get its DSN and ready-to-paste setup
// for Django/DRF, plain Python, Node and curl (all filled in with the real
// DSN), send a test event, and watch for the first event to arrive. Also
// rotates the key or deletes the project.
#include "storage/event_writer.h"
#include "storage/project_store.h"

#include <QDialog>
#include <QNetworkRequest>

#include <functional>
#include <memory>
#include <optional>

class QLabel;
class QLineEdit;
class QNetworkAccessManager;
class QPushButton;
class QStackedWidget;
class QTabWidget;
class QTimer;

namespace faultline {

class Database;

class ConnectDialog : public QDialog {
    Q_OBJECT
public:
    enum class State { NoProject, Waiting, Received, Deleted };

    // Posts `body` as `request` and calls `done(httpStatus, error)` (status 0 when nothing answered).
    using Sender = std::function<void(const QNetworkRequest &request, const QByteArray &body,
        std::function<void(int httpStatus, const QString &error)> done)>;
    // Asks before destructive actions; true = go ahead.
    using Confirm = std::function<bool(const QString &title, const QString &question)>;

    static constexpr int kPollIntervalMs = 500;

    // Opens its own read-write connection to `dbPath`. `collectorHostPort` ("127.0.0.1:8990") goes into DSNs.
    ConnectDialog(QString dbPath, QString collectorHostPort, QWidget *parent = nullptr);
    ~ConnectDialog() override;

    // Shows an existing project instead of the "create" step; false if it does not exist.
    bool forProject(qint64 projectId);
    // What the Create button does; false (and a message shown) when the name is empty or taken.
    bool createProject(const QString &name);
    bool rotateKey(); // asks first
    bool deleteProject(); // asks first

    void setSender(Sender sender) { m_sender = std::move(sender); }
    void setConfirm(Confirm confirm) { m_confirm = std::move(confirm); }

    std::optional<Project> project() const { return m_project; }
    QString dsn() const;
    State state() const { return m_state; }
    QString statusText() const;
    QString openError() const { return m_openError; }
    QStringList snippetTitles() const;
    QString snippet(const QString &title) const; // the text in that tab

    // The snippets for a project, (tab title, text), every one filled in with its DSN; with a
    // database path, also the coding agents' MCP configuration ("Coding agent").
    static QList<QPair<QString, QString>> snippets(
        const Project &project, const QString &collectorHostPort, const QString &dbPath = {});
    // The test event and its request, as sendTestEvent() posts them.
    static QNetworkRequest testEventRequest(const Project &project, const QString &collectorHostPort);
    static QByteArray testEventBody();

public slots:
    // Connect to EventWriter::batchCommitted (queued) for an instant update; polling covers the rest.
    void onBatchCommitted(const faultline::BatchSummary &summary);
    void sendTestEvent();
    void checkForEvents(); // what the poll timer runs

signals:
    void projectCreated(qint64 projectId);
    void projectDeleted(qint64 projectId);
    void keyRotated(qint64 projectId);
    void firstEventReceived(qint64 projectId);

private:
    void buildUi();
    void showProject();
    void setState(State state);
    void copyToClipboard(const QString &text);

    QString m_hostPort;
    QString m_dbPath;
    std::unique_ptr<Database> m_db;
    std::unique_ptr<ProjectStore> m_projects;
    QString m_openError;
    std::optional<Project> m_project;
    State m_state = State::NoProject;
    Sender m_sender;
    Confirm m_confirm;
    QNetworkAccessManager *m_network = nullptr;
    QTimer *m_poll;

    QStackedWidget *m_pages;
    QLineEdit *m_name;
    QPushButton *m_create;
    QLabel *m_createError;
    QLabel *m_title;
    QLineEdit *m_dsn;
    QTabWidget *m_snippets;
    QLabel *m_status;
    QLabel *m_testResult;
    QPushButton *m_sendTest;
    QPushButton *m_rotate;
    QPushButton *m_delete;
};

} // namespace faultline
