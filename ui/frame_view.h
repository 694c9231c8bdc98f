#pragma once
// One stack frame: a one-line header (function, module, file:line) that
// expands to the source context around the line and the frame's locals.
#include "model/event.h"

#include <QFrame>

class QLabel;

namespace faultline {

class KeyValueTable;

class FrameView : public QFrame {
    Q_OBJECT
public:
    FrameView(const Frame &frame, bool inApp, bool crashing, QWidget *parent = nullptr);

    void setExpanded(bool expanded);
    bool isExpanded() const { return m_expanded; }
    bool isInApp() const { return m_inApp; }
    bool hasDetails() const;
    const Frame &frame() const { return m_frame; }

    // Rich text of the source context: line numbers, the frame's line marked. Escaped.
    static QString contextHtml(const Frame &frame, const QPalette &palette);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void buildBody();

    Frame m_frame;
    bool m_inApp;
    bool m_expanded = false;
    QLabel *m_arrow;
    QLabel *m_title;
    QLabel *m_location;
    QWidget *m_header;
    QWidget *m_body = nullptr;
};

} // namespace faultline
