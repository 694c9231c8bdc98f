#pragma once
// One stack frame: a one-line header (function, module, file:line) that
// expands to the source context around the line and the frame's locals.
#include "model/event.h"

#include <QFrame>
#include <QFutureWatcher>
#include <QJsonObject>

class QLabel;
class QScrollArea;
class QToolButton;

namespace faultline {

class FrameSourcePanel;
class KeyValueTable;
class SourceWorkspace;
class ValueTree;

class FrameView : public QFrame {
    Q_OBJECT
public:
    // `workspace` may be null: no checkout, no "open in editor".
    FrameView(
        const Frame &frame, bool inApp, bool crashing, SourceWorkspace *workspace = nullptr, QWidget *parent = nullptr);

    // The event's `_meta` for this frame's locals, before the frame is first expanded.
    void setVarsMeta(const QJsonObject &meta) { m_varsMeta = meta; }
    void setExpanded(bool expanded);
    bool isExpanded() const { return m_expanded; }
    bool isInApp() const { return m_inApp; }
    bool hasDetails() const;
    const Frame &frame() const { return m_frame; }
    QString localFile() const { return m_localFile; } // mapped file found on disk; empty = none (yet)
    bool isFileLookupDone() const { return m_lookupDone; } // true too when nothing was mapped
    bool openInEditor(); // at the frame's line and column; false when unmapped or the editor failed
    void setCurrent(bool current); // the frame `o` opens: marked with the highlight colour
    FrameSourcePanel *sourcePanel() const { return m_source; } // built with the body; may be null

    // Rich text of the source context: line numbers, the frame's line marked. Escaped.
    static QString contextHtml(const Frame &frame, const QPalette &palette);

signals:
    void activated(FrameView *view); // the user clicked the header

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;
    void changeEvent(QEvent *event) override;

private:
    void buildBody();
    void applyColours();
    void updateHeaderHint();
    void setFileFound(bool found);
    void showContext(const Frame &shown);

    Frame m_frame;
    QJsonObject m_varsMeta;
    bool m_inApp;
    bool m_crashing;
    SourceWorkspace *m_workspace;
    QString m_mappedFile; // where the roots put the file; cleared when it is not there
    QString m_localFile; // m_mappedFile once found on disk
    QFutureWatcher<bool> m_probe;
    bool m_lookupDone = false;
    Frame m_shownContext; // the frame as its source lines show (with the checkout's lines)
    bool m_applyingColours = false;
    bool m_expanded = false;
    QLabel *m_arrow;
    QLabel *m_title;
    QLabel *m_location;
    QWidget *m_header;
    QWidget *m_body = nullptr;
    QToolButton *m_open = nullptr;
    FrameSourcePanel *m_source = nullptr;
    QLabel *m_context = nullptr; // the source lines, once built
    QScrollArea *m_contextScroller = nullptr;
};

} // namespace faultline
