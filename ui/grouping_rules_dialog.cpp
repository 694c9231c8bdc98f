#include "ui/grouping_rules_dialog.h"

#include "storage/database.h"
#include "storage/grouping_rules.h"

#include <QDateTime>
#include <QDialogButtonBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QPointer>
#include <QPushButton>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace faultline {

namespace {

enum Column { WhenColumn, KindColumn, WhatColumn, KeysColumn };
constexpr int kRuleIdRole = Qt::UserRole;

} // namespace

GroupingRulesDialog::GroupingRulesDialog(
    QString dbPath, qint64 projectId, const QString &projectName, RunWrite runWrite, QWidget *parent)
    : QDialog(parent)
    , m_dbPath(std::move(dbPath))
    , m_projectId(projectId)
    , m_runWrite(std::move(runWrite))
    , m_intro(new QLabel(this))
    , m_rules(new QTreeWidget(this))
    , m_message(new QLabel(this))
    , m_remove(new QPushButton(tr("Remove Rule"), this))
{
    setObjectName(QStringLiteral("groupingRulesDialog"));
    setWindowTitle(tr("Grouping Rules — %1 — Faultline").arg(projectName));
    m_intro->setWordWrap(true);
    m_intro->setText(tr("Merges and splits of %1's issues. They stick: events to come with a merged issue's "
                        "grouping keys go to the issue that stayed, those with a split-off key to its own issue. "
                        "Removing a merge takes the keys it brought (and their events) back out into an issue of "
                        "their own; removing a split joins the key with the issue it came from again.")
                         .arg(projectName));
    m_rules->setObjectName(QStringLiteral("groupingRules"));
    m_rules->setRootIsDecorated(false);
    m_rules->setAlternatingRowColors(true);
    m_rules->setHeaderLabels({ tr("When"), tr("Rule"), tr("What it did"), tr("Keys") });
    m_rules->header()->setStretchLastSection(false);
    m_rules->header()->setSectionResizeMode(WhatColumn, QHeaderView::Stretch);
    m_rules->header()->setSectionResizeMode(WhenColumn, QHeaderView::ResizeToContents);
    m_rules->setColumnWidth(KindColumn, 60);
    m_rules->setColumnWidth(KeysColumn, 50);
    m_message->setObjectName(QStringLiteral("groupingRulesMessage"));
    m_message->setWordWrap(true);
    m_remove->setObjectName(QStringLiteral("removeRule"));
    m_remove->setToolTip(tr("Undo the selected merge or split for the events to come"));
    connect(m_remove, &QPushButton::clicked, this, [this]() { removeSelected(); });
    connect(m_rules, &QTreeWidget::itemSelectionChanged, this,
        [this]() { m_remove->setEnabled(!m_rules->selectedItems().isEmpty()); });

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto *row = new QHBoxLayout;
    row->addWidget(m_remove);
    row->addWidget(m_message, 1);
    row->addWidget(buttons);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_intro);
    layout->addWidget(m_rules, 1);
    layout->addLayout(row);
    resize(860, 380);
    refresh();
}

void GroupingRulesDialog::refresh()
{
    m_rules->clear();
    QString error;
    auto db = Database::open(m_dbPath, Database::Mode::ReadOnly, &error);
    const QList<GroupingRule> rules = db ? GroupingRules(*db).forProject(m_projectId, &error) : QList<GroupingRule>();
    for (const GroupingRule &rule : rules) {
        auto *item = new QTreeWidgetItem(m_rules);
        item->setText(WhenColumn,
            QLocale().toString(QDateTime::fromMSecsSinceEpoch(rule.createdMs), QLocale::ShortFormat));
        item->setText(KindColumn, rule.kind == u"merge" ? tr("Merge") : tr("Split"));
        item->setText(WhatColumn, rule.description);
        item->setToolTip(WhatColumn, rule.description);
        item->setText(KeysColumn, QString::number(rule.hashes.size()));
        item->setToolTip(KeysColumn, rule.hashes.join(QLatin1Char('\n')));
        item->setData(WhenColumn, kRuleIdRole, rule.id);
    }
    if (!error.isEmpty())
        m_message->setText(tr("Could not read the rules: %1").arg(error));
    else if (rules.isEmpty())
        m_message->setText(tr("No rules yet: select issues in the list and choose Merge…, or Split Off a Grouping "
                              "Key… on one."));
    m_remove->setEnabled(!m_rules->selectedItems().isEmpty());
}

QFuture<qint64> GroupingRulesDialog::removeSelected()
{
    const QList<QTreeWidgetItem *> selected = m_rules->selectedItems();
    if (selected.isEmpty() || !m_runWrite)
        return QtFuture::makeReadyFuture(qint64(-1));
    const qint64 ruleId = selected.first()->data(WhenColumn, kRuleIdRole).toLongLong();
    m_remove->setEnabled(false);
    auto done = std::make_shared<QString>();
    return m_runWrite(
        [ruleId, done](Database &db, QString *error) -> qint64 {
            return GroupingRules(db).remove(ruleId, done.get(), error) ? 1 : -1;
        },
        [self = QPointer(this), done](qint64 result, const QString &error) {
            if (!self)
                return; // closed meanwhile
            GroupingRulesDialog *const dialog = self;
            dialog->refresh();
            dialog->m_message->setText(
                result > 0 ? tr("Removed: %1.").arg(*done) : tr("Not removed: %1").arg(error));
            if (result > 0)
                emit dialog->rulesChanged();
        });
}

} // namespace faultline
