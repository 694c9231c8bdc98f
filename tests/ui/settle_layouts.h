#pragma once
// Before a screenshot or a check of geometry: the window on screen and every layout
// and update already posted delivered, instead of waiting a fixed time for them.
#include <QCoreApplication>
#include <QTest>
#include <QWidget>

namespace faultline::test {

[[nodiscard]] inline bool settleLayouts(QWidget *widget)
{
    if (!QTest::qWaitForWindowExposed(widget->window()))
        return false;
    // A layout posts further requests as it goes (a resized child relayouts its parent),
    // each delivered by the next round: three cover the chains our views make.
    for (int round = 0; round < 3; ++round) {
        QCoreApplication::sendPostedEvents();
        QCoreApplication::processEvents();
    }
    return true;
}

} // namespace faultline::test
