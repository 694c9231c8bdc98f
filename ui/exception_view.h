#pragma once
// The exception chain of one event: the raised exception first, each with its
// type and value up front, how it was caught (mechanism), and its stack. A
// "raw" mode shows the traceback as the runtime prints it instead.
#include "model/event.h"

#include <QWidget>

class QPlainTextEdit;
class QVBoxLayout;

namespace faultline {

class StackTraceView;

class ExceptionView : public QWidget {
    Q_OBJECT
public:
    explicit ExceptionView(QWidget *parent = nullptr);

    void setEvent(const Event &event);
    void setRaw(bool raw);
    bool isRaw() const { return m_raw; }
    QString rawText() const { return m_rawText; }
    bool isEmpty() const { return m_empty; }

    QList<StackTraceView *> stackViews() const { return m_stacks; }
    // Type names in display order (raised first), e.g. for tests and the window title.
    QStringList displayedTypes() const { return m_types; }

private:
    QWidget *exceptionBlock(const ExceptionValue &exception, const QString &fallbackTitle);

    QWidget *m_structured;
    QVBoxLayout *m_structuredLayout;
    QPlainTextEdit *m_rawEdit;
    QString m_rawText;
    QList<StackTraceView *> m_stacks;
    QStringList m_types;
    bool m_raw = false;
    bool m_empty = true;
};

} // namespace faultline
