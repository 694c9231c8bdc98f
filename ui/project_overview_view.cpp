#include "ui/project_overview_view.h"

#include "storage/storage_error_text.h"
#include "storage/storage_gateway.h"

#include "ui/sparkline.h"
#include "ui/triage/level_style.h"
#include "ui/triage/plural.h"
#include "ui/triage/relative_time.h"

#include <QDateTime>
#include <QGridLayout>
#include <QLabel>
#include <QLocale>
#include <QPainter>
#include <QScrollArea>
#include <QVBoxLayout>

namespace faultline {

namespace {

// A project's day: bars over 24 hours, the peak written at the top left, times under.
class HourlyBars : public QWidget {
public:
    HourlyBars(const ProjectActivity &activity, const HistogramRange &range, QWidget *parent)
        : QWidget(parent)
        , m_counts(activity.hourly)
        , m_range(range)
    {
        setMinimumSize(160, 44);
        setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
        qint64 peak = 0;
        for (qint64 count : m_counts)
            peak = std::max(peak, count);
        setToolTip(tr("%1 in the last 24 hours, at most %2 in an hour")
                       .arg(countText(activity.total(), "%1 event", "%1 events"), QLocale().toString(peak)));
    }

protected:
    void paintEvent(QPaintEvent *) override
    {
        QPainter painter(this);
        const QFontMetrics metrics = fontMetrics();
        const QRect bars(0, 0, width(), height() - metrics.height() - 2);
        QColor field = palette().color(QPalette::PlaceholderText);
        field.setAlpha(24);
        painter.fillRect(bars, field);
        paintBars(&painter, bars, m_counts, palette().color(QPalette::Highlight));
        qint64 peak = 0;
        for (qint64 count : m_counts)
            peak = std::max(peak, count);
        painter.setPen(palette().color(QPalette::PlaceholderText));
        if (peak > 0)
            painter.drawText(
                bars.adjusted(3, 1, 0, 0), Qt::AlignLeft | Qt::AlignTop, tr("peak %1/h").arg(QLocale().toString(peak)));
        const QRect axis(0, bars.bottom() + 2, width(), metrics.height());
        painter.drawText(axis, Qt::AlignLeft,
            QLocale().toString(QDateTime::fromMSecsSinceEpoch(m_range.startMs), QStringLiteral("HH:mm")));
        painter.drawText(axis, Qt::AlignRight, tr("now"));
    }

private:
    QList<qint64> m_counts;
    HistogramRange m_range;
};

QLabel *heading(const QString &text, QWidget *parent)
{
    auto *label = new QLabel(text, parent);
    QFont font = label->font();
    font.setBold(true);
    font.setPointSizeF(font.pointSizeF() * 1.15);
    label->setFont(font);
    return label;
}

} // namespace

ProjectOverviewView::ProjectOverviewView(
    StorageGateway &storage, std::function<CollectorStatus()> collectorStatus, QWidget *parent)
    : QWidget(parent)
    , m_storage(storage)
    , m_collectorStatus(std::move(collectorStatus))
{
    setObjectName(QStringLiteral("projectOverview"));
    auto *scroll = new QScrollArea(this);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    auto *inner = new QWidget(scroll);
    m_content = new QVBoxLayout(inner);
    m_content->setContentsMargins(10, 8, 10, 8);
    m_content->setSpacing(6);
    scroll->setWidget(inner);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(scroll);
}

void ProjectOverviewView::refresh()
{
    const qint64 nowMs = QDateTime::currentMSecsSinceEpoch();
    m_storage.read([nowMs](StorageBackend &backend) { return readProjectOverview(backend, nowMs); }, this,
        [this](const StorageResult<ProjectOverview> &read) {
            if (read) // a failed read keeps what is shown; the next refresh tries again
                setOverview(*read);
            emit refreshed();
        });
}

void ProjectOverviewView::setOverview(const ProjectOverview &overview)
{
    m_overview = overview;
    while (QLayoutItem *item = m_content->takeAt(0)) {
        if (QWidget *widget = item->widget())
            widget->deleteLater();
        else if (QLayout *child = item->layout()) {
            while (QLayoutItem *cell = child->takeAt(0)) {
                if (cell->widget())
                    cell->widget()->deleteLater();
                delete cell;
            }
        }
        delete item;
    }
    QWidget *inner = m_content->parentWidget();
    const qint64 now = QDateTime::currentMSecsSinceEpoch();

    m_content->addWidget(heading(tr("Events per hour, last 24 hours"), inner));
    auto *grid = new QGridLayout;
    grid->setHorizontalSpacing(12);
    grid->setColumnStretch(2, 1);
    int row = 0;
    for (const ProjectActivity &project : overview.projects) {
        auto *name = new QLabel(project.name, inner);
        name->setToolTip(project.name);
        name->setMinimumWidth(1);
        name->setMaximumWidth(220);
        auto *total = new QLabel(countText(project.total(), "%1 event", "%1 events"), inner);
        total->setAlignment(Qt::AlignRight | Qt::AlignVCenter);
        grid->addWidget(name, row, 0);
        grid->addWidget(total, row, 1);
        grid->addWidget(new HourlyBars(project, overview.range, inner), row, 2);
        ++row;
    }
    if (overview.projects.isEmpty())
        grid->addWidget(new QLabel(tr("No projects yet."), inner), 0, 0);
    m_content->addLayout(grid);

    m_content->addSpacing(8);
    m_content->addWidget(heading(tr("New issues, last 24 hours"), inner));
    for (const IssueRow &issue : overview.newIssues) {
        auto *link = new QLabel(inner);
        link->setTextFormat(Qt::RichText);
        link->setText(QStringLiteral("%1 <a href=\"%2\">%3</a> &nbsp;<span>%4 · first seen %5</span>")
                          .arg(badgeHtml(issue.level, levelColor(issue.level)), QString::number(issue.id),
                              issue.title.toHtmlEscaped(), countText(issue.count, "%1 event", "%1 events"),
                              relativeTime(issue.firstSeenMs, now)));
        link->setToolTip(issue.title + u'\n' + issue.culprit);
        link->setMinimumWidth(1);
        connect(
            link, &QLabel::linkActivated, this, [this](const QString &id) { emit issueActivated(id.toLongLong()); });
        m_content->addWidget(link);
    }
    if (overview.newIssues.isEmpty())
        m_content->addWidget(new QLabel(tr("No new issues in the last day."), inner));

    m_content->addSpacing(8);
    m_content->addWidget(heading(tr("Rejected and dropped events"), inner));
    if (m_collectorStatus) {
        const CollectorStatus status = m_collectorStatus();
        m_content->addWidget(
            new QLabel(tr("The collector refused %1 since it started (%2 rate-limited).")
                           .arg(countText(qint64(status.rejectedRequests), "%1 request", "%1 requests"))
                           .arg(QLocale().toString(status.rateLimited)),
                inner));
    }
    QHash<qint64, QString> names;
    for (const ProjectActivity &project : overview.projects)
        names.insert(project.projectId, project.name);
    for (const DiscardedCount &discarded : overview.discarded)
        m_content->addWidget(new QLabel(tr("%1: the SDK dropped %2 (%3)")
                                            .arg(names.value(discarded.projectId, QString::number(discarded.projectId)),
                                                countText(discarded.quantity, "%1 event", "%1 events"),
                                                discarded.reason + QStringLiteral(", ") + discarded.category),
            inner));
    if (overview.discarded.isEmpty())
        m_content->addWidget(new QLabel(tr("No SDK reported dropping events."), inner));
    if (!overview.error.isEmpty()) {
        auto *failed = new QLabel(tr("Could not read everything: %1").arg(shortErrorText(overview.error)), inner);
        failed->setToolTip(overview.error);
        m_content->addWidget(failed);
    }
    m_content->addStretch(1);
}

} // namespace faultline
