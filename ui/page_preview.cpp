#include "ui/page_preview.h"

#include "ui/http_outcome_view.h"
#include "ui/safe_text_browser.h"
#include "ui/triage/http_status.h"
#include "ui/triage/level_style.h"
#include "ui/triage/plural.h"

#include <QFontDatabase>
#include <QHBoxLayout>
#include <QLabel>
#include <QPlainTextEdit>
#include <QStackedWidget>
#include <QTextDocumentFragment>
#include <QToolButton>
#include <QUrl>
#include <QVBoxLayout>

namespace faultline {

PagePreview::PagePreview(QWidget *parent)
    : QWidget(parent)
    , m_header(new QLabel(this))
    , m_sourceToggle(new QToolButton(this))
    , m_note(new QLabel(this))
    , m_linkNote(new QLabel(this))
    , m_stack(new QStackedWidget(this))
    , m_browser(new SafeTextBrowser(this))
    , m_source(new QPlainTextEdit(this))
{
    m_header->setTextFormat(Qt::RichText);
    m_sourceToggle->setText(tr("HTML source"));
    m_sourceToggle->setCheckable(true);
    m_sourceToggle->setToolTip(tr("Switch between the rendered page and its HTML source"));
    m_note->setWordWrap(true);
    m_note->setTextFormat(Qt::PlainText);
    m_note->hide();
    m_linkNote->setTextFormat(Qt::PlainText);
    m_linkNote->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_linkNote->hide();

    m_source->setReadOnly(true);
    m_source->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_source->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_source->setUndoRedoEnabled(false);
    m_stack->addWidget(m_browser);
    m_stack->addWidget(m_source);

    auto *top = new QHBoxLayout;
    top->addWidget(m_header, 1);
    top->addWidget(m_sourceToggle);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(top);
    layout->addWidget(m_note);
    layout->addWidget(m_stack, 1);
    layout->addWidget(m_linkNote);

    connect(m_sourceToggle, &QToolButton::toggled, this, &PagePreview::setShowingSource);
    connect(m_browser, &QTextBrowser::anchorClicked, this, &PagePreview::showRefusedLink);
    connect(m_browser, &SafeTextBrowser::navigationRefused, this, &PagePreview::showRefusedLink);
    clear();
}

void PagePreview::setPage(const QByteArray &html, int statusCode, const QString &filename)
{
    QStringList parts;
    if (statusCode > 0)
        parts.append(badgeHtml(QStringLiteral("HTTP %1").arg(statusCode), httpStatusColor(statusCode)));
    parts.append(humanSize(html.size()).toHtmlEscaped());
    if (!filename.isEmpty())
        parts.append(filename.toHtmlEscaped());
    m_header->setText(parts.join(QStringLiteral(" · ")));
    m_linkNote->hide();
    m_lastRefusedLink.clear();

    m_truncated = html.size() > SafeTextDocument::kMaxRenderBytes;
    if (m_truncated) {
        // Laying out megabytes of HTML would freeze the window; the start of the
        // source is what someone investigating the page needs anyway.
        const QString head = SafeTextDocument::decodeHtml(html.left(kTruncatedSourceBytes));
        m_note->setText(tr("This page is %1, over the %2 preview limit: it is not rendered. "
                           "Showing the first %3 of its source.")
                            .arg(humanSize(html.size()), humanSize(SafeTextDocument::kMaxRenderBytes),
                                humanSize(kTruncatedSourceBytes)));
        m_note->show();
        m_browser->setPlainText(head);
        m_source->setPlainText(head);
    } else {
        m_note->clear();
        m_note->hide();
        m_browser->showPage(html);
        m_source->setPlainText(SafeTextDocument::decodeHtml(html));
    }
    m_sourceToggle->setEnabled(true);
}

void PagePreview::clear()
{
    m_header->setText(tr("No page"));
    m_note->clear();
    m_note->hide();
    m_linkNote->hide();
    m_lastRefusedLink.clear();
    m_truncated = false;
    m_browser->clear();
    m_source->clear();
    m_sourceToggle->setEnabled(false);
}

bool PagePreview::isShowingSource() const { return m_stack->currentWidget() == m_source; }

void PagePreview::setShowingSource(bool source)
{
    m_stack->setCurrentWidget(source ? static_cast<QWidget *>(m_source) : m_browser);
    if (m_sourceToggle->isChecked() != source)
        m_sourceToggle->setChecked(source);
}

QString PagePreview::headerText() const
{
    QString text = m_header->text();
    text.replace(QLatin1String("&nbsp;"), QLatin1String(""));
    return QTextDocumentFragment::fromHtml(text).toPlainText();
}

QString PagePreview::noteText() const { return m_note->text(); }

void PagePreview::showRefusedLink(const QUrl &url)
{
    m_lastRefusedLink = url.toString();
    m_linkNote->setText(tr("Links are not followed in previews: %1").arg(m_lastRefusedLink));
    m_linkNote->show();
}

} // namespace faultline
