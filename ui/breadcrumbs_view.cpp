#include "ui/breadcrumbs_view.h"

#include "ui/key_value_table.h"
#include "ui/level_style.h"

#include <QDateTime>
#include <QFontDatabase>

#include <algorithm>

namespace faultline {

BreadcrumbsView::BreadcrumbsView(QWidget *parent)
    : FittedTable({ tr("Time"), tr("Category"), tr("Level"), tr("Message"), tr("Data") }, parent)
{
}

void BreadcrumbsView::setBreadcrumbs(const QList<Breadcrumb> &breadcrumbs)
{
    QList<Breadcrumb> ordered = breadcrumbs;
    // SDKs send them in order already; a stable sort keeps ties (and unknown times) as sent.
    std::stable_sort(ordered.begin(), ordered.end(), [](const Breadcrumb &a, const Breadcrumb &b) {
        return a.timestamp > 0 && b.timestamp > 0 && a.timestamp < b.timestamp;
    });
    QList<QStringList> rows;
    for (const Breadcrumb &crumb : ordered) {
        const QString time = crumb.timestamp > 0
            ? QDateTime::fromMSecsSinceEpoch(qint64(crumb.timestamp * 1000)).toString(QStringLiteral("HH:mm:ss.zzz"))
            : QString();
        QString category = crumb.category;
        if (!crumb.type.isEmpty() && crumb.type != QLatin1String("default") && crumb.type != category)
            category
                = category.isEmpty() ? crumb.type : category + QStringLiteral(" (") + crumb.type + QLatin1Char(')');
        QString data;
        for (auto it = crumb.data.begin(); it != crumb.data.end(); ++it) {
            if (!data.isEmpty())
                data += QStringLiteral("  ");
            data += it.key() + QLatin1Char('=') + KeyValueTable::displayValue(it.value());
        }
        rows.append(
            { time, category, crumb.level.isEmpty() ? QStringLiteral("info") : crumb.level, crumb.message, data });
    }
    setRows(rows);
    for (int r = 0; r < rowCount(); ++r) {
        if (QTableWidgetItem *level = item(r, LevelColumn))
            level->setForeground(levelColor(level->text()));
        if (QTableWidgetItem *time = item(r, TimeColumn))
            time->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    }
    resizeColumnToContents(TimeColumn);
    setColumnWidth(MessageColumn, qMax(columnWidth(MessageColumn), 160));
}

} // namespace faultline
