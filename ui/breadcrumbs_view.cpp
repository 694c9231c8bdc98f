#include "ui/breadcrumbs_view.h"

#include "ui/key_value_table.h"
#include "ui/triage/level_style.h"

#include <QComboBox>
#include <QDateTime>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QToolButton>
#include <QVBoxLayout>

#include <algorithm>

namespace faultline {

namespace {

const QStringList kHttpKeys
    = { QStringLiteral("method"), QStringLiteral("url"), QStringLiteral("status_code"), QStringLiteral("reason") };

bool isHttp(const Breadcrumb &crumb)
{
    return (crumb.type == u"http" || crumb.category == u"http" || crumb.category == u"httplib"
               || crumb.category == u"fetch" || crumb.category == u"xhr")
        && crumb.data.contains(QLatin1String("url"));
}

QString levelOf(const Breadcrumb &crumb) { return crumb.level.isEmpty() ? QStringLiteral("info") : crumb.level; }

} // namespace

BreadcrumbsView::BreadcrumbsView(QWidget *parent)
    : FittedTable({ tr("Time"), tr("Category"), tr("Level"), tr("Message"), tr("Data") }, parent)
{
}

QString BreadcrumbsView::typeOf(const Breadcrumb &crumb)
{
    return !crumb.type.isEmpty() && crumb.type != u"default" ? crumb.type
        : crumb.category.isEmpty()                           ? QStringLiteral("default")
                                                             : crumb.category;
}

QString BreadcrumbsView::messageOf(const Breadcrumb &crumb)
{
    if (!isHttp(crumb))
        return crumb.message;
    const QString method = KeyValueTable::displayValue(crumb.data.value(QLatin1String("method")));
    QString line = (method.isEmpty() ? QString() : method + u' ')
        + KeyValueTable::displayValue(crumb.data.value(QLatin1String("url")));
    const QString status = KeyValueTable::displayValue(crumb.data.value(QLatin1String("status_code")));
    if (!status.isEmpty())
        line += QStringLiteral(" → ") + status;
    const QString reason = KeyValueTable::displayValue(crumb.data.value(QLatin1String("reason")));
    if (!reason.isEmpty())
        line += u' ' + reason;
    return line;
}

QString BreadcrumbsView::dataOf(const Breadcrumb &crumb)
{
    const bool http = isHttp(crumb);
    QStringList parts;
    for (auto it = crumb.data.begin(); it != crumb.data.end(); ++it)
        if (!http || !kHttpKeys.contains(it.key()))
            parts.append(it.key() + u'=' + KeyValueTable::displayValue(it.value()));
    return parts.join(QStringLiteral("  "));
}

void BreadcrumbsView::setBreadcrumbs(const QList<Breadcrumb> &breadcrumbs)
{
    m_newestFirst = breadcrumbs;
    // SDKs send them oldest first; a stable sort keeps ties (and unknown times) as sent.
    std::stable_sort(m_newestFirst.begin(), m_newestFirst.end(), [](const Breadcrumb &a, const Breadcrumb &b) {
        return a.timestamp > 0 && b.timestamp > 0 && a.timestamp < b.timestamp;
    });
    std::reverse(m_newestFirst.begin(), m_newestFirst.end());
    m_showAll = false;
    rebuild();
}

void BreadcrumbsView::setFilter(const QString &type, const QString &level)
{
    m_type = type;
    m_level = level;
    rebuild();
}

void BreadcrumbsView::setShowAll(bool all)
{
    m_showAll = all;
    rebuild();
}

QStringList BreadcrumbsView::types() const
{
    QStringList types;
    for (const Breadcrumb &crumb : m_newestFirst)
        if (!types.contains(typeOf(crumb)))
            types.append(typeOf(crumb));
    std::sort(types.begin(), types.end());
    return types;
}

QStringList BreadcrumbsView::levels() const
{
    QStringList levels;
    for (const Breadcrumb &crumb : m_newestFirst)
        if (!levels.contains(levelOf(crumb)))
            levels.append(levelOf(crumb));
    std::sort(levels.begin(), levels.end());
    return levels;
}

void BreadcrumbsView::rebuild()
{
    QList<QStringList> rows;
    int matching = 0;
    for (const Breadcrumb &crumb : std::as_const(m_newestFirst)) {
        if ((!m_type.isEmpty() && typeOf(crumb) != m_type) || (!m_level.isEmpty() && levelOf(crumb) != m_level))
            continue;
        ++matching;
        if (!m_showAll && rows.size() >= kCollapsedCount)
            continue;
        const QString time = crumb.timestamp > 0
            ? QDateTime::fromMSecsSinceEpoch(qint64(crumb.timestamp * 1000)).toString(QStringLiteral("HH:mm:ss.zzz"))
            : QString();
        QString category = crumb.category;
        if (!crumb.type.isEmpty() && crumb.type != QLatin1String("default") && crumb.type != category)
            category = category.isEmpty() ? crumb.type : category + QStringLiteral(" (") + crumb.type + u')';
        rows.append({ time, category, levelOf(crumb), messageOf(crumb), dataOf(crumb) });
    }
    setRows(rows);
    for (int r = 0; r < rowCount(); ++r) {
        if (QTableWidgetItem *level = item(r, LevelColumn))
            level->setForeground(levelColor(level->text()));
        if (QTableWidgetItem *time = item(r, TimeColumn))
            time->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    }
    resizeColumnToContents(TimeColumn);
    setColumnWidth(MessageColumn, std::clamp(columnWidth(MessageColumn), 160, 420));
    m_hidden = matching - int(rows.size());
    emit hiddenCountChanged(m_hidden);
}

BreadcrumbsPanel::BreadcrumbsPanel(QWidget *parent)
    : QWidget(parent)
    , m_table(new BreadcrumbsView(this))
    , m_typeFilter(new QComboBox(this))
    , m_levelFilter(new QComboBox(this))
    , m_more(new QToolButton(this))
{
    m_typeFilter->setObjectName(QStringLiteral("breadcrumbTypeFilter"));
    m_levelFilter->setObjectName(QStringLiteral("breadcrumbLevelFilter"));
    m_typeFilter->setToolTip(tr("Only breadcrumbs of this type"));
    m_levelFilter->setToolTip(tr("Only breadcrumbs of this level"));
    m_more->setAutoRaise(true);
    m_more->setObjectName(QStringLiteral("breadcrumbsMore"));
    auto *filters = new QHBoxLayout;
    filters->setContentsMargins(0, 0, 0, 0);
    filters->addWidget(m_typeFilter);
    filters->addWidget(m_levelFilter);
    filters->addStretch(1);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    layout->addLayout(filters);
    layout->addWidget(m_table);
    layout->addWidget(m_more, 0, Qt::AlignLeft);
    connect(m_typeFilter, &QComboBox::activated, this, &BreadcrumbsPanel::applyFilter);
    connect(m_levelFilter, &QComboBox::activated, this, &BreadcrumbsPanel::applyFilter);
    connect(m_more, &QToolButton::clicked, this, [this] { m_table->setShowAll(true); });
    connect(m_table, &BreadcrumbsView::hiddenCountChanged, this, [this](int hidden) {
        m_more->setText(hidden == 1 ? tr("Show 1 more") : tr("Show %1 more").arg(hidden));
        m_more->setVisible(hidden > 0);
    });
}

void BreadcrumbsPanel::setBreadcrumbs(const QList<Breadcrumb> &breadcrumbs)
{
    m_table->setFilter({}, {});
    m_table->setBreadcrumbs(breadcrumbs);
    m_typeFilter->clear();
    m_typeFilter->addItem(tr("All types"), QString());
    for (const QString &type : m_table->types())
        m_typeFilter->addItem(type, type);
    m_levelFilter->clear();
    m_levelFilter->addItem(tr("All levels"), QString());
    for (const QString &level : m_table->levels())
        m_levelFilter->addItem(level, level);
    m_typeFilter->setVisible(m_typeFilter->count() > 2);
    m_levelFilter->setVisible(m_levelFilter->count() > 2);
}

void BreadcrumbsPanel::applyFilter()
{
    m_table->setFilter(m_typeFilter->currentData().toString(), m_levelFilter->currentData().toString());
}

} // namespace faultline
