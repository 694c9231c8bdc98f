// IssueDetailView around the event: the tag panel's place (beside the event or
// a tab), the Events tab and opening one of its events, the chart's span, and
// the header's texts as shown. The rest is in issue_detail_view.cpp.
#include "ui/issue_detail_view.h"

#include "model/event_parser.h"
#include "storage/event_queries.h"
#include "ui/event_compare_dialog.h"
#include "ui/issue_events_view.h"
#include "ui/issue_histogram_view.h"
#include "ui/tag_distribution_view.h"

#include <QDateTime>
#include <QLabel>
#include <QLayout>
#include <QResizeEvent>
#include <QScrollArea>
#include <QTabWidget>
#include <QTextDocument>

namespace faultline {

void IssueDetailView::reloadChart()
{
    if (!m_issue || !m_histograms)
        return;
    QString error;
    const Histogram histogram = m_histograms->forIssue(
        m_issue->id, IssueHistogramView::rangeFor(m_histogram->span(), QDateTime::currentMSecsSinceEpoch()), &error);
    m_histogram->setHistogram(histogram, m_histogram->releaseMarkers());
}

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

bool IssueDetailView::compareEvents(const QString &olderEventId, const QString &newerEventId)
{
    if (!m_issue)
        return false;
    // Two events' JSON, read and parsed on the GUI thread like the one shown: one click, two rows.
    const std::optional<EventRow> older = m_events->byEventId(olderEventId, m_issue->projectId);
    const std::optional<EventRow> newer = m_events->byEventId(newerEventId, m_issue->projectId);
    if (!older || !newer)
        return false;
    const Result<Event> left = parseEventJson(older->rawJson, EventDetail::Full);
    const Result<Event> right = parseEventJson(newer->rawJson, EventDetail::Full);
    if (!left.ok() || !right.ok())
        return false;
    auto title = [](const EventRow &row) {
        return tr("%1 · %2").arg(row.eventId.left(8),
            QDateTime::fromMSecsSinceEpoch(row.receivedMs).toString(QStringLiteral("yyyy-MM-dd HH:mm:ss")));
    };
    auto *dialog = new EventCompareDialog(left.value(), title(*older), right.value(), title(*newer), this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->show();
    return true;
}

void IssueDetailView::filterEvents(const QString &term)
{
    m_eventsView->filterBy(term);
    m_tabs->setCurrentWidget(m_eventsView);
}

void IssueDetailView::showEventRow(qint64 rowId, qint64 receivedMs)
{
    if (!m_issue)
        return;
    const qint64 newer = m_events->newerInIssue(m_issue->id, receivedMs, rowId);
    m_tabs->setCurrentWidget(m_eventTab);
    showEventNumber(int(m_eventCount - newer));
}

void IssueDetailView::setEventInfo(const QString &text)
{
    m_eventInfoText = text;
    m_eventInfo->setText(
        m_eventInfo->fontMetrics().elidedText(text, Qt::ElideRight, std::max(40, m_eventInfo->width())));
}

bool IssueDetailView::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_eventInfo && event->type() == QEvent::Resize)
        setEventInfo(m_eventInfoText);
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

} // namespace faultline
