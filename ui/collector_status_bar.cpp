#include "ui/collector_status_bar.h"

#include "storage/database_stats.h"
#include "storage/postgres/pg_uri.h"
#include "storage/retention_scheduler.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QPushButton>

namespace faultline {

CollectorStatusBar::CollectorStatusBar(MainWindowContext context, QWidget *parent)
    : QWidget(parent)
    , m_context(std::move(context))
    , m_address(new QPushButton(this))
    , m_rateLabel(new QLabel(this))
    , m_rejected(new QPushButton(this))
    , m_size(new QLabel(this))
    , m_pruning(new QLabel(this))
{
    m_address->setObjectName(QStringLiteral("collectorAddress"));
    m_address->setFlat(true);
    m_address->setCursor(Qt::PointingHandCursor);
    if (m_context.collectorHostPort.isEmpty()) // a viewer of PostgreSQL: who collects is not known here
        m_address->setText(m_context.collectedBy.isEmpty() ? tr("collector not running") : m_context.collectedBy);
    else if (!m_context.collectedBy.isEmpty())
        m_address->setText(tr("Collected by %1 on %2").arg(m_context.collectedBy, m_context.collectorHostPort));
    else
        m_address->setText(tr("Listening on %1").arg(m_context.collectorHostPort));
    m_address->setToolTip(tr("Click to copy the DSN of the selected project"));
    m_rateLabel->setObjectName(QStringLiteral("eventRate"));
    m_rejected->setObjectName(QStringLiteral("rejectedRequests"));
    m_rejected->setFlat(true);
    m_rejected->setCursor(Qt::PointingHandCursor);
    m_size->setObjectName(QStringLiteral("databaseSize"));
    m_pruning->setObjectName(QStringLiteral("pruneProgress"));
    m_pruning->setToolTip(tr("Deleting events past the projects' retention limits"));
    m_pruning->hide();

    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(16);
    layout->addWidget(m_address);
    layout->addWidget(m_rateLabel);
    layout->addWidget(m_rejected);
    layout->addWidget(m_pruning);
    layout->addWidget(m_size);

    connect(m_address, &QPushButton::clicked, this, &CollectorStatusBar::addressClicked);
    connect(m_rejected, &QPushButton::clicked, this, &CollectorStatusBar::rejectedClicked);
    if (m_context.retention) {
        connect(m_context.retention, &RetentionScheduler::progress, this, &CollectorStatusBar::showPruneProgress);
        connect(m_context.retention, &RetentionScheduler::finished, m_pruning, [this]() {
            m_pruning->clear();
            m_pruning->hide();
            m_pollsSinceSize = 0; // the size changed: show it on the next poll
        });
    }
    m_poll.setInterval(1000);
    connect(&m_poll, &QTimer::timeout, this, &CollectorStatusBar::pollNow);
    m_poll.start();
    pollNow();
}

QString CollectorStatusBar::rateText() const { return m_rateLabel->text(); }

QString CollectorStatusBar::pruningText() const { return m_pruning->isVisibleTo(this) ? m_pruning->text() : QString(); }

void CollectorStatusBar::showPruneProgress(qint64 done, qint64 total)
{
    const int percent = total > 0 ? int(qBound(qint64(0), done * 100 / total, qint64(100))) : 0;
    m_pruning->setText(tr("Pruning… %1%").arg(percent));
    m_pruning->show();
}

void CollectorStatusBar::pollNow()
{
    if (m_context.collectorStatus) {
        const CollectorStatus status = m_context.collectorStatus();
        if (m_havePrevious && m_sinceLast.elapsed() > 0) {
            const double seconds = double(m_sinceLast.elapsed()) / 1000.0;
            const quint64 delta = status.acceptedEvents >= m_lastAccepted ? status.acceptedEvents - m_lastAccepted : 0;
            m_rate = double(delta) / seconds;
        }
        m_havePrevious = true;
        m_lastAccepted = status.acceptedEvents;
        m_sinceLast.restart();
        m_rateLabel->setText(tr("%1 events/s").arg(QLocale().toString(m_rate, 'f', m_rate < 10 ? 1 : 0)));
        m_rejected->setText(tr("%1 rejected").arg(QLocale().toString(status.rejectedRequests)));
        m_rejected->setToolTip(tr("Requests refused since start: %1 in total, %2 rate-limited (429); %3 events "
                                  "dropped by SDKs. Click for why, per project and reason.")
                                   .arg(status.rejectedRequests)
                                   .arg(status.rateLimited)
                                   .arg(status.clientDiscarded));
        m_rejected->show();
        if (status.refusing != m_refusing || status.refusingStatus != m_refusingStatus) {
            m_refusing = status.refusing;
            m_refusingStatus = status.refusingStatus;
            emit refusingChanged(m_refusing, m_refusingStatus);
        }
    } else {
        m_rateLabel->setText(m_context.collectedBy.isEmpty() ? tr("no collector") : QString());
        m_rejected->hide();
    }
    // stat() is cheap, but there is no need to do it every second.
    if (!m_context.dbPath.isEmpty() && !isPostgresUri(m_context.dbPath) && (m_pollsSinceSize++ % 5) == 0)
        m_size->setText(tr("Database %1").arg(QLocale().formattedDataSize(databaseFileSize(m_context.dbPath))));
}

} // namespace faultline
