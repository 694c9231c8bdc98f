#pragma once
// "Replay": the event's request sent again to a base URL the user types
// (kept per project; none by default). The dialog shows the exact request
// before anything is sent, then the answer beside what the service answered
// when the event happened, and whether the error reproduced.
#include "model/event.h"
#include "ui/request_replayer.h"

#include <QDialog>

class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;

namespace faultline {

class HttpOutcomeView;
class KeyValueTable;
class SourceWorkspace;

class ReplayDialog : public QDialog {
    Q_OBJECT
public:
    // `workspace` may be null: the base URL is then not remembered.
    ReplayDialog(const Event &event, SourceWorkspace *workspace, QWidget *parent = nullptr);

    QLineEdit *baseUrlEdit() const { return m_baseUrl; }
    QPushButton *sendButton() const { return m_send; }
    QString requestText() const; // the exact request as shown
    QString verdictText() const;
    ReplayPlan plan() const { return m_plan; }
    HttpOutcomeView *replayOutcome() const { return m_replayOutcome; }

signals:
    void replayFinished(const ReplayResult &result);

private:
    void updatePlan();
    void send();
    void showResult(const ReplayResult &result);

    Event m_event;
    HttpRequestSpec m_spec;
    ReplayPlan m_plan;
    SourceWorkspace *m_workspace;
    RequestReplayer m_replayer;
    QLineEdit *m_baseUrl;
    QPlainTextEdit *m_request;
    QPushButton *m_send;
    QLabel *m_verdict;
    QWidget *m_results;
    HttpOutcomeView *m_originalOutcome;
    HttpOutcomeView *m_replayOutcome;
    KeyValueTable *m_replayHeaders;
};

} // namespace faultline
