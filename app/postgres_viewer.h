#pragma once
// The window on a PostgreSQL database (#18, "every desktop a viewer"): the
// collectors run elsewhere, any number of them; this process reads, shows and
// triages. The server is checked before the window opens, and
// PgChangeListener keeps the window live: what commits anywhere refreshes it,
// a lost connection shows "Disconnected … retrying" over what stays on
// screen, and once listening again everything is read again (notifications
// sent meanwhile are gone).
#include "ui/startup_failure.h"

#include <QString>

#include <optional>

namespace faultline {

class MainWindow;
class PgChangeListener;

// The server answers and holds a Faultline schema this build reads; a failure
// says which (unreachable: exit code 9). A schema from before live updates is
// not migrated by a window: *warning then says the window will not update by itself.
// Runs before any window exists, on the GUI thread: `stopFd` (the termination
// signals' pipe) ends the connect and its host name look-up.
std::optional<StartupFailure> checkPostgresForWindow(const QString &uri, QString *warning, int stopFd = -1);

// "PostgreSQL viewer: postgresql://alice@db.example.com/faultline" (no password): the status bar's.
QString postgresViewerStatus(const QString &uri);

// changed → the window's live refresh; connectionLost → the banner, with what is
// on screen kept; reconnected → the banner gone and everything read again.
void connectLiveUpdates(PgChangeListener &listener, MainWindow &window, const QString &uri);

} // namespace faultline
