#pragma once
// Waiting for the main window's list: its reads (a search, a project, a sort, a
// refresh, a page scrolled to) run on the storage gateway's reader.
#include "ui/issue_list_model.h"
#include "ui/main_window.h"

#include <QTest>

namespace faultline::test {

// What was asked for shows: no list read and no refresh is on its way.
[[nodiscard]] inline bool listSettled(const MainWindow &window)
{
    return QTest::qWaitFor([&window] { return !window.issueModel()->isLoading() && !window.isRefreshing(); }, 10'000);
}

} // namespace faultline::test
