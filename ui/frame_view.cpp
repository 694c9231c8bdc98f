#include "ui/frame_view.h"

#include "ui/code_highlight.h"
#include "ui/frame_source_panel.h"
#include "ui/key_value_table.h"
#include "ui/source_workspace.h"
#include "ui/value_tree.h"

#include <QApplication>
#include <QEvent>
#include <QFileInfo>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QLabel>
#include <QMouseEvent>
#include <QScrollArea>
#include <QScrollBar>
#include <QToolButton>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

namespace faultline {

namespace {

QColor blend(const QColor &a, const QColor &b, double amountOfB)
{
    return QColor::fromRgbF(float(a.redF() * (1 - amountOfB) + b.redF() * amountOfB),
        float(a.greenF() * (1 - amountOfB) + b.greenF() * amountOfB),
        float(a.blueF() * (1 - amountOfB) + b.blueF() * amountOfB));
}

QString shortLocation(const Frame &frame)
{
    QString file = frame.filename;
    if (file.isEmpty())
        file = QFileInfo(frame.absPath).fileName();
    if (file.isEmpty())
        file = frame.module;
    if (frame.lineno > 0)
        file += QStringLiteral(":%1").arg(frame.lineno);
    if (frame.colno > 0)
        file += QStringLiteral(":%1").arg(frame.colno);
    return file;
}

} // namespace

FrameView::FrameView(const Frame &frame, bool inApp, bool crashing, SourceWorkspace *workspace, QWidget *parent)
    : QFrame(parent)
    , m_frame(frame)
    , m_inApp(inApp)
    , m_crashing(crashing)
    , m_workspace(workspace)
    , m_mappedFile(workspace ? workspace->mappedFile(frame) : QString())
    , m_arrow(new QLabel(this))
    , m_title(new QLabel(this))
    , m_location(new QLabel(this))
    , m_header(new QWidget(this))
{
    setFrameShape(QFrame::StyledPanel);
    setAutoFillBackground(true);
    m_crashing = crashing;
    m_title->setTextFormat(Qt::RichText);
    m_title->setTextInteractionFlags(Qt::NoTextInteraction);
    applyColours();
    m_location->setText(shortLocation(frame));
    m_location->setToolTip(frame.absPath.isEmpty() ? frame.filename : frame.absPath);
    m_location->setForegroundRole(QPalette::PlaceholderText);
    m_location->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_arrow->setFixedWidth(14);
    // Deep module paths must not widen the pane: these labels clip instead.
    m_title->setMinimumWidth(1);
    m_location->setMinimumWidth(1);

    auto *header = new QHBoxLayout(m_header);
    header->setContentsMargins(6, 4, 8, 4);
    header->addWidget(m_arrow);
    header->addWidget(m_title, 1);
    header->addWidget(m_location);
    if (!m_mappedFile.isEmpty()) {
        m_open = new QToolButton(m_header);
        m_open->setObjectName(QStringLiteral("openInEditor"));
        m_open->setText(tr("Open"));
        m_open->setAutoRaise(true);
        m_open->setToolTip(tr("Open %1 at line %2 in your editor (O)").arg(m_mappedFile).arg(frame.lineno));
        m_open->hide(); // until the file is found
        connect(m_open, &QToolButton::clicked, this, [this]() {
            emit activated(this);
            openInEditor();
        });
        header->addWidget(m_open);
        // Whether the checkout has the file is asked off the GUI thread (a hung mount must not
        // freeze the window); the answer is dropped with this view when another event is shown.
        connect(&m_probe, &QFutureWatcher<bool>::finished, this, [this]() { setFileFound(m_probe.result()); });
        m_probe.setFuture(
            QtConcurrent::run(m_workspace->diskPool(), [file = m_mappedFile]() { return QFileInfo(file).isFile(); }));
    } else {
        m_lookupDone = true;
    }
    m_header->installEventFilter(this);
    updateHeaderHint();

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addWidget(m_header);
}

void FrameView::applyColours()
{
    // The tint and the rich text bake colours in; they are worked out again
    // from the app's palette whenever it changes (see changeEvent).
    const QPalette app = QApplication::palette(this);
    // Only the tint is ours: every other role stays inherited, so the next change of the
    // app's palette reaches this frame (as a PaletteChange) and its children.
    QPalette pal = app;
    pal.setResolveMask(0);
    // App frames are what the user can fix: tint them with the highlight colour.
    if (m_inApp)
        pal.setColor(QPalette::Window, blend(app.color(QPalette::Base), app.color(QPalette::Highlight), 0.10));
    else
        pal.setColor(QPalette::Window, app.color(QPalette::Base));
    setPalette(pal);

    const QString function = m_frame.function.isEmpty() ? QStringLiteral("<anonymous>") : m_frame.function;
    QString title = QStringLiteral("<b>%1</b>").arg(function.toHtmlEscaped());
    if (!m_frame.module.isEmpty())
        title += QStringLiteral(" <span style=\"color:%1\">in %2</span>")
                     .arg(pal.color(QPalette::PlaceholderText).name(), m_frame.module.toHtmlEscaped());
    if (m_inApp)
        title += QStringLiteral(" &nbsp;<span style=\"color:%1; font-size:small\">app</span>")
                     .arg(pal.color(QPalette::Highlight).name());
    if (m_crashing)
        title += QStringLiteral(" &nbsp;<span style=\"color:#e53935; font-size:small\">crashed here</span>");
    m_title->setText(title);
    if (m_context)
        m_context->setText(contextHtml(m_shownContext, pal));
}

void FrameView::changeEvent(QEvent *event)
{
    QFrame::changeEvent(event);
    // The app's palette changed (its roles we inherit changed with it): the tint and the
    // colours baked into the rich text follow. Setting our own palette sends this again.
    if (event->type() == QEvent::PaletteChange && !m_applyingColours) {
        m_applyingColours = true;
        applyColours();
        m_applyingColours = false;
    }
}

bool FrameView::hasDetails() const
{
    // A mapped file counts until it is known to be missing: its lines may come from disk.
    return !m_frame.contextLine.isEmpty() || !m_frame.preContext.isEmpty() || m_frame.hasLocals()
        || !m_mappedFile.isEmpty();
}

void FrameView::updateHeaderHint()
{
    const bool details = hasDetails();
    m_header->setCursor(details ? Qt::PointingHandCursor : Qt::ArrowCursor);
    m_header->setToolTip(details ? tr("Click to show the source and local variables") : QString());
    m_arrow->setText(!details ? QString() : m_expanded ? QStringLiteral("▾") : QStringLiteral("▸"));
}

void FrameView::setFileFound(bool found)
{
    m_lookupDone = true;
    if (found) {
        m_localFile = m_mappedFile;
        m_open->show();
        return;
    }
    // Missing: an expanded app frame keeps its panel, which says so and offers the source roots.
    m_mappedFile.clear();
    m_open->hide();
    if (m_expanded && !hasDetails() && !m_source)
        setExpanded(false);
    updateHeaderHint();
}

bool FrameView::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_header && hasDetails() && event->type() == QEvent::MouseButtonRelease
        && static_cast<QMouseEvent *>(event)->button() == Qt::LeftButton) {
        setExpanded(!m_expanded);
        emit activated(this);
        return true;
    }
    return QFrame::eventFilter(watched, event);
}

