#include "ui/split_issue_dialog.h"

#include <QDialogButtonBox>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace faultline {

namespace {

enum Column { KeyColumn, EventsColumn, HowColumn, GroupedByColumn };
constexpr int kHashRole = Qt::UserRole;
constexpr int kEventsRole = Qt::UserRole + 1;

QString howLinked(const StoredGroupingKey &key)
{
    if (key.linkedBy == u"merge")
        return QObject::tr("merged in");
    if (key.linkedBy == u"split")
        return QObject::tr("split off");
    if (key.linkedBy == u"v1")
        return QObject::tr("found through v1");
    return key.strategy == u"v1" ? QObject::tr("v1 key") : QObject::tr("created it");
}

} // namespace

SplitIssueDialog::SplitIssueDialog(const IssueRow &issue, const QList<StoredGroupingKey> &keys,
    const QHash<qint64, qint64> &eventsPerKey, QWidget *parent)
    : QDialog(parent)
    , m_issueId(issue.id)
    , m_issueEvents(issue.count)
    , m_intro(new QLabel(this))
    , m_keys(new QTreeWidget(this))
    , m_details(new QLabel(this))
    , m_buttons(new QDialogButtonBox(QDialogButtonBox::Cancel, this))
{
    setObjectName(QStringLiteral("splitIssueDialog"));
    setWindowTitle(tr("Split Off a Grouping Key — Faultline"));
    m_intro->setWordWrap(true);
    m_intro->setTextFormat(Qt::RichText);
    m_intro->setText(tr("<b>#%1 %2</b><br>Events reach this issue by these grouping keys. Pick the one that is "
                        "another bug: it moves to a new issue with the events it grouped, and later events with "
                        "it go there too. The split is listed under Issue › Grouping Rules, where removing it "
                        "joins them again.")
                         .arg(issue.id)
                         .arg(issue.title.left(120).toHtmlEscaped()));
    m_keys->setObjectName(QStringLiteral("splitKeys"));
    m_keys->setRootIsDecorated(false);
    m_keys->setWordWrap(true);
    m_keys->setAlternatingRowColors(true);
    m_keys->setHeaderLabels({ tr("Key"), tr("Events"), tr("How"), tr("Grouped by") });
    for (const StoredGroupingKey &key : keys) {
        const qint64 events = eventsPerKey.value(key.id);
        const QString described = describeGrouping(key.explanation);
        auto *item = new QTreeWidgetItem(m_keys);
        item->setText(KeyColumn, key.hash.left(12));
        item->setToolTip(KeyColumn, key.hash);
        item->setText(EventsColumn, QString::number(events));
        item->setTextAlignment(EventsColumn, Qt::AlignRight | Qt::AlignVCenter);
        item->setText(HowColumn, howLinked(key));
        item->setText(GroupedByColumn,
            described.isEmpty() ? tr("(a %1 key, stored before explanations were)").arg(key.strategy) : described);
        item->setToolTip(GroupedByColumn, item->text(GroupedByColumn));
        item->setData(KeyColumn, kHashRole, key.hash);
        item->setData(KeyColumn, kEventsRole, events);
        // Splitting needs another key to stay, and events to move without taking them all.
        if (keys.size() < 2 || events == 0 || events >= issue.count)
            item->setDisabled(true);
    }
    QFont mono = m_keys->font();
    mono.setFamily(QStringLiteral("monospace"));
    for (int i = 0; i < m_keys->topLevelItemCount(); ++i)
        m_keys->topLevelItem(i)->setFont(KeyColumn, mono);
    m_keys->header()->setStretchLastSection(true);
    m_keys->setColumnWidth(KeyColumn, 120);
    m_keys->setColumnWidth(EventsColumn, 60);
    m_keys->setColumnWidth(HowColumn, 120);

    QPushButton *split = m_buttons->addButton(tr("Split Off"), QDialogButtonBox::AcceptRole);
    split->setObjectName(QStringLiteral("splitButton"));
    // The explanations are long: the selected key's, whole, below the list.
    m_details->setObjectName(QStringLiteral("splitKeyDetails"));
    m_details->setWordWrap(true);
    m_details->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_details->setMinimumHeight(m_details->fontMetrics().lineSpacing() * 4);
    m_details->setAlignment(Qt::AlignTop | Qt::AlignLeft);
    connect(m_keys, &QTreeWidget::itemSelectionChanged, this, &SplitIssueDialog::updateButton);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_buttons, &QDialogButtonBox::accepted, this, [this]() {
        const QString hash = selectedHash();
        if (hash.isEmpty())
            return;
        emit splitRequested(m_issueId, hash);
        accept();
    });
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_intro);
    layout->addWidget(m_keys, 1);
    layout->addWidget(m_details);
    if (keys.size() < 2) {
        auto *only = new QLabel(tr("This issue has a single grouping key: there is nothing to split it from."), this);
        only->setObjectName(QStringLiteral("splitNothing"));
        layout->addWidget(only);
    }
    layout->addWidget(m_buttons);
    resize(820, 360);
    updateButton();
}

QString SplitIssueDialog::selectedHash() const
{
    const QList<QTreeWidgetItem *> selected = m_keys->selectedItems();
    if (selected.isEmpty() || selected.first()->isDisabled())
        return {};
    return selected.first()->data(KeyColumn, kHashRole).toString();
}

void SplitIssueDialog::updateButton()
{
    const QList<QTreeWidgetItem *> selected = m_keys->selectedItems();
    if (selected.isEmpty()) {
        m_details->setText(tr("Select a key to see what it groups by."));
    } else {
        const QTreeWidgetItem *item = selected.first();
        const qint64 events = item->data(KeyColumn, kEventsRole).toLongLong();
        const QString why = events == 0       ? tr(" No stored event was grouped by it, so there is nothing to move.")
            : events >= m_issueEvents         ? tr(" It grouped all of the issue's events: nothing would be left.")
            : m_keys->topLevelItemCount() < 2 ? tr(" It is the issue's only key.")
                                              : QString();
        m_details->setText(QStringLiteral("%1 — %2.%3")
                               .arg(item->data(KeyColumn, kHashRole).toString(), item->text(GroupedByColumn), why));
    }
    if (QPushButton *split = m_buttons->findChild<QPushButton *>(QStringLiteral("splitButton")))
        split->setEnabled(!selectedHash().isEmpty());
}

} // namespace faultline
