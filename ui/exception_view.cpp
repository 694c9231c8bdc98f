#include "ui/exception_view.h"

#include "ui/frame_view.h"
#include "ui/python_traceback.h"
#include "ui/source_workspace.h"
#include "ui/stack_trace_view.h"
#include "ui/triage/level_style.h"

#include <QFontDatabase>
#include <QLabel>
#include <QPlainTextEdit>
#include <QTimer>
#include <QVBoxLayout>

#include <utility>

namespace faultline {

ExceptionView::ExceptionView(QWidget *parent)
    : QWidget(parent)
    , m_structured(new QWidget(this))
    , m_structuredLayout(new QVBoxLayout(m_structured))
    , m_rawEdit(new QPlainTextEdit(this))
{
    m_structuredLayout->setContentsMargins(0, 0, 0, 0);
    m_structuredLayout->setSpacing(8);
    m_rawEdit->setReadOnly(true);
    m_rawEdit->setObjectName(QStringLiteral("rawTraceback"));
    m_rawEdit->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_rawEdit->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_rawEdit->hide();
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_structured);
    layout->addWidget(m_rawEdit);
}

QWidget *ExceptionView::exceptionBlock(
    const ExceptionValue &exception, const QString &fallbackTitle, const QJsonObject &framesMeta)
{
    auto *block = new QWidget(m_structured);
    auto *layout = new QVBoxLayout(block);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(4);

    // A synthetic exception (node captureMessage) has no type: the message is its title.
    const bool synthetic = exception.mechanism && exception.mechanism->synthetic;
    QString type = exception.type;
    if (type.isEmpty() || synthetic)
        type = fallbackTitle.isEmpty() ? tr("Error") : fallbackTitle;
    m_types.append(type);

    auto *typeLabel = new QLabel(block);
    typeLabel->setObjectName(QStringLiteral("exceptionType"));
    typeLabel->setTextFormat(Qt::PlainText);
    typeLabel->setText(type);
    typeLabel->setWordWrap(true);
    typeLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    QFont typeFont = typeLabel->font();
    typeFont.setBold(true);
    typeFont.setPointSizeF(typeFont.pointSizeF() * 1.3);
    typeLabel->setFont(typeFont);
    typeLabel->setMinimumWidth(1);

    QString badges;
    if (!exception.module.isEmpty())
        badges += QStringLiteral("<span style=\"color:gray\">%1</span> &nbsp;").arg(exception.module.toHtmlEscaped());
    if (exception.mechanism) {
        const Mechanism &mechanism = *exception.mechanism;
        if (mechanism.handled.has_value())
            badges += badgeHtml(*mechanism.handled ? tr("handled") : tr("unhandled"),
                          *mechanism.handled ? QColor(0x43, 0xa0, 0x47) : QColor(0xe5, 0x39, 0x35))
                + QStringLiteral(" &nbsp;");
        if (!mechanism.type.isEmpty())
            badges += tr("mechanism: %1").arg(mechanism.type.toHtmlEscaped()) + QStringLiteral(" &nbsp;");
        if (synthetic)
            badges += tr("synthetic (captured message)");
    }
    // The badges go under the type, as Sentry shows mechanism chips: beside it, a narrow
    // pane squeezed the type to nothing.
    layout->addWidget(typeLabel);
    if (!badges.isEmpty()) {
        auto *badgeLabel = new QLabel(badges, block);
        badgeLabel->setObjectName(QStringLiteral("exceptionBadges"));
        badgeLabel->setTextFormat(Qt::RichText);
        badgeLabel->setWordWrap(true);
        badgeLabel->setMinimumWidth(1);
        layout->addWidget(badgeLabel);
    }

    if (!exception.value.isEmpty() && !synthetic) {
        auto *value = new QLabel(block);
        value->setObjectName(QStringLiteral("exceptionValue"));
        value->setTextFormat(Qt::PlainText);
        value->setText(exception.value);
        value->setWordWrap(true);
        value->setTextInteractionFlags(Qt::TextSelectableByMouse);
        value->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
        value->setMinimumWidth(1); // unbreakable tokens (URLs, paths) clip instead of widening the pane
        layout->addWidget(value);
    }

    if (!exception.frames.isEmpty()) {
        auto *stack = new StackTraceView(block);
        stack->setSourceWorkspace(m_workspace);
        stack->setFrames(exception.frames, framesMeta);
        connect(stack, &StackTraceView::frameActivated, this, &ExceptionView::setCurrentFrame);
        m_stacks.append(stack);
        layout->addWidget(stack);
    }
    return block;
}

