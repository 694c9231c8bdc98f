#include "ui/triage/dropped_events_model.h"

#include <QLocale>

namespace faultline {

DroppedEventsModel::DroppedEventsModel(QObject *parent)
    : QAbstractTableModel(parent)
{
}

void DroppedEventsModel::setRows(QList<DropSummary> rows, QHash<qint64, QString> projectNames)
{
    beginResetModel();
    m_rows = std::move(rows);
    m_projectNames = std::move(projectNames);
    endResetModel();
}

const DropSummary *DroppedEventsModel::summaryAt(int row) const
{
    return row >= 0 && row < m_rows.size() ? &m_rows[row] : nullptr;
}

int DroppedEventsModel::rowCount(const QModelIndex &parent) const { return parent.isValid() ? 0 : int(m_rows.size()); }

int DroppedEventsModel::columnCount(const QModelIndex &parent) const { return parent.isValid() ? 0 : ColumnCount; }

QString DroppedEventsModel::reasonTitle(const DropSummary &row)
{
    static const QHash<QString, const char *> titles {
        { QStringLiteral("invalid"), QT_TR_NOOP("Invalid event") },
        { QStringLiteral("unparseable"), QT_TR_NOOP("Unparseable request") },
        { QStringLiteral("too_large"), QT_TR_NOOP("Too large") },
        { QStringLiteral("too_slow"), QT_TR_NOOP("Too slow") },
        { QStringLiteral("rate_limited"), QT_TR_NOOP("Rate limited") },
        { QStringLiteral("attachment_quota"), QT_TR_NOOP("Attachments over quota") },
        { QStringLiteral("queue_full"), QT_TR_NOOP("Collector saturated") },
        { QStringLiteral("wrong_key"), QT_TR_NOOP("Wrong key or project") },
        { QStringLiteral("not_found"), QT_TR_NOOP("Unknown endpoint") },
        { QStringLiteral("disk_full"), QT_TR_NOOP("Disk nearly full") },
        { QStringLiteral("not_stored"), QT_TR_NOOP("Could not store") },
        { QStringLiteral("overflow"), QT_TR_NOOP("Other (too many kinds at once)") },
    };
    if (row.fromClient())
        return tr("SDK dropped: %1 (%2)").arg(row.reason.mid(7).replace(u'_', u' '), row.category);
    const auto found = titles.constFind(row.reason);
    return found == titles.constEnd() ? row.reason : tr(*found);
}

QString DroppedEventsModel::reasonHelp(const QString &reason)
{
    if (reason.startsWith(QLatin1String("client:")))
        return tr("The SDK never sent these and said so in a client report: its queue overflowed, sampling or a "
                  "before_send hook dropped them, it backed off after a 429, or the network failed.");
    if (reason == QLatin1String("invalid"))
        return tr("The event parsed but broke the protocol; the answer names the field.");
    if (reason == QLatin1String("unparseable"))
        return tr("The body was not JSON or an envelope, or its encoding was unknown or corrupt.");
    if (reason == QLatin1String("too_large"))
        return tr("Over a size limit (request, decompressed body, event, attachment or items per envelope).");
    if (reason == QLatin1String("too_slow"))
        return tr("A request body that did not start, or came slower than the minimum rate; the connection was "
                  "answered 408 and closed.");
    if (reason == QLatin1String("rate_limited"))
        return tr("Over the project's events-per-minute limit (Settings); SDKs back off as told.");
    if (reason == QLatin1String("attachment_quota"))
        return tr("Attachments over the project's bytes-per-hour quota (Settings); their events were kept without "
                  "them, and SDKs were told to hold attachments back until the hour ends.");
    if (reason == QLatin1String("queue_full"))
        return tr("The collector was saturated (a burst faster than the disk); SDKs were told to retry later.");
    if (reason == QLatin1String("wrong_key"))
        return tr("A missing or wrong key, or a project that does not exist: check the service's DSN.");
    if (reason == QLatin1String("not_found"))
        return tr("A path or method the collector does not serve: check the DSN's host and project.");
    if (reason == QLatin1String("disk_full"))
        return tr("Free disk space was below the threshold in Settings; ingest resumes by itself.");
    if (reason == QLatin1String("not_stored"))
        return tr("The database refused the write; the log says why.");
    return tr("See the answer below and the log.");
}

QVariant DroppedEventsModel::data(const QModelIndex &index, int role) const
{
    const DropSummary *row = summaryAt(index.row());
    if (!row)
        return {};
    if (role == HourlyRole)
        return QVariant::fromValue(row->hourly);
    if (role == ReasonKeyRole)
        return row->reason;
    if (role == Qt::ToolTipRole && index.column() == ReasonColumn)
        return reasonHelp(row->reason);
    if (role == Qt::TextAlignmentRole && index.column() >= HourColumn && index.column() <= KeptColumn)
        return QVariant(Qt::AlignRight | Qt::AlignVCenter);
    if (role != Qt::DisplayRole)
        return {};
    const QLocale locale;
    switch (Column(index.column())) {
    case ProjectColumn:
        return row->projectId == 0 ? tr("(none)")
                                   : m_projectNames.value(row->projectId, QString::number(row->projectId));
    case ReasonColumn:
        return reasonTitle(*row);
    case HourColumn:
        return locale.toString(row->lastHour);
    case DayColumn:
        return locale.toString(row->lastDay);
    case WeekColumn:
        return locale.toString(row->lastWeek);
    case KeptColumn:
        return locale.toString(row->kept);
    case TrendColumn:
    case ColumnCount:
        break;
    }
    return {};
}

QVariant DroppedEventsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal)
        return {};
    if (role == Qt::TextAlignmentRole) {
        const Qt::Alignment horizontal = section >= HourColumn && section <= KeptColumn ? Qt::AlignRight
            : section == TrendColumn                                                    ? Qt::AlignHCenter
                                                                                        : Qt::AlignLeft;
        return QVariant(horizontal | Qt::AlignVCenter);
    }
    if (role == Qt::ToolTipRole && section == KeptColumn)
        return tr("Everything retention still keeps (the project's age limit)");
    if (role != Qt::DisplayRole)
        return {};
    switch (Column(section)) {
    case ProjectColumn:
        return tr("Project");
    case ReasonColumn:
        return tr("Reason");
    case HourColumn:
        return tr("1 h");
    case DayColumn:
        return tr("24 h");
    case WeekColumn:
        return tr("7 days");
    case KeptColumn:
        return tr("All");
    case TrendColumn:
        return tr("Last 24 hours");
    case ColumnCount:
        break;
    }
    return {};
}

} // namespace faultline
