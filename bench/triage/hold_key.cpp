#include "hold_key.h"

#include "bench_common.h"
#include "operations.h"

#include "ui/issue_detail_view.h"
#include "ui/main_window.h"
#include "ui/triage/issue_list_model.h"

#include <QAction>
#include <QApplication>
#include <QElapsedTimer>
#include <QTableView>
#include <QTimer>

#include <cstdio>
#include <vector>

namespace faultline::bench {

void measureHoldNext(QApplication &app, MainWindow &window, int presses, int repeatMs)
{
    QAction *next = nullptr;
    for (QAction *action : window.actions())
        if (action->shortcut() == QKeySequence(Qt::Key_J))
            next = action;
    IssueListModel *model = window.issueModel();
    if (!next || model->rowCount() <= presses) {
        std::printf("RESULT hold_j_stall_max_ms FAILED (no j action or fewer than %d issues)\n", presses + 1);
        return;
    }
    window.issueView()->sortByColumn(IssueListModel::LastSeenColumn, Qt::DescendingOrder);
    spinUntil(app, [model] { return !model->isLoading(); }); // the sort is read on the storage gateway
    window.issueView()->setCurrentIndex(model->index(0, IssueListModel::TitleColumn));
    window.syncDetailNow();
    spinUntil(
        app, [] { return false; }, 200);

    int opens = 0;
    const auto counter = QObject::connect(window.detailView(), &IssueDetailView::eventShown, [&opens] { ++opens; });
    std::vector<double> pressMs;
    std::vector<double> gaps;
    QElapsedTimer clock;
    clock.start();
    qint64 lastBeat = clock.nsecsElapsed();
    bool holding = true;
    QTimer heartbeat;
    heartbeat.setTimerType(Qt::PreciseTimer);
    heartbeat.setInterval(1);
    QObject::connect(&heartbeat, &QTimer::timeout, [&] {
        const qint64 now = clock.nsecsElapsed();
        if (holding)
            gaps.push_back(std::max(0.0, double(now - lastBeat) / 1e6 - 1.0));
        lastBeat = now;
    });
    QTimer key;
    key.setTimerType(Qt::PreciseTimer);
    key.setInterval(repeatMs);
    int pressed = 0;
    QObject::connect(&key, &QTimer::timeout, [&] {
        QElapsedTimer one;
        one.start();
        next->trigger();
        pressMs.push_back(double(one.nsecsElapsed()) / 1e6);
        if (++pressed == presses)
            key.stop();
    });
    heartbeat.start();
    key.start();
    spinUntil(
        app, [&] { return pressed == presses; }, 60'000);
    const int opensWhileHeld = opens;
    // Let go: the detail opens the row it stopped on (that open is the "open issue" figure). The
    // row's page may still be on its way from the storage gateway, so its id is read as it comes.
    QElapsedTimer release;
    release.start();
    holding = false;
    const bool shown = spinUntil(app, [&] {
        const qint64 target = model->issueId(window.issueView()->currentIndex().row());
        return target != 0 && window.detailView()->issue() && window.detailView()->issue()->id == target;
    });
    const double releaseMs = double(release.nsecsElapsed()) / 1e6;
    heartbeat.stop();
    QObject::disconnect(counter);

    const Stats press = summarize(pressMs);
    const Stats stall = summarize(gaps);
    std::printf(
        "\nj held: Next Issue every %d ms across %d issues, 1 ms heartbeat (stall = gap - 1 ms)\n", repeatMs, presses);
    std::printf("  stall max %.1f ms, p99 %.2f ms; one press max %.1f ms, median %.2f ms; details opened while held: "
                "%d; after release the detail showed row %d in %.0f ms%s\n",
        stall.max, stall.p99, press.max, press.median, opensWhileHeld, window.issueView()->currentIndex().row(),
        releaseMs, shown ? "" : " (NOT shown)");
    std::printf("RESULT hold_j_stall_max_ms %.1f\nRESULT hold_j_stall_p99_ms %.2f\nRESULT hold_j_press_max_ms %.1f\n"
                "RESULT hold_j_opens_while_held %d\n",
        stall.max, stall.p99, press.max, opensWhileHeld);
}

} // namespace faultline::bench
