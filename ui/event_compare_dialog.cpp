#include "ui/event_compare_dialog.h"

#include <QDialogButtonBox>
#include <QEvent>
#include <QHeaderView>
#include <QLabel>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace faultline {

EventCompareDialog::EventCompareDialog(
    const Event &left, const QString &leftTitle, const Event &right, const QString &rightTitle, QWidget *parent)
    : QDialog(parent)
    , m_comparison(compareEvents(left, right))
    , m_verdict(new QLabel(this))
    , m_table(new QTreeWidget(this))
{
    setWindowTitle(tr("Compare Events"));
    m_verdict->setObjectName(QStringLiteral("compareVerdict"));
    m_verdict->setWordWrap(true);
    m_verdict->setTextFormat(Qt::PlainText);
    m_table->setObjectName(QStringLiteral("compareTable"));
    m_table->setColumnCount(3);
    m_table->setHeaderLabels({ QString(), leftTitle, rightTitle });
    m_table->setRootIsDecorated(false);
    m_table->setWordWrap(true);
    m_table->setUniformRowHeights(false);
    m_table->setSelectionMode(QAbstractItemView::NoSelection);
    m_table->header()->setStretchLastSection(true);
    m_table->header()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
    m_table->header()->setSectionResizeMode(1, QHeaderView::Stretch);
    m_table->header()->setSectionResizeMode(2, QHeaderView::Stretch);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_verdict);
    layout->addWidget(m_table, 1);
    layout->addWidget(buttons);
    m_verdict->setText(verdictText());
    fill();
    resize(900, 560);
}

QString EventCompareDialog::verdictText() const
{
    if (m_comparison.sameKey)
        return tr("Same grouping key (%1): the current grouping puts these events in one issue.")
            .arg(m_comparison.leftKey.left(12));
    return tr("Different grouping keys (%1 / %2): they part at %3.")
        .arg(m_comparison.leftKey.left(12), m_comparison.rightKey.left(12), m_comparison.firstDifference);
}

void EventCompareDialog::fill()
{
    m_table->clear();
    // Marked with a tint of the selection colour, so light and dark themes both show it.
    QColor tint = palette().color(QPalette::Highlight);
    tint.setAlpha(60);
    QTreeWidgetItem *section = nullptr;
    for (const ComparisonRow &row : m_comparison.rows) {
        if (!section || section->text(0) != row.section) {
            section = new QTreeWidgetItem(m_table, { row.section });
            section->setFirstColumnSpanned(true);
            QFont bold = section->font(0);
            bold.setBold(true);
            section->setFont(0, bold);
        }
        auto *item = new QTreeWidgetItem(section, { row.label, row.left, row.right });
        item->setData(0, Qt::UserRole, row.differs);
        for (int column = 1; column <= 2; ++column)
            item->setToolTip(column, item->text(column));
        if (row.differs)
            for (int column = 0; column <= 2; ++column)
                item->setBackground(column, tint);
    }
    m_table->expandAll();
}

void EventCompareDialog::changeEvent(QEvent *event)
{
    QDialog::changeEvent(event);
    if (event->type() == QEvent::PaletteChange)
        fill();
}

} // namespace faultline