bool FrameView::openInEditor()
{
    if (m_localFile.isEmpty() || !m_workspace)
        return false;
    QString error;
    const bool started = m_workspace->openInEditor(m_localFile, m_frame.lineno, m_frame.colno, &error).isValid();
    if (!started && m_open)
        m_open->setToolTip(error);
    return started;
}

void FrameView::setCurrent(bool current)
{
    // A stronger tint on the header marks which frame `o` opens.
    m_header->setAutoFillBackground(current);
    QPalette pal = m_header->palette();
    pal.setColor(QPalette::Window, blend(palette().color(QPalette::Base), palette().color(QPalette::Highlight), 0.30));
    m_header->setPalette(pal);
}

void FrameView::setExpanded(bool expanded)
{
    if ((expanded && !hasDetails()) || expanded == m_expanded)
        return;
    m_expanded = expanded;
    if (expanded && !m_body)
        buildBody(); // built lazily: deep stacks with many locals stay cheap to show
    if (m_body)
        m_body->setVisible(expanded);
    m_arrow->setText(expanded ? QStringLiteral("▾") : QStringLiteral("▸"));
}

QString FrameView::contextHtml(const Frame &frame, const QPalette &palette)
{
    const QColor gutter = palette.color(QPalette::PlaceholderText);
    const QColor marked = blend(palette.color(QPalette::Base), QColor(0xe5, 0x39, 0x35), 0.22);
    CodeLanguage language = codeLanguage(frame.filename);
    if (language == CodeLanguage::Plain)
        language = codeLanguage(frame.absPath);
    QString html = QStringLiteral("<table cellspacing=\"0\" cellpadding=\"1\" width=\"100%\">");
    auto addLine = [&](int number, const QString &code, bool isErrorLine) {
        const QString background = isErrorLine ? QStringLiteral(" bgcolor=\"%1\"").arg(marked.name()) : QString();
        html += QStringLiteral("<tr><td%1 align=\"right\" style=\"color:%2; padding-right:8px\">%3</td>"
                               "<td%1 width=\"100%\" style=\"white-space:pre\">%4%5</td></tr>")
                    .arg(background, gutter.name(),
                        number > 0 ? QString::number(number) + QStringLiteral("&nbsp;&nbsp;") : QString(),
                        isErrorLine ? QStringLiteral("<b>") : QString(),
                        highlightedLineHtml(code, language, palette)
                            + (isErrorLine ? QStringLiteral("</b>") : QString()));
    };
    const int first = frame.lineno - int(frame.preContext.size());
    for (int i = 0; i < frame.preContext.size(); ++i)
        addLine(frame.lineno > 0 ? first + i : 0, frame.preContext.at(i), false);
    addLine(frame.lineno, frame.contextLine, true);
    for (int i = 0; i < frame.postContext.size(); ++i)
        addLine(frame.lineno > 0 ? frame.lineno + 1 + i : 0, frame.postContext.at(i), false);
    html += QStringLiteral("</table>");
    return html;
}