void ExceptionView::setSourceWorkspace(SourceWorkspace *workspace)
{
    if (m_workspace)
        disconnect(m_workspace, nullptr, this, nullptr);
    m_workspace = workspace;
    if (m_workspace)
        connect(m_workspace, &SourceWorkspace::rootsChanged, this, [this]() {
            // Deferred: opening another project's issue changes the roots just before its event is shown,
            // and rebuilding the outgoing event's frames (and their git blame) then would be wasted.
            QTimer::singleShot(0, this, [this, shown = m_generation]() {
                if (shown == m_generation)
                    setEvent(Event(m_event));
            });
        });
}

void ExceptionView::setCurrentFrame(FrameView *view)
{
    if (m_current)
        m_current->setCurrent(false);
    m_current = view;
    if (m_current)
        m_current->setCurrent(true);
}

bool ExceptionView::openCurrentFrame() { return m_current && m_current->openInEditor(); }

void ExceptionView::setEvent(const Event &event)
{
    m_event = event;
    ++m_generation;
    m_current = nullptr;
    while (QLayoutItem *item = m_structuredLayout->takeAt(0)) {
        delete item->widget();
        delete item;
    }
    m_stacks.clear();
    m_types.clear();

    const QString message = event.message.isEmpty() ? event.messageTemplate : event.message;
    QList<ExceptionValue> chain = event.exceptions;
    if (chain.isEmpty() && !event.threadFrames.isEmpty()) {
        ExceptionValue thread;
        thread.frames = event.threadFrames;
        chain.append(thread);
    }
    m_empty = chain.isEmpty();

    // Raised exception first; the ones it happened while handling follow.
    for (qsizetype i = chain.size() - 1; i >= 0; --i) {
        if (i != chain.size() - 1) {
            // Newest first, so Python's "The above exception was the direct cause of the
            // following exception" is said from the other side.
            const std::optional<Mechanism> &mechanism = chain.at(i).mechanism;
            const QString source = mechanism ? mechanism->source : QString();
            const QString text = source == u"__cause__"
                ? tr("↑ raised from the exception below: it was the direct cause of the exception above "
                     "(raise … from)")
                : source == u"__context__" ? tr("↑ raised during handling of the exception below")
                                           : tr("… which happened while handling:");
            auto *separator = new QLabel(text, m_structured);
            separator->setObjectName(QStringLiteral("chainSeparator"));
            separator->setWordWrap(true);
            separator->setForegroundRole(QPalette::PlaceholderText);
            QFont font = separator->font();
            font.setItalic(true);
            separator->setFont(font);
            m_structuredLayout->addWidget(separator);
        }
        // The event's `_meta` for this exception's frames (trimmed locals), by its index in the event.
        const QJsonObject framesMeta = event.raw.value(QLatin1String("_meta"))
                                           .toObject()
                                           .value(QLatin1String("exception"))
                                           .toObject()
                                           .value(QLatin1String("values"))
                                           .toObject()
                                           .value(QString::number(i))
                                           .toObject()
                                           .value(QLatin1String("stacktrace"))
                                           .toObject()
                                           .value(QLatin1String("frames"))
                                           .toObject();
        m_structuredLayout->addWidget(exceptionBlock(chain.at(i), message, framesMeta));
    }

    // Until the user picks one, `o` opens the frame shown open: where the app's code crashed.
    for (StackTraceView *stack : m_workspace ? m_stacks : QList<StackTraceView *>()) {
        if (FrameView *expanded = stack->firstExpandedFrame()) {
            setCurrentFrame(expanded);
            break;
        }
    }

    m_rawText = formatTraceback(event);
    m_rawEdit->setPlainText(m_rawText);
    const int lines = int(m_rawText.count(QLatin1Char('\n'))) + 2;
    m_rawEdit->setFixedHeight(qMin(lines, 40) * m_rawEdit->fontMetrics().lineSpacing() + 16);
    setRaw(m_raw);
}

void ExceptionView::setRaw(bool raw)
{
    m_raw = raw;
    m_structured->setVisible(!raw);
    m_rawEdit->setVisible(raw);
}

} // namespace faultline
