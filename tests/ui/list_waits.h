#pragma once
// Waiting for the main window's list: its reads (a search, a project, a sort, a
// refresh, a page scrolled to) run on the storage gateway's reader.
#include "ui/main_window.h"
#include "ui/triage/issue_list_model.h"

#include <QFuture>
#include <QTest>

namespace faultline::test {

// What was asked for shows: no list read and no refresh is on its way.
[[nodiscard]] inline bool listSettled(const MainWindow &window)
{
    return QTest::qWaitFor([&window] { return !window.issueModel()->isLoading() && !window.isRefreshing(); }, 10'000);
}

// The answer of a window call that reads through the gateway first (openIssue,
// mergeConfirmation, openSplitDialog), once it shows; `otherwise` when it never came.
template<typename T> [[nodiscard]] T shownAnswer(QFuture<T> future, T otherwise = T())
{
    if (!QTest::qWaitFor([&future] { return future.isFinished(); }, 10'000) || future.isCanceled())
        return otherwise;
    return future.result();
}

} // namespace faultline::test
