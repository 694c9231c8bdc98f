#include "ui/grouping_rules_dialog.h"

#include "model/grouping.h"
#include "storage/backend.h"
#include "storage/grouping_rule_store.h"
#include "storage/storage_error_text.h"
#include "storage/storage_gateway.h"

#include <QDateTime>
#include <QDialogButtonBox>
#include <QFutureWatcher>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QPointer>
#include <QProgressDialog>
#include <QPushButton>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace faultline {

namespace {

enum Column { WhenColumn, KindColumn, WhatColumn, KeysColumn };
constexpr int kRuleIdRole = Qt::UserRole;

} // namespace

GroupingRulesDialog::GroupingRulesDialog(
    StorageGateway &storage, qint64 projectId, const QString &projectName, RunWrite runWrite, QWidget *parent)
    : QDialog(parent)
    , m_storage(storage)
    , m_projectId(projectId)
    , m_runWrite(std::move(runWrite))
    , m_intro(new QLabel(this))
    , m_rules(new QTreeWidget(this))
    , m_message(new QLabel(this))
    , m_remove(new QPushButton(tr("Remove Rule"), this))
    , m_regroupButton(new QPushButton(tr("Re-group Project…"), this))
    , m_projectName(projectName)
{
    m_regroupButton->setObjectName(QStringLiteral("regroupProject"));
    m_regroupButton->setToolTip(tr("Group every stored event of %1 again under the current grouping (%2); "
                                   "merges and splits stay. The collector keeps storing meanwhile.")
                                    .arg(projectName, currentGroupingStrategy()));
    connect(m_regroupButton, &QPushButton::clicked, this, [this]() { regroup(); });
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
    row->addWidget(m_regroupButton);
    row->addWidget(m_message, 1);
    row->addWidget(buttons);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_intro);
    layout->addWidget(m_rules, 1);
    layout->addLayout(row);
    resize(860, 380);
    refresh();
}

GroupingRulesDialog::~GroupingRulesDialog()
{
    *m_cancel = true;
    m_regrouping.waitForFinished();
}

QFuture<RegroupReport> GroupingRulesDialog::regroup()
{
    if (m_regrouping.isRunning())
        return m_regrouping;
    *m_cancel = false;
    m_regroupButton->setEnabled(false);
    m_progress = new QProgressDialog(
        tr("Re-grouping the events of %1 under grouping %2…").arg(m_projectName, currentGroupingStrategy()),
        tr("Cancel"), 0, 0, this);
    m_progress->setObjectName(QStringLiteral("regroupProgress"));
    m_progress->setWindowTitle(tr("Re-group Project — Faultline"));
    m_progress->setWindowModality(Qt::WindowModal);
    m_progress->setMinimumDuration(0);
    m_progress->setAutoClose(false);
    m_progress->setAutoReset(false);
    connect(m_progress, &QProgressDialog::canceled, this, [cancel = m_cancel]() { *cancel = true; });
    m_progress->show();
    const qint64 projectId = m_projectId;
    // On the storage writer, like every write the window makes; the progress dialog is window-modal,
    // so nothing else the user could ask for waits behind it.
    auto regroup = [this, projectId, cancel = m_cancel](StorageBackend &backend) {
        return backend.groupingRules().regroup(projectId, [this, cancel](qint64 done, qint64 total) {
            // This dialog outlives the job (its destructor waits), so queuing to it is safe.
            QMetaObject::invokeMethod(
                this,
                [this, done, total]() {
                    if (m_progress) {
                        m_progress->setMaximum(int(std::min<qint64>(total, INT_MAX)));
                        m_progress->setValue(int(std::min<qint64>(done, INT_MAX)));
                        m_progress->setLabelText(
                            tr("Re-grouping the events of %1: %2 of %3…")
                                .arg(m_projectName, QLocale().toString(done), QLocale().toString(total)));
                    }
                },
                Qt::QueuedConnection);
            return !*cancel;
        });
    };
    auto asReport = [](const StorageResult<RegroupReport> &ran) {
        if (ran)
            return *ran;
        RegroupReport failed;
        failed.error = storageErrorText(ran.error());
        return failed;
    };
    m_regrouping = m_storage.writeThen(regroup, asReport).second;
    auto *watcher = new QFutureWatcher<RegroupReport>(this);
    connect(watcher, &QFutureWatcher<RegroupReport>::finished, this, [this, watcher]() {
        const RegroupReport report = watcher->result();
        watcher->deleteLater();
        delete std::exchange(m_progress, nullptr);
        m_regroupButton->setEnabled(true);
        const QString what = tr("%1 events looked at, %2 moved, %3 new issues, %4 issues joined into others")
                                 .arg(report.events)
                                 .arg(report.moved)
                                 .arg(report.newIssues)
                                 .arg(report.issuesDeleted);
        m_message->setToolTip(report.error);
        m_message->setText(!report.error.isEmpty()
                ? tr("Re-grouping stopped: %1 (%2 so far).").arg(shortErrorText(report.error), what)
                : report.cancelled ? tr("Re-grouping cancelled; what was done stays: %1.").arg(what)
                                   : tr("Re-grouped: %1.").arg(what));
        refresh();
        emit rulesChanged();
        emit regroupFinished(report);
    });
    watcher->setFuture(m_regrouping);
    return m_regrouping;
}