void FrameView::buildBody()
{
    m_body = new QWidget(this);
    auto *layout = new QVBoxLayout(m_body);
    layout->setContentsMargins(24, 2, 8, 8);
    layout->setSpacing(6);
    // Library frames are not the user's code: no hint to map them, no blame.
    if (m_workspace && (!m_mappedFile.isEmpty() || m_inApp)) {
        m_source = new FrameSourcePanel(m_frame, m_mappedFile, m_workspace, m_inApp || m_crashing, m_body);
        connect(m_source, &FrameSourcePanel::diskContextRead, this, [this]() {
            if (const auto disk = m_source->diskContext())
                showContext(withDiskContext(m_frame, *disk));
        });
    }
    showContext(m_frame);
    if (m_source)
        layout->addWidget(m_source);
    if (m_frame.hasLocals()) {
        // The Python SDK sends the first 10 locals of a frame and says how many there were.
        const qint64 original = ValueTree::originalLength(m_varsMeta);
        QString title = tr("Local variables");
        if (original > m_frame.vars.size())
            title += tr(" (%1 of %2; the SDK sent the first ones)").arg(m_frame.vars.size()).arg(original);
        auto *caption = new QLabel(title, m_body);
        caption->setObjectName(QStringLiteral("frameLocalsCaption"));
        caption->setWordWrap(true); // a narrow pane wraps the count rather than widening the event
        QFont font = caption->font();
        font.setBold(true);
        caption->setFont(font);
        layout->addWidget(caption);
        auto *locals = new ValueTree(tr("Variable"), m_body);
        locals->setObjectName(QStringLiteral("frameLocals"));
        locals->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
        locals->setObject(m_frame.vars, m_varsMeta);
        layout->addWidget(locals);
    }
    static_cast<QVBoxLayout *>(this->layout())->addWidget(m_body);
}

// The source lines at the top of the body: the SDK's, or the checkout's once read.
void FrameView::showContext(const Frame &shown)
{
    if (shown.contextLine.isEmpty() && shown.preContext.isEmpty())
        return;
    m_shownContext = shown;
    if (!m_context) {
        m_context = new QLabel(m_body);
        m_context->setObjectName(QStringLiteral("frameContext"));
        m_context->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
        m_context->setTextFormat(Qt::RichText);
        m_context->setTextInteractionFlags(Qt::TextSelectableByMouse);
        m_context->setAutoFillBackground(true);
        m_context->setBackgroundRole(QPalette::Base);
        m_context->setContentsMargins(4, 2, 4, 2);
        // Long source lines scroll sideways instead of widening the whole detail pane.
        m_contextScroller = new QScrollArea(m_body);
        m_contextScroller->setWidget(m_context);
        m_contextScroller->setWidgetResizable(true);
        m_contextScroller->setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
        m_contextScroller->setHorizontalScrollBarPolicy(Qt::ScrollBarAsNeeded);
        m_contextScroller->setFrameShape(QFrame::StyledPanel);
        static_cast<QVBoxLayout *>(m_body->layout())->insertWidget(0, m_contextScroller);
    }
    m_context->setText(contextHtml(shown, palette()));
    m_contextScroller->setFixedHeight(m_context->sizeHint().height()
        + m_contextScroller->horizontalScrollBar()->sizeHint().height() + 2 * m_contextScroller->frameWidth());
}

} // namespace faultline
