#pragma once
// The exception chain of one event: the raised exception first, each with its
// type and value up front, how it was caught (mechanism), and its stack. A
// "raw" mode shows the traceback as the runtime prints it instead.
#include "model/event.h"
#include "ui/frame_view.h" // QPointer<FrameView> needs the complete type

#include <QPointer>
#include <QWidget>

class QPlainTextEdit;
class QVBoxLayout;

namespace faultline {

class SourceWorkspace;
class StackTraceView;

class ExceptionView : public QWidget {
    Q_OBJECT
public:
    explicit ExceptionView(QWidget *parent = nullptr);

    void setEvent(const Event &event);
    void setRaw(bool raw);
    // Frames then open in the editor, show blame and disk context; rebuilt when the roots change.
    void setSourceWorkspace(SourceWorkspace *workspace);
    // The frame `o` opens: the one last clicked, else the frame shown expanded (where the app crashed).
    FrameView *currentFrame() const { return m_current; }
    bool openCurrentFrame();
    bool isRaw() const { return m_raw; }
    QString rawText() const { return m_rawText; }
    bool isEmpty() const { return m_empty; }

    QList<StackTraceView *> stackViews() const { return m_stacks; }
    // Type names in display order (raised first), e.g. for tests and the window title.
    QStringList displayedTypes() const { return m_types; }

private:
    QWidget *exceptionBlock(
        const ExceptionValue &exception, const QString &fallbackTitle, const QJsonObject &framesMeta);
    void setCurrentFrame(FrameView *view);

    QWidget *m_structured;
    QVBoxLayout *m_structuredLayout;
    QPlainTextEdit *m_rawEdit;
    QString m_rawText;
    QList<StackTraceView *> m_stacks;
    QStringList m_types;
    Event m_event; // kept to rebuild the frames when the source roots change
    SourceWorkspace *m_workspace = nullptr;
    quint64 m_generation = 0; // counts setEvent() calls
    QPointer<FrameView> m_current;
    bool m_raw = false;
    bool m_empty = true;
};

} // namespace faultline