void GroupingRulesDialog::refresh()
{
    const qint64 projectId = m_projectId;
    m_storage.read(
        [projectId](StorageBackend &backend) -> Result<QList<GroupingRule>, QString> {
            QString error;
            QList<GroupingRule> rules = backend.groupingRules().forProject(projectId, &error);
            if (!error.isEmpty())
                return error;
            return rules;
        },
        this, [this](const StorageResult<Result<QList<GroupingRule>, QString>> &read) { showRules(read); });
}

void GroupingRulesDialog::showRules(const StorageResult<Result<QList<GroupingRule>, QString>> &read)
{
    m_rules->clear();
    const QString error = !read ? storageErrorText(read.error()) : !read->ok() ? read->error() : QString();
    const QList<GroupingRule> rules = read && read->ok() ? read->value() : QList<GroupingRule>();
    for (const GroupingRule &rule : rules) {
        auto *item = new QTreeWidgetItem(m_rules);
        item->setText(
            WhenColumn, QLocale().toString(QDateTime::fromMSecsSinceEpoch(rule.createdMs), QLocale::ShortFormat));
        item->setText(KindColumn, rule.kind == u"merge" ? tr("Merge") : tr("Split"));
        item->setText(WhatColumn, rule.description);
        item->setToolTip(WhatColumn, rule.description);
        item->setText(KeysColumn, QString::number(rule.hashes.size()));
        item->setToolTip(KeysColumn, rule.hashes.join(QLatin1Char('\n')));
        item->setData(WhenColumn, kRuleIdRole, rule.id);
    }
    if (!error.isEmpty()) {
        m_message->setText(tr("Could not read the rules: %1").arg(shortErrorText(error)));
        m_message->setToolTip(error);
    } else if (rules.isEmpty() && m_message->text().isEmpty())
        m_message->setText(tr("No rules yet: select issues in the list and choose Merge…, or Split Off a Grouping "
                              "Key… on one."));
    m_remove->setEnabled(!m_rules->selectedItems().isEmpty());
    emit refreshed();
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
        [ruleId, done](StorageBackend &backend, QString *error) -> qint64 {
            return backend.groupingRules().remove(ruleId, done.get(), error) ? 1 : -1;
        },
        [self = QPointer(this), done](qint64 result, const QString &error) {
            if (!self)
                return; // closed meanwhile
            GroupingRulesDialog *const dialog = self;
            dialog->refresh();
            dialog->m_message->setText(
                result > 0 ? tr("Removed: %1.").arg(*done) : tr("Not removed: %1").arg(shortErrorText(error)));
            dialog->m_message->setToolTip(error);
            if (result > 0)
                emit dialog->rulesChanged();
        });
}

} // namespace faultline
