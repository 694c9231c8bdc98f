#pragma once
// Waiting for dialogs that read and write through the storage gateway.
#include "ui/settings_dialog.h"

#include <QSignalSpy>
#include <QTest>

namespace faultline::test {

// What OK does, waited for: true when everything was stored (false: errorText() says why).
inline bool applySettings(SettingsDialog &dialog)
{
    if (dialog.isLoading() && !QTest::qWaitFor([&dialog] { return !dialog.isLoading(); }))
        return false;
    QSignalSpy applied(&dialog, &SettingsDialog::applied);
    if (!dialog.apply())
        return false;
    return applied.wait(10000) && applied.first().at(0).toBool();
}

} // namespace faultline::test
