// MainWindow's menus, toolbar and shortcuts (the workflow keys: / j k r i u Esc, Ctrl+1/2).
#include "ui/main_window.h"

#include "ui/issue_detail_view.h"
#include "ui/project_list_model.h"
#include "ui/query_bar.h"

#include <QApplication>
#include <QLineEdit>
#include <QListView>
#include <QMenuBar>
#include <QMessageBox>
#include <QScrollArea>
#include <QStyle>
#include <QTableView>
#include <QToolBar>

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
    QAction *resolve
        = add(issue, tr("&Resolve"), QKeySequence(Qt::Key_R), [this]() { setSelectedStatus(IssueStatus::Resolved); });
    resolve->setIcon(style->standardIcon(QStyle::SP_DialogApplyButton));
    resolve->setToolTip(tr("Resolve the selected issues (R)"));
    QAction *ignore
        = add(issue, tr("&Ignore"), QKeySequence(Qt::Key_I), [this]() { setSelectedStatus(IssueStatus::Ignored); });
    ignore->setIcon(style->standardIcon(QStyle::SP_DialogCancelButton));
    ignore->setToolTip(tr("Ignore the selected issues (I)"));
    QAction *unresolve = add(
        issue, tr("&Unresolve"), QKeySequence(Qt::Key_U), [this]() { setSelectedStatus(IssueStatus::Unresolved); });
    unresolve->setIcon(style->standardIcon(QStyle::SP_BrowserReload));
    unresolve->setToolTip(tr("Mark the selected issues unresolved again (U)"));
    issue->addSeparator();
    add(issue, tr("&Open Frame in Editor"), QKeySequence(Qt::Key_O), [this]() { openCurrentFrameInEditor(); });
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
             focusSearch, next, previous, open, back, olderEvent, newerEvent, refresh, resolve, ignore, unresolve })
        action->setEnabled(ready);

    QToolBar *toolbar = addToolBar(tr("Issue"));
    toolbar->setObjectName(QStringLiteral("issueToolbar"));
    toolbar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    toolbar->setMovable(false);
    toolbar->addAction(resolve);
    toolbar->addAction(ignore);
    toolbar->addAction(unresolve);
    toolbar->addSeparator();
    toolbar->addAction(refresh);
    toolbar->addSeparator();
    toolbar->addAction(connectService);
}

} // namespace faultline
