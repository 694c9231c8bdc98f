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
#include <optional>

class QLabel;
class QLineEdit;
class QNetworkAccessManager;
class QPushButton;
class QStackedWidget;
class QTabWidget;
class QTimer;

namespace faultline {

class StorageGateway;

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

    // Reads and writes through `storage` (off the GUI thread). `collectorHostPort`
    // ("127.0.0.1:8990") goes into DSNs.
    ConnectDialog(StorageGateway &storage, QString collectorHostPort, QWidget *parent = nullptr);
    ~ConnectDialog() override;

    // Shows an existing project instead of the "create" step.
    void forProject(const Project &project);
    // What the Create button does: false (and a message shown) when the name is empty or a
    // change is under way; else projectCreated() or actionFailed() follows (a taken name says so).
    bool createProject(const QString &name);
    // Ask first; true when asked and sent: keyRotated() / projectDeleted() or actionFailed() follows.
    bool rotateKey();
    bool deleteProject();

    void setSender(Sender sender) { m_sender = std::move(sender); }
    void setConfirm(Confirm confirm) { m_confirm = std::move(confirm); }

    std::optional<Project> project() const { return m_project; }
    QString dsn() const;
    State state() const { return m_state; }
    QString statusText() const;
    QString createError() const; // why the last create failed, "" if it did not
    QString actionError() const; // why the last rotate or delete failed
    QStringList snippetTitles() const;
    QString snippet(const QString &title) const; // the text in that tab

    // The test event and its request, as sendTestEvent() posts them.
    static QNetworkRequest testEventRequest(const Project &project, const QString &collectorHostPort);
    static QByteArray testEventBody();

public slots:
    // Connect to EventWriter::batchCommitted (queued) for an instant update; polling covers the rest.
    void onBatchCommitted(const faultline::BatchSummary &summary);
    void sendTestEvent();
    void checkForEvents(); // what the poll timer runs: a read on the storage reader

signals:
    void projectCreated(qint64 projectId);
    void projectDeleted(qint64 projectId);
    void keyRotated(qint64 projectId);
    void firstEventReceived(qint64 projectId);
    void actionFailed(const QString &why); // a create, rotate or delete the database refused

private:
    void buildUi();
    void showProject();
    QString agentDatabase() const; // what the coding-agent snippet passes as --db
    void setState(State state);
    void copyToClipboard(const QString &text);
    void setBusy(bool busy); // a create, rotate or delete is under way
    // `sentence`'s %1 is the error's first line (storage/storage_error_text.h); all of it on hover.
    void showActionError(const QString &sentence, const QString &error);

    StorageGateway &m_storage;
    QString m_hostPort;
    bool m_busy = false;
    bool m_checking = false; // a look for the first event is under way
    bool m_checkAgain = false;
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
    QLabel *m_actionError;
    QPushButton *m_sendTest;
    QPushButton *m_rotate;
    QPushButton *m_delete;
};

} // namespace faultline
