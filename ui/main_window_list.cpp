// MainWindow's issue list: its columns (fitted to the width), the search it
// shows per project, the states when nothing matches, and moving through it.
#include "ui/main_window.h"

#include "ui/issue_delegate.h"
#include "ui/issue_detail_view.h"
#include "ui/query_bar.h"
#include "ui/triage/issue_list_model.h"
#include "ui/triage/project_list_model.h"
#include "ui/visible_rows.h"

#include "storage/project_store.h"
#include "storage/storage_error_text.h"

#include <QHeaderView>
#include <QLabel>
#include <QListView>
#include <QSettings>
#include <QStackedWidget>
#include <QStatusBar>
#include <QTableView>
#include <QVBoxLayout>

namespace faultline {

void MainWindow::buildIssueList()
{
    m_issueModel = new IssueListModel(*m_context.storage, true, this);
    m_issueView = new QTableView(this);
    m_issueView->setObjectName(QStringLiteral("issueList"));
    m_issueView->setModel(m_issueModel);
    m_issueView->setItemDelegate(new IssueDelegate(m_issueView));
    m_issueView->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_issueView->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_issueView->setShowGrid(false);
    m_issueView->setWordWrap(false);
    m_issueView->setAlternatingRowColors(true);
    m_issueView->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_issueView->setVerticalScrollMode(QAbstractItemView::ScrollPerPixel);
    // Fixed row heights: the view never asks 50,000 rows for their size.
    m_issueView->verticalHeader()->hide();
    m_issueView->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_issueView->verticalHeader()->setDefaultSectionSize(IssueDelegate::rowHeight(m_issueView->fontMetrics()));
    QHeaderView *header = m_issueView->horizontalHeader();
    header->setSectionResizeMode(QHeaderView::Interactive);
    header->setSectionResizeMode(IssueListModel::TitleColumn, QHeaderView::Stretch);
    header->setSectionResizeMode(IssueListModel::LevelColumn, QHeaderView::Fixed);
    header->setHighlightSections(false);
    header->setDefaultAlignment(Qt::AlignLeft | Qt::AlignVCenter);
    // Numbers and times are short: the title and culprit get what is left (fitIssueColumns).
    const QFontMetrics metrics = m_issueView->fontMetrics();
    const int timeWidth = metrics.horizontalAdvance(QStringLiteral("59 min ago")) + 14;
    m_issueView->setColumnWidth(IssueListModel::LevelColumn, 30);
    m_issueView->setColumnWidth(IssueListModel::EventsColumn, metrics.horizontalAdvance(QStringLiteral("99,999")) + 18);
    m_issueView->setColumnWidth(IssueListModel::TrendColumn, 76); // 24 bars of 2 px and their gaps
    m_issueView->setColumnWidth(IssueListModel::FirstSeenColumn, timeWidth);
    m_issueView->setColumnWidth(IssueListModel::LastSeenColumn, timeWidth);
    // The status pill sits in the row's second line, beside "unhandled": no column of its own.
    m_issueView->setColumnHidden(IssueListModel::StatusColumn, true);
    VisibleRows::follow(m_issueView, [this](int first, int last) { m_issueModel->requestRows(first, last); });
    header->setSortIndicator(IssueListModel::LastSeenColumn, Qt::DescendingOrder);
    m_issueView->setSortingEnabled(true);
    connect(header, &QHeaderView::sortIndicatorChanged, this, [this, header](int column, Qt::SortOrder) {
        // Only the columns storage can order by take the indicator.
        if (column != m_issueModel->sortColumn() || header->sortIndicatorOrder() != m_issueModel->sortOrder())
            header->setSortIndicator(m_issueModel->sortColumn(), m_issueModel->sortOrder());
    });
    m_issueView->installEventFilter(this);
    m_issueView->viewport()->installEventFilter(this); // its resizes fit the columns
}

void MainWindow::fitIssueColumns()
{
    // Least needed first: when the title would get less than this, a column goes.
    const int minTitle = 40 * m_issueView->fontMetrics().averageCharWidth(); // ~40 characters of title
    const int available = m_issueView->viewport()->width();
    const int fixed = m_issueView->columnWidth(IssueListModel::LevelColumn)
        + m_issueView->columnWidth(IssueListModel::EventsColumn);
    int used = fixed;
    for (const int column :
        { IssueListModel::LastSeenColumn, IssueListModel::TrendColumn, IssueListModel::FirstSeenColumn }) {
        const int wanted = column == IssueListModel::TrendColumn
            ? 76
            : m_issueView->fontMetrics().horizontalAdvance(QStringLiteral("59 min ago")) + 14;
        const bool fits = available - used - wanted >= minTitle;
        if (m_issueView->isColumnHidden(column) == fits) {
            m_issueView->setColumnHidden(column, !fits);
            if (fits)
                m_issueView->setColumnWidth(column, wanted);
        }
        if (fits)
            used += wanted;
    }
}

void MainWindow::buildNoMatchState()
{
    // A search that matches nothing says so, and how to widen it.
    m_noMatch = new QWidget(this);
    m_noMatch->setObjectName(QStringLiteral("noMatchState"));
    m_noMatchLabel = new QLabel(m_noMatch);
    m_noMatchLabel->setObjectName(QStringLiteral("noMatchLabel"));
    m_noMatchLabel->setAlignment(Qt::AlignCenter);
    m_noMatchLabel->setWordWrap(true);
    m_noMatchLabel->setTextFormat(Qt::RichText);
    connect(m_noMatchLabel, &QLabel::linkActivated, this, [this]() {
        m_queryBar->setText(QString());
        m_issueView->setFocus();
    });
    auto *noMatchLayout = new QVBoxLayout(m_noMatch);
    noMatchLayout->addStretch(1);
    noMatchLayout->addWidget(m_noMatchLabel);
    noMatchLayout->addStretch(2);
    m_staleLabel = new QLabel(tr("Results are stale: they are for the last search that parsed."), this);
    m_staleLabel->setObjectName(QStringLiteral("staleLabel"));
    m_staleLabel->setForegroundRole(QPalette::PlaceholderText);
    m_staleLabel->hide();
}

QString MainWindow::queryKey(qint64 projectId) { return QStringLiteral("issueList/query/%1").arg(projectId); }

void MainWindow::updateProjectNames()
{
    QHash<qint64, QString> names;
    for (const Project &project : m_projectModel->projects())
        names.insert(project.id, project.name);
    m_issueModel->setProjectNames(names);
}

void MainWindow::rememberQuery() const { QSettings().setValue(queryKey(selectedProjectId()), m_queryBar->text()); }

void MainWindow::onProjectChanged(const QModelIndex &current)
{
    const qint64 projectId = current.isValid() ? current.data(ProjectListModel::ProjectIdRole).toLongLong() : 0;
    if (projectId == m_listProjectId)
        return; // the same project selected again (after the project list was reset)
    // Each project keeps its own search (is:unresolved until changed there).
    QSettings settings;
    settings.setValue(queryKey(m_listProjectId), m_queryBar->text());
    {
        const QSignalBlocker quiet(m_queryBar);
        m_queryBar->setText(settings.value(queryKey(projectId), defaultQuery()).toString());
    }
    m_staleLabel->setVisible(m_queryBar->hasError());
    m_issueStack->setEnabled(!m_queryBar->hasError());
    applyFilter();
}

void MainWindow::applyFilter()
{
    const QModelIndex project = m_projectView->currentIndex();
    m_listProjectId = project.isValid() ? project.data(ProjectListModel::ProjectIdRole).toLongLong() : 0;
    // Resets once read (onListReset); the old rows stay until then rather than an empty list.
    m_issueModel->setFilter(m_queryBar->query(), m_listProjectId);
    syncPages();
}

void MainWindow::reselectProject()
{
    // A reset clears the view's current row without a signal: the list still shows m_listProjectId.
    const int row = m_projectModel->rowOfProject(m_listProjectId);
    m_projectView->setCurrentIndex(m_projectModel->index(qMax(0, row))); // gone: All projects
}

void MainWindow::onListReset()
{
    selectAfterReset();
    if (!m_issueModel->lastError().isEmpty())
        statusBar()->showMessage(tr("Search failed: %1").arg(shortErrorText(m_issueModel->lastError())), 8000);
    updateEmptyState();
}

void MainWindow::updateEmptyState()
{
    if (m_issueModel->isResetting())
        return; // what shows is the last search's; the reset decides (onListReset)
    const QModelIndex project = m_projectView->currentIndex();
    const bool empty = m_issueModel->rowCount() == 0;
    const bool waiting = project.isValid() && selectedProjectId() > 0
        && !project.data(ProjectListModel::HasEventsRole).toBool() && empty;
    if (waiting) {
        m_emptyLabel->setText(tr("%1 is waiting for its first event.\n\nPoint a Sentry SDK at this project's DSN "
                                 "and its errors show up here as they happen.")
                                  .arg(project.data(Qt::DisplayRole).toString()));
        m_issueStack->setCurrentWidget(m_emptyState);
        return;
    }
    if (empty && !m_queryBar->text().trimmed().isEmpty()) {
        // "No unresolved issues match “timeout” — clear filter", as Sentry words it.
        QStringList rest = m_queryBar->text().split(QLatin1Char(' '), Qt::SkipEmptyParts);
        const bool unresolved = rest.removeAll(defaultQuery()) > 0;
        const QString what = unresolved ? tr("No unresolved issues") : tr("No issues");
        const QString where
            = selectedProjectId() > 0 ? tr(" in %1").arg(project.data(Qt::DisplayRole).toString()) : QString();
        const QString sentence = rest.isEmpty() ? tr("%1%2 — nothing to triage.").arg(what, where)
                                                : tr("%1 match “%2”%3.").arg(what, rest.join(QLatin1Char(' ')), where);
        m_noMatchLabel->setText(QStringLiteral("<p style='font-size:large'>%1</p><p><a href='clear'>%2</a></p>")
                                    .arg(sentence.toHtmlEscaped(), tr("Clear filter")));
        m_issueStack->setCurrentWidget(m_noMatch);
        return;
    }
    m_issueStack->setCurrentWidget(m_issueView);
}

void MainWindow::moveCurrent(int delta)
{
    const int rows = m_issueModel->rowCount();
    if (rows == 0)
        return;
    const QModelIndex current = m_issueView->currentIndex();
    const int row = current.isValid() ? qBound(0, current.row() + delta, rows - 1) : 0;
    const QModelIndex target = m_issueModel->index(row, IssueListModel::TitleColumn);
    m_issueView->selectionModel()->setCurrentIndex(
        target, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    m_issueView->scrollTo(target);
    m_issueView->setFocus();
}

} // namespace faultline
