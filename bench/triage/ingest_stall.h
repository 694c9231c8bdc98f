#pragma once
// The longest GUI-thread stall while the embedded collector ingests at a
// fixed rate into the same database the live window shows.
#include <QString>

class QApplication;

namespace faultline {
class Collector;
class Database;
class EventWriter;
class MainWindow;
} // namespace faultline

namespace faultline::bench {

struct StallOptions {
    double rate = 2000; // events per second
    int seconds = 20;
    int referenceSeconds = 10;
    int idleSeconds = 5;
    int senderThreads = 32;
    QString fixturesDir;
};

// Three phases, each with a 1 ms heartbeat on the GUI thread: idle (no ingest),
// ingest with live updates (the figure), ingest with the window's live updates
// disconnected (the reference: the same load without the UI reacting to it).
void measureIngestStall(QApplication &app, MainWindow &window, EventWriter &writer, Collector &collector, Database &db,
    const StallOptions &options);

} // namespace faultline::bench
