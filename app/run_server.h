#pragma once
// `faultline` and `faultline --headless`: one instance per database, start-up
// failures named (dialog or stderr + exit code), the collector kept running
// while the window is closed, and the window as a viewer of a collector that
// already runs elsewhere.
#include "app/server_options.h"

namespace faultline {

int runServer(ServerOptions options);

} // namespace faultline
