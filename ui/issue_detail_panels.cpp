// IssueDetailView around the event: the tag panel's place (beside the event or
// a tab), the Events tab's search, the header's texts as shown, and the
// event's JSON copied or saved. Its reads
// are in issue_detail_reads.cpp, the rest in issue_detail_view.cpp.
#include "ui/issue_detail_view.h"

#include "model/stored_event.h"
#include "ui/issue_events_view.h"
#include "ui/tag_distribution_view.h"

#include <QApplication>
#include <QClipboard>
#include <QFileDialog>
#include <QLabel>
#include <QLayout>
#include <QMessageBox>
#include <QResizeEvent>
#include <QSaveFile>
#include <QScrollArea>
#include <QTabWidget>
#include <QTextDocument>

namespace faultline {

QString IssueDetailView::facetsText() const
{
    QStringList lines;
    for (const QString &key : { QStringLiteral("release"), QStringLiteral("environment") }) {
        const TagDistribution *tag = m_summary.tag(key);
        if (!tag)
            continue;
        QStringList values;
        for (const TagValueCount &value : tag->top)
            values.append(value.value);
        lines.append(QStringLiteral("%1: %2").arg(
            key == u"release" ? tr("Releases") : tr("Environments"), values.join(QStringLiteral(", "))));
    }
    return lines.join(QStringLiteral(" · "));
}

QString IssueDetailView::factsText() const
{
    QString text = m_facts->text();
    text.replace(QLatin1String("&nbsp;"), QLatin1String(" "));
    QTextDocument document;
    document.setHtml(text);
    return document.toPlainText().simplified();
}

void IssueDetailView::filterEvents(const QString &term)
{
    m_eventsView->filterBy(term);
    m_tabs->setCurrentWidget(m_eventsView);
}

void IssueDetailView::setEventInfo(const QString &text, const QString &toolTip)
{
    m_eventInfoText = text;
    m_eventInfoToolTip = toolTip;
    const QString shown
        = m_eventInfo->fontMetrics().elidedText(text, Qt::ElideRight, std::max(40, m_eventInfo->width()));
    m_eventInfo->setText(shown);
    m_eventInfo->setToolTip(!toolTip.isEmpty() ? toolTip : shown != text ? text : QString());
}

bool IssueDetailView::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_eventInfo && event->type() == QEvent::Resize)
        setEventInfo(m_eventInfoText, m_eventInfoToolTip);
    return QWidget::eventFilter(watched, event);
}

void IssueDetailView::resizeEvent(QResizeEvent *event)
{
    QWidget::resizeEvent(event);
    placeTagPanel();
}

void IssueDetailView::placeTagPanel()
{
    // Beside the event (as Sentry's sidebar) once the pane has room for both.
    const bool beside = width() >= kSideBySideWidth;
    const bool isBeside = m_tagPanel->parentWidget() == m_side;
    m_side->setFixedWidth(std::clamp(width() / 3, 240, 380));
    if (beside == isBeside && m_tabs->indexOf(m_tagPanel) != -1 - int(beside))
        return;
    if (beside) {
        const int index = m_tabs->indexOf(m_tagPanel);
        const bool wasShown = m_tabs->currentWidget() == m_tagPanel;
        if (index >= 0)
            m_tabs->removeTab(index);
        m_side->layout()->addWidget(m_tagPanel);
        m_tagPanel->show();
        m_side->show();
        if (wasShown)
            m_tabs->setCurrentWidget(m_eventTab);
    } else {
        m_side->layout()->removeWidget(m_tagPanel);
        m_side->hide();
        m_tabs->addTab(m_tagPanel, tr("Tags"));
        m_tabs->setTabToolTip(m_tabs->indexOf(m_tagPanel), tr("What the issue's events have in common"));
    }
}

QByteArray IssueDetailView::currentEventJson() const
{
    return m_rawJson.isEmpty() ? QByteArray() : storedEventText(m_rawJson, m_event.eventId, m_eventTimestampMs);
}

void IssueDetailView::copyEventJson() const
{
    if (m_rawJson.isEmpty())
        return;
    QApplication::clipboard()->setText(QString::fromUtf8(currentEventJson()));
}

void IssueDetailView::saveEventJson()
{
    if (m_rawJson.isEmpty())
        return;
    const QString suggested = QStringLiteral("event-%1.json").arg(m_event.eventId);
    const QString path = QFileDialog::getSaveFileName(this, tr("Save event JSON"), suggested, tr("JSON (*.json)"));
    if (path.isEmpty())
        return;
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(currentEventJson()) < 0 || !file.commit())
        QMessageBox::warning(this, tr("Save event JSON"), tr("Could not write %1: %2").arg(path, file.errorString()));
}

} // namespace faultline
