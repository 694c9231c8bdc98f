// MainWindow's menus, toolbar and shortcuts (the workflow keys: / j k r i u Esc, Ctrl+1/2).
#include "ui/main_window.h"

#include "ui/issue_detail_view.h"
#include "ui/query_bar.h"
#include "ui/triage/project_list_model.h"

#include <QApplication>
#include <QLineEdit>
#include <QListView>
#include <QMenuBar>
#include <QMessageBox>
#include <QScrollArea>
#include <QStyle>
#include <QTableView>
#include <QToolBar>
#include <QToolButton>

namespace faultline {

void MainWindow::buildMenus()
{
    auto add = [this](QMenu *menu, const QString &text, const QKeySequence &shortcut, auto slot) {
        QAction *action = menu->addAction(text);
        if (!shortcut.isEmpty())
            action->setShortcut(shortcut);
        // Window-wide, but a text field still gets its letters: QLineEdit overrides
        // shortcuts for printable keys, so typing "r" in the search does not resolve.
        action->setShortcutContext(Qt::WindowShortcut);
        this->QWidget::addAction(action); // QWidget::addAction: shortcuts work even with the menu bar hidden
        connect(action, &QAction::triggered, this, slot);
        return action;
    };

    QMenu *file = menuBar()->addMenu(tr("&File"));
    QMenu *view = menuBar()->addMenu(tr("&View"));
    QMenu *issue = menuBar()->addMenu(tr("&Issue"));
    QMenu *help = menuBar()->addMenu(tr("&Help"));

    const bool ready = m_issueView != nullptr;
    QAction *saveJson = add(file, tr("&Save Event JSON…"), QKeySequence::Save, [this]() {
        if (m_detail)
            m_detail->saveEventJson();
    });
    QAction *copyJson = add(file, tr("&Copy Event JSON"), QKeySequence(tr("Ctrl+Shift+C")), [this]() {
        if (m_detail)
            m_detail->copyEventJson();
    });
    QAction *copyDsn
        = add(file, tr("Copy Project &DSN"), QKeySequence(tr("Ctrl+D")), [this]() { copySelectedProjectDsn(); });
    file->addSeparator();
    QAction *connectService = add(file, tr("Co&nnect a Service…"), QKeySequence(tr("Ctrl+N")), [this]() {
        // For a project still waiting for events, its DSN and snippets; otherwise a new project.
        const QModelIndex project = m_projectView ? m_projectView->currentIndex() : QModelIndex();
        const bool waiting = project.isValid() && !project.data(ProjectListModel::HasEventsRole).toBool();
        openConnectDialog(waiting ? selectedProjectId() : 0);
    });
    connectService->setIcon(QApplication::style()->standardIcon(QStyle::SP_FileDialogNewFolder));
    connectService->setToolTip(tr("Create a project and get the DSN and setup for a service (Ctrl+N)"));
    QAction *settings = add(file, tr("Se&ttings…"), QKeySequence::Preferences, [this]() { openSettingsDialog(); });
    settings->setMenuRole(QAction::PreferencesRole);
    file->addSeparator();
    // Close keeps collecting in the background (see closeEvent); Quit stops the collector.
    add(file, tr("C&lose Window"), QKeySequence::Close, [this]() { close(); });
    QAction *quitAction = add(file, tr("&Quit"), QKeySequence::Quit, [this]() { quit(); });
    quitAction->setMenuRole(QAction::QuitRole);

    QAction *showIssueList = add(view, tr("&Issues"), QKeySequence(tr("Ctrl+1")), [this]() { showIssues(); });
    QAction *showPageList = add(view, tr("P&ages"), QKeySequence(tr("Ctrl+2")), [this]() { showPages(); });
    view->addSeparator();
    QAction *focusSearch = add(view, tr("&Search"), QKeySequence(Qt::Key_Slash), [this]() {
        m_queryBar->lineEdit()->setFocus(Qt::ShortcutFocusReason);
        m_queryBar->lineEdit()->selectAll();
    });
    QAction *next = add(view, tr("&Next Issue"), QKeySequence(Qt::Key_J), [this]() { moveCurrent(1); });
    QAction *previous = add(view, tr("&Previous Issue"), QKeySequence(Qt::Key_K), [this]() { moveCurrent(-1); });
    QAction *open = add(view, tr("&Open Issue"), QKeySequence(), [this]() { openCurrentIssue(); });
    open->setShortcut(QKeySequence(Qt::Key_Return));
    open->setShortcutContext(Qt::WidgetShortcut); // Enter belongs to whatever has focus; the list handles its own
    QAction *back = add(view, tr("&Back to List"), QKeySequence(Qt::Key_Escape), [this]() {
        if (m_issueView)
            m_issueView->setFocus();
    });
    view->addSeparator();
    QAction *olderEvent = add(view, tr("Older Event"), QKeySequence(tr("Alt+Left")), [this]() {
        if (m_detail)
            m_detail->showPrevious();
    });
    QAction *newerEvent = add(view, tr("Newer Event"), QKeySequence(tr("Alt+Right")), [this]() {
        if (m_detail)
            m_detail->showNext();
    });
    view->addSeparator();
    add(view, tr("&Dropped Events"), QKeySequence(), [this]() { openDroppedEvents(); });
    QAction *refresh = add(view, tr("&Refresh"), QKeySequence::Refresh, [this]() { refreshNow(); });

    QStyle *style = QApplication::style();
    m_resolveAction
        = add(issue, tr("&Resolve"), QKeySequence(Qt::Key_R), [this]() { setSelectedStatus(IssueStatus::Resolved); });
    m_resolveAction->setIcon(style->standardIcon(QStyle::SP_DialogApplyButton));
    m_resolveAction->setToolTip(tr("Resolve the selected issues (R); an event after this reopens them"));
    m_resolveNextAction = add(issue, tr("Resolve in &Next Release"), QKeySequence(tr("Shift+R")), [this]() {
        StatusChange change;
        change.status = IssueStatus::Resolved;
        change.until = StatusChange::Until::NextRelease;
        changeSelectedStatus(change);
    });
    m_resolveNextAction->setToolTip(tr("Resolved until an event comes from a release newer than the latest seen "
                                       "(Shift+R)"));
    m_ignoreAction
        = add(issue, tr("&Ignore"), QKeySequence(Qt::Key_I), [this]() { setSelectedStatus(IssueStatus::Ignored); });
    m_ignoreAction->setIcon(style->standardIcon(QStyle::SP_DialogCancelButton));
    m_ignoreAction->setToolTip(tr("Ignore the selected issues for good (I); more choices in the menu"));
    m_ignoreMenu = issue->addMenu(tr("Ignore &Until"));
    m_ignoreMenu->setObjectName(QStringLiteral("ignoreMenu"));
    auto ignoreUntil = [this](const QString &text, StatusChange::Until until, qint64 amount) {
        QAction *action = m_ignoreMenu->addAction(text, this, [this, until, amount]() {
            StatusChange change;
            change.status = IssueStatus::Ignored;
            change.until = until;
            change.durationMs = until == StatusChange::Until::Duration ? amount : 0;
            change.events = until == StatusChange::Until::Events ? amount : 0;
            changeSelectedStatus(change);
        });
        m_issueActions.append(action);
        return action;
    };
    ignoreUntil(tr("For 1 Hour"), StatusChange::Until::Duration, 3600'000);
    ignoreUntil(tr("For 24 Hours"), StatusChange::Until::Duration, 24 * 3600'000);
    ignoreUntil(tr("For 7 Days"), StatusChange::Until::Duration, 7 * 24 * 3600'000LL);
    m_ignoreMenu->addSeparator();
    ignoreUntil(tr("Until 10 More Events"), StatusChange::Until::Events, 10);
    ignoreUntil(tr("Until 100 More Events"), StatusChange::Until::Events, 100);
    ignoreUntil(tr("Until 1,000 More Events"), StatusChange::Until::Events, 1000);
    m_ignoreMenu->addSeparator();
    ignoreUntil(tr("Until It Escalates"), StatusChange::Until::Escalating, 0)
        ->setToolTip(tr("Until an hour brings more events than the busiest hour of the week before"));
    m_unresolveAction = add(
        issue, tr("&Unresolve"), QKeySequence(Qt::Key_U), [this]() { setSelectedStatus(IssueStatus::Unresolved); });
    m_unresolveAction->setIcon(style->standardIcon(QStyle::SP_BrowserReload));
    m_unresolveAction->setToolTip(tr("Mark the selected issues unresolved again (U)"));
    issue->addSeparator();
    m_undoAction = add(issue, tr("U&ndo Status Change"), QKeySequence::Undo, [this]() { undoLastStatusChange(); });
    m_undoAction->setEnabled(false);
    m_issueActions.append({ m_resolveAction, m_resolveNextAction, m_ignoreAction, m_unresolveAction });
    issue->addSeparator();
    add(issue, tr("&Open Frame in Editor"), QKeySequence(Qt::Key_O), [this]() { openCurrentFrameInEditor(); });
    add(issue, tr("&Grouping Rules…"), QKeySequence(), [this]() { openGroupingRules(); });
    add(issue, tr("Source Roots and &Editor…"), QKeySequence(), [this]() { openSourceRootsDialog(); });
    add(issue, tr("&Alerts…"), QKeySequence(), [this]() { openAlertSettings(); });

    add(help, tr("&Search Syntax"), QKeySequence::HelpContents, [this]() {
        QMessageBox::information(this, tr("Search syntax"),
            tr("<p>All terms must match. Prefix a term with <code>!</code> or <code>-</code> to negate it.</p>"
               "<table>"
               "<tr><td><code>word</code>, <code>\"a phrase\"</code></td><td>full-text search</td></tr>"
               "<tr><td><code>is:unresolved</code></td><td>also resolved, ignored, regressed</td></tr>"
               "<tr><td><code>level:&gt;=warning</code></td><td>debug &lt; info &lt; warning &lt; error &lt; "
               "fatal</td></tr>"
               "<tr><td><code>project:api</code></td><td>by name or id</td></tr>"
               "<tr><td><code>release:1.2.3</code>, <code>environment:prod</code></td><td></td></tr>"
               "<tr><td><code>key:value</code></td><td>a tag (click one in the detail to add it)</td></tr>"
               "<tr><td><code>has:locals</code>, <code>has:validation</code></td><td></td></tr>"
               "<tr><td><code>field:email</code></td><td>a field named in a validation error</td></tr>"
               "<tr><td><code>status:5xx</code></td><td>the HTTP status the service answered</td></tr>"
               "<tr><td><code>age:-24h</code>, <code>last_seen:-1h</code></td><td>first/last seen within</td></tr>"
               "</table>"));
    });
    add(help, tr("&About Faultline"), QKeySequence(), [this]() {
        QMessageBox::about(this, tr("About Faultline"),
            tr("<b>Faultline</b> %1<p>A desktop error monitor: point a Sentry SDK's DSN at it "
               "and triage what your services report.</p>")
                .arg(QApplication::applicationVersion().toHtmlEscaped()));
    });

    for (QAction *action : { saveJson, copyJson, copyDsn, connectService, settings, showIssueList, showPageList,
             focusSearch, next, previous, open, back, olderEvent, newerEvent, refresh })
        action->setEnabled(ready);
    for (QAction *action : std::as_const(m_issueActions))
        action->setEnabled(false); // until an issue is selected (updateActionsEnabled)

    QToolBar *toolbar = addToolBar(tr("Issue"));
    toolbar->setObjectName(QStringLiteral("issueToolbar"));
    toolbar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    toolbar->setMovable(false);
    toolbar->addAction(m_resolveAction);
    toolbar->addAction(m_resolveNextAction);
    // Ignore for good on a click, the conditions on the arrow.
    auto *ignoreButton = new QToolButton(toolbar);
    ignoreButton->setObjectName(QStringLiteral("ignoreButton"));
    ignoreButton->setDefaultAction(m_ignoreAction);
    ignoreButton->setMenu(m_ignoreMenu);
    ignoreButton->setPopupMode(QToolButton::MenuButtonPopup);
    ignoreButton->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    toolbar->addWidget(ignoreButton);
    toolbar->addAction(m_unresolveAction);
    toolbar->addSeparator();
    toolbar->addAction(refresh);
    addHeaderButtons();
    toolbar->addSeparator();
    toolbar->addAction(connectService);
}

} // namespace faultline

namespace faultline {

void MainWindow::addHeaderButtons()
{
    // The same actions above the open issue's title, as on Sentry's issue page.
    if (!m_detail)
        return;
    auto button = [this](QAction *action, QMenu *menu, const char *name) {
        auto *tool = new QToolButton(m_detail);
        tool->setObjectName(QLatin1String(name));
        tool->setDefaultAction(action);
        tool->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
        if (menu) {
            tool->setMenu(menu);
            tool->setPopupMode(QToolButton::MenuButtonPopup);
        }
        m_detail->addHeaderWidget(tool);
    };
    auto *resolveMenu = new QMenu(m_detail);
    resolveMenu->addAction(m_resolveNextAction);
    button(m_resolveAction, resolveMenu, "headerResolve");
    button(m_ignoreAction, m_ignoreMenu, "headerIgnore");
    button(m_unresolveAction, nullptr, "headerUnresolve");
}

void MainWindow::addStatusActions(QMenu *menu)
{
    menu->addAction(m_resolveAction);
    menu->addAction(m_resolveNextAction);
    menu->addAction(m_ignoreAction);
    QMenu *until = menu->addMenu(tr("Ignore Until"));
    until->addActions(m_ignoreMenu->actions());
    until->setEnabled(m_ignoreAction->isEnabled());
    menu->addAction(m_unresolveAction);
}

} // namespace faultline
