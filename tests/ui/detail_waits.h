#pragma once
// Waiting for the issue detail: its issue, event, chart and Events tab are read
// on the storage gateway's reader and shown when they arrive.
#include "ui/issue_detail_view.h"
#include "ui/main_window.h"

#include <QTest>

namespace faultline::test {

// What was asked for shows: no read of the detail is on its way.
[[nodiscard]] inline bool detailSettled(const IssueDetailView &detail)
{
    return QTest::qWaitFor([&detail] { return !detail.isLoading(); }, 10'000);
}

// The window's detail, once the issue the list asked for (after its short delay) shows.
[[nodiscard]] inline bool detailSettled(const MainWindow &window)
{
    return QTest::qWaitFor(
        [&window] { return !window.isDetailPending() && !window.detailView()->isLoading(); }, 10'000);
}

} // namespace faultline::test
