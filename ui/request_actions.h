#pragma once
// The Request section's buttons: "Copy as curl" and "Replay…".
#include "model/event.h"

#include <QWidget>

class QToolButton;

namespace faultline {

class SourceWorkspace;

class RequestActions : public QWidget {
    Q_OBJECT
public:
    explicit RequestActions(QWidget *parent = nullptr);

    void setEvent(const Event &event);
    void setSourceWorkspace(SourceWorkspace *workspace) { m_workspace = workspace; }
    QString curlText() const; // what "Copy as curl" puts on the clipboard
    QToolButton *copyButton() const { return m_copy; }
    QToolButton *replayButton() const { return m_replay; }

private:
    Event m_event;
    SourceWorkspace *m_workspace = nullptr;
    QToolButton *m_copy;
    QToolButton *m_replay;
};

} // namespace faultline
