#include "ui/issue_events_view.h"

#include "storage/storage_error_text.h"
#include "ui/query_bar.h"
#include "ui/triage/issue_events_model.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QTableView>
#include <QVBoxLayout>

namespace faultline {

IssueEventsView::IssueEventsView(StorageGateway &storage, QWidget *parent)
    : QWidget(parent)
    , m_model(new IssueEventsModel(storage, this))
    , m_queryBar(new QueryBar(this))
    , m_table(new QTableView(this))
    , m_status(new QLabel(this))
    , m_compare(new QPushButton(tr("Compare"), this))
{
    m_queryBar->lineEdit()->setPlaceholderText(
        tr("Filter this issue's events: release:1.2 user:42 browser:\"Chrome 120\" status:5xx …"));
    m_table->setObjectName(QStringLiteral("issueEventsTable"));
    m_table->setModel(m_model);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_compare->setObjectName(QStringLiteral("compareEvents"));
    m_compare->setToolTip(tr("Select two events (Ctrl+click) to see them side by side, and why they share an issue"));
    m_compare->setEnabled(false);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setWordWrap(false);
    m_table->setTextElideMode(Qt::ElideRight);
    m_table->setAlternatingRowColors(true);
    m_table->verticalHeader()->hide();
    m_table->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 8);
    m_table->setHorizontalScrollMode(QAbstractItemView::ScrollPerPixel);
    QHeaderView *header = m_table->horizontalHeader();
    header->setStretchLastSection(true);
    header->setSectionResizeMode(QHeaderView::Interactive);
    const QFontMetrics metrics = m_table->fontMetrics();
    header->resizeSection(
        IssueEventsModel::TimeColumn, metrics.horizontalAdvance(QStringLiteral("2026-12-05 13:45:00")) + 16);
    header->resizeSection(
        IssueEventsModel::ReleaseColumn, metrics.horizontalAdvance(QStringLiteral("backend@1.2.30")) + 16);
    header->resizeSection(
        IssueEventsModel::EnvironmentColumn, metrics.horizontalAdvance(QStringLiteral("production")) + 16);
    header->resizeSection(
        IssueEventsModel::UserColumn, metrics.horizontalAdvance(QStringLiteral("alice@example.co")) + 16);
    header->resizeSection(IssueEventsModel::LevelColumn, metrics.horizontalAdvance(QStringLiteral("warning")) + 16);
    header->resizeSection(IssueEventsModel::HttpStatusColumn, metrics.horizontalAdvance(QStringLiteral("HTTP")) + 20);
    m_status->setForegroundRole(QPalette::PlaceholderText);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 6, 0, 0);
    layout->setSpacing(4);
    layout->addWidget(m_queryBar);
    layout->addWidget(m_table, 1);
    auto *footer = new QHBoxLayout;
    footer->addWidget(m_status, 1);
    footer->addWidget(m_compare);
    layout->addLayout(footer);

    connect(m_queryBar, &QueryBar::queryChanged, this, &IssueEventsView::apply);
    auto open = [this](const QModelIndex &index) {
        if (const EventRow *row = m_model->eventAt(index.row()))
            emit eventActivated(row->rowId, row->receivedMs);
    };
    connect(m_table, &QTableView::doubleClicked, this, open);
    connect(m_table, &QTableView::activated, this, open);
    connect(m_table->selectionModel(), &QItemSelectionModel::selectionChanged, this,
        [this] { m_compare->setEnabled(m_table->selectionModel()->selectedRows().size() == 2); });
    connect(m_compare, &QPushButton::clicked, this, [this] {
        const QModelIndexList rows = m_table->selectionModel()->selectedRows();
        if (rows.size() != 2)
            return;
        const EventRow *first = m_model->eventAt(rows.at(0).row());
        const EventRow *second = m_model->eventAt(rows.at(1).row());
        if (!first || !second)
            return;
        const bool firstIsOlder = first->receivedMs <= second->receivedMs;
        emit compareRequested(
            firstIsOlder ? first->eventId : second->eventId, firstIsOlder ? second->eventId : first->eventId);
    });
    connect(m_model, &QAbstractItemModel::modelReset, this, [this] { m_compare->setEnabled(false); });
    connect(m_model, &QAbstractItemModel::rowsInserted, this, &IssueEventsView::updateStatus);
    connect(m_model, &QAbstractItemModel::modelReset, this, &IssueEventsView::updateStatus);
    connect(m_model, &IssueEventsModel::loaded, this, &IssueEventsView::updateStatus);
}

void IssueEventsView::setIssue(qint64 issueId)
{
    if (issueId == m_model->issueId())
        return;
    m_model->setIssue(issueId, m_queryBar->query());
}

void IssueEventsView::refresh() { m_model->setIssue(m_model->issueId(), m_queryBar->query()); }

void IssueEventsView::filterBy(const QString &term) { m_queryBar->appendTerm(term); }

void IssueEventsView::apply(const Query &query) { m_model->setQuery(query); }

void IssueEventsView::showMessage(const QString &text, const QString &toolTip)
{
    m_status->setText(text);
    m_status->setToolTip(toolTip);
}

void IssueEventsView::updateStatus()
{
    const int rows = m_model->rowCount();
    m_status->setToolTip(m_model->lastError()); // the server's words in full; the line has their start
    if (m_model->isLoading() && rows == 0)
        m_status->setText(tr("Reading the events…"));
    else if (!m_model->lastError().isEmpty())
        m_status->setText(tr("Could not read the events: %1").arg(shortErrorText(m_model->lastError())));
    else if (rows == 0)
        m_status->setText(m_queryBar->query().isEmpty() ? tr("No events.") : tr("No events match this search."));
    else
        m_status->setText(m_model->canFetchMore({}) ? tr("Newest %1 events; scroll for older ones.").arg(rows)
                                                    : tr("%1 events.").arg(rows));
}

} // namespace faultline
