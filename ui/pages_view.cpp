#include "ui/pages_view.h"

#include "ui/page_preview.h"
#include "ui/page_thumbnail_delegate.h"
#include "ui/triage/pages_model.h"
#include "ui/triage/relative_time.h"
#include "ui/visible_rows.h"

#include <QComboBox>
#include <QEvent>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QSplitter>
#include <QTableView>
#include <QTextDocumentFragment>
#include <QVBoxLayout>

#include <utility>

namespace faultline {

PagesView::PagesView(StorageGateway &storage, QWidget *parent)
    : QWidget(parent)
    , m_model(new PagesModel(storage, this))
    , m_table(new QTableView(this))
    , m_preview(new PagePreview(this))
    , m_context(new QLabel(this))
    , m_variants(new QComboBox(this))
    , m_variantsLabel(new QLabel(tr("Variant:"), this))
    , m_empty(new QLabel(tr("No error pages yet. Services that attach the page they answered with "
                            "(an HTML attachment such as 500.html) show up here."),
          this))
{
    m_table->setModel(m_model);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setIconSize(PagesModel::kThumbnailSize);
    m_table->setItemDelegateForColumn(PagesModel::PageColumn, new PageThumbnailDelegate(m_table));
    m_table->setWordWrap(true);
    m_table->verticalHeader()->hide();
    m_table->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_table->verticalHeader()->setDefaultSectionSize(PagesModel::kThumbnailSize.height() + 12);
    for (int column : { PagesModel::PageColumn, PagesModel::StatusColumn, PagesModel::EventsColumn,
             PagesModel::FirstSeenColumn, PagesModel::LastSeenColumn })
        m_table->horizontalHeader()->setSectionResizeMode(column, QHeaderView::ResizeToContents);
    m_table->horizontalHeader()->setSectionResizeMode(PagesModel::IssuesColumn, QHeaderView::Stretch);
    // Without the Issues column (fitIssuesColumn) the last one shown takes the rest of the width.
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->horizontalHeader()->setDefaultAlignment(Qt::AlignLeft | Qt::AlignVCenter);
    VisibleRows::follow(m_table, [this](int first, int last) { m_model->requestRows(first, last); });
    // At 1000 px the Issues column was squeezed to a letter a line; it goes when it cannot be read.
    m_table->viewport()->installEventFilter(this);
    connect(m_table->horizontalHeader(), &QHeaderView::sectionResized, this, &PagesView::fitIssuesColumn,
        Qt::QueuedConnection); // not inside the header's own layout pass

    m_context->setWordWrap(true);
    m_context->setTextFormat(Qt::RichText);
    m_context->setTextInteractionFlags(Qt::TextBrowserInteraction);
    m_context->setOpenExternalLinks(false);
    connect(m_context, &QLabel::linkActivated, this, [this](const QString &link) {
        const QString prefix = QStringLiteral("issue:");
        if (link.startsWith(prefix))
            emit issueActivated(link.mid(prefix.size()).toLongLong());
    });
    m_variants->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_variants->setToolTip(tr("Renderings of this page that differ only in request ids, tokens, nonces or times"));
    m_variantsLabel->setBuddy(m_variants);
    connect(m_variants, &QComboBox::activated, this, &PagesView::showVariant);
    m_empty->setWordWrap(true);
    m_empty->setAlignment(Qt::AlignCenter);
    m_empty->hide(); // until the first read says so

    auto *right = new QWidget(this);
    auto *rightLayout = new QVBoxLayout(right);
    rightLayout->setContentsMargins(0, 0, 0, 0);
    auto *variantRow = new QHBoxLayout;
    variantRow->addWidget(m_variantsLabel);
    variantRow->addWidget(m_variants);
    variantRow->addStretch(1);
    rightLayout->addLayout(variantRow);
    rightLayout->addWidget(m_preview, 1);
    rightLayout->addWidget(m_context);

    auto *splitter = new QSplitter(Qt::Horizontal, this);
    splitter->addWidget(m_table);
    splitter->addWidget(right);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 2);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_empty);
    layout->addWidget(splitter, 1);

    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
        [this](const QModelIndex &current) { showRow(current.isValid() ? current.row() : -1); });
    connect(m_table, &QTableView::clicked, this, [this](const QModelIndex &index) {
        const QList<qint64> issues = m_model->page(index.row()).issueIds;
        if (index.column() == PagesModel::IssuesColumn && !issues.isEmpty())
            emit issueActivated(issues.last());
    });
    connect(m_table, &QTableView::doubleClicked, this, [this](const QModelIndex &index) {
        const QList<qint64> issues = m_model->page(index.row()).issueIds;
        if (!issues.isEmpty())
            emit issueActivated(issues.last());
    });
    connect(m_model, &QAbstractItemModel::modelAboutToBeReset, this,
        [this]() { m_selectedBeforeReset = m_model->page(m_table->currentIndex().row()); });
    connect(m_model, &QAbstractItemModel::modelReset, this, &PagesView::keepSelection);
}

void PagesView::setProject(qint64 projectId)
{
    m_selectedBeforeReset = {}; // another project's page is not kept: the first is selected
    m_model->setProject(projectId);
}

void PagesView::refresh() { m_model->refresh(); }

void PagesView::apply(const PagesModel::Snapshot &snapshot) { m_model->apply(snapshot); }

void PagesView::keepSelection()
{
    const DistinctPage current = std::exchange(m_selectedBeforeReset, {});
    m_empty->setVisible(m_model->rowCount() == 0);
    const int row = current.shape.isEmpty() ? -1 : m_model->rowOf(current.shape, current.statusCode);
    selectRow(row >= 0 ? row : (m_model->rowCount() > 0 ? 0 : -1));
}

void PagesView::selectRow(int row)
{
    if (row < 0 || row >= m_model->rowCount()) {
        m_table->setCurrentIndex({});
        showRow(-1);
        return;
    }
    if (m_table->currentIndex().row() == row) {
        showRow(row); // no currentRowChanged to do it
        return;
    }
    m_table->setCurrentIndex(m_model->index(row, PagesModel::PageColumn));
    m_table->selectRow(row);
}

bool PagesView::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_table->viewport() && event->type() == QEvent::Resize)
        fitIssuesColumn();
    return QWidget::eventFilter(watched, event);
}

void PagesView::fitIssuesColumn()
{
    QHeaderView *header = m_table->horizontalHeader();
    // The header sized the columns to their contents, but for the one left of the Issues column: while
    // that is hidden, it is the last shown and stretches, so its contents are measured here (as
    // ResizeToContents does).
    const int stretched = header->logicalIndex(header->visualIndex(PagesModel::IssuesColumn) - 1);
    const QAbstractItemView *view = m_table; // sizeHintForColumn() is public there
    int others = qBound(header->minimumSectionSize(),
        qMax(view->sizeHintForColumn(stretched), header->sectionSizeHint(stretched)), header->maximumSectionSize());
    for (int column = 0; column < header->count(); ++column)
        if (column != PagesModel::IssuesColumn && column != stretched)
            others += header->sectionSize(column);
    const bool room = m_table->viewport()->width() - others >= kIssuesColumnMinWidth;
    if (header->isSectionHidden(PagesModel::IssuesColumn) == room)
        header->setSectionHidden(PagesModel::IssuesColumn, !room);
}

QString PagesView::contextText() const { return QTextDocumentFragment::fromHtml(m_context->text()).toPlainText(); }

void PagesView::showRow(int row)
{
    m_variants->clear();
    if (row < 0) {
        ++m_previewSerial; // a body on its way is not shown
        m_previewPending = false;
        m_preview->clear();
        m_context->clear();
        m_variants->hide();
        m_variantsLabel->hide();
        return;
    }
    const DistinctPage page = m_model->page(row);
    const qint64 now = m_model->nowMs();
    for (int i = 0; i < page.variants.size(); ++i) {
        const PageVariant &variant = page.variants.at(i);
        m_variants->addItem(tr("%1 of %2 · %n event(s) · %3 · %4", nullptr, int(variant.events))
                                .arg(i + 1)
                                .arg(page.variants.size())
                                .arg(relativeTime(variant.lastSeenMs, now), variant.sha256.left(8)),
            variant.sha256);
    }
    m_variants->setVisible(page.variants.size() > 1);
    m_variantsLabel->setVisible(page.variants.size() > 1);
    showPageBody(page.sha256, page.statusCode, page.filename);
    QStringList issues;
    for (int i = 0; i < page.issueIds.size(); ++i)
        issues.append(QStringLiteral("<a href=\"issue:%1\">#%1</a> %2")
                          .arg(page.issueIds.at(i))
                          .arg(page.issueTitles.value(i).toHtmlEscaped()));
    QString text
        = tr("Shown with %n event(s) in: %1", nullptr, int(page.events)).arg(issues.join(QStringLiteral("; ")));
    if (!page.releases.isEmpty())
        text += QStringLiteral("<br>")
            + tr("Releases: %1").arg(page.releases.join(QStringLiteral(", ")).toHtmlEscaped());
    m_context->setText(text);
}

void PagesView::showVariant(int index)
{
    const DistinctPage page = m_model->page(m_table->currentIndex().row());
    if (index < 0 || index >= page.variants.size())
        return;
    showPageBody(page.variants.at(index).sha256, page.statusCode, page.filename);
}

void PagesView::showPageBody(const QString &sha256, int statusCode, const QString &filename)
{
    // The last page stays until this one's body arrives: no blank preview in between.
    const quint64 serial = ++m_previewSerial;
    m_previewPending = true;
    m_model->readPageData(sha256, this, [this, serial, statusCode, filename](const QByteArray &body) {
        if (serial != m_previewSerial)
            return; // another row or variant was picked meanwhile
        m_previewPending = false;
        m_preview->setPage(body, statusCode, filename);
    });
}

} // namespace faultline
