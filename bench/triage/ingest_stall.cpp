#include "ingest_stall.h"

#include "bench_common.h"
#include "paced_sender.h"

#include "collector/collector.h"
#include "storage/database.h"
#include "storage/event_writer.h"
#include "storage/project_store.h"
#include "ui/main_window.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTimer>

#include <cstdio>

namespace faultline::bench {

namespace {

struct Phase {
    Stats stallMs; // heartbeat gap minus the 1 ms interval
    int beats = 0;
    int refreshes = 0;
    int batches = 0;
    SenderResult sender;
    bool sending = false;
};

Phase runPhase(QApplication &app, MainWindow &window, EventWriter &writer, PacedSender *sender, int seconds)
{
    Phase phase;
    int refreshes = 0;
    int batches = 0;
    const auto onRefresh = QObject::connect(&window, &MainWindow::refreshed, [&refreshes] { ++refreshes; });
    const auto onBatch = QObject::connect(
        &writer, &EventWriter::batchCommitted, &window, [&batches] { ++batches; }, Qt::QueuedConnection);
    std::vector<double> gaps;
    gaps.reserve(std::size_t(seconds) * 1100);
    QElapsedTimer clock;
    qint64 last = 0;
    QTimer heartbeat;
    heartbeat.setTimerType(Qt::PreciseTimer);
    heartbeat.setInterval(1);
    QObject::connect(&heartbeat, &QTimer::timeout, [&] {
        const qint64 now = clock.nsecsElapsed();
        gaps.push_back(std::max(0.0, double(now - last) / 1e6 - 1.0));
        last = now;
    });
    if (sender)
        sender->start();
    clock.start();
    heartbeat.start();
    while (clock.elapsed() < qint64(seconds) * 1000)
        app.processEvents(QEventLoop::AllEvents | QEventLoop::WaitForMoreEvents, 50);
    heartbeat.stop();
    if (sender) {
        phase.sender = sender->stop();
        phase.sending = true;
    }
    app.processEvents();
    QObject::disconnect(onRefresh);
    QObject::disconnect(onBatch);
    phase.beats = int(gaps.size());
    phase.stallMs = summarize(std::move(gaps));
    phase.refreshes = refreshes;
    phase.batches = batches;
    return phase;
}

void printPhase(const char *name, const Phase &phase)
{
    std::printf("  %-34s %9.1f %9.2f %9.2f %7d %6d %6d", name, phase.stallMs.max, phase.stallMs.p99,
        phase.stallMs.median, phase.beats, phase.batches, phase.refreshes);
    if (phase.sending)
        std::printf("  %6.0f/s 2xx=%lld 429=%lld other=%lld sockerr=%lld ack p50=%.1f p99=%.1f max=%.1f ms",
            double(phase.sender.sent) / phase.sender.seconds, phase.sender.ok, phase.sender.rateLimited,
            phase.sender.otherStatus, phase.sender.socketErrors, phase.sender.ackP50Ms, phase.sender.ackP99Ms,
            phase.sender.ackMaxMs);
    std::printf("\n");
}

} // namespace

void measureIngestStall(QApplication &app, MainWindow &window, EventWriter &writer, Collector &collector, Database &db,
    const StallOptions &options)
{
    QFile fixture(options.fixturesDir + QStringLiteral("/python_exception_store.json"));
    if (!fixture.open(QIODevice::ReadOnly)) {
        std::printf("RESULT stall_max_ms FAILED (no fixture %s)\n", qPrintable(fixture.fileName()));
        return;
    }
    const QByteArray body = fixture.readAll();
    const QByteArray eventId
        = QJsonDocument::fromJson(body).object().value(QLatin1String("event_id")).toString().toLatin1();
    QList<SenderTarget> targets;
    for (const Project &project : ProjectStore(db).all())
        targets.append({ project.id, project.publicKey });

    std::printf("\nGUI-thread stall: 1 ms PreciseTimer heartbeat, stall = gap - 1 ms; ingest = %d paced sender threads "
                "posting python_exception_store.json (fresh event_id) to %lld projects at %.0f events/s\n",
        options.senderThreads, qint64(targets.size()), options.rate);
    std::printf("  %-34s %9s %9s %9s %7s %6s %6s  %s\n", "phase", "max ms", "p99 ms", "p50 ms", "beats", "batch",
        "refr", "sender");

    const Phase idle = runPhase(app, window, writer, nullptr, options.idleSeconds);
    printPhase("idle window (no ingest)", idle);

    // The first writes after opening a large database pay for cold caches (ack p99
    // 650 ms vs 33 ms a phase later): shown, but neither phase below starts cold.
    PacedSender warmUp(collector.port(), targets, body, eventId, options.rate, options.senderThreads);
    printPhase("ingest warm-up (first writes)", runPhase(app, window, writer, &warmUp, options.seconds / 2));

    PacedSender live(collector.port(), targets, body, eventId, options.rate, options.senderThreads);
    const Phase withUpdates = runPhase(app, window, writer, &live, options.seconds);
    printPhase("ingest, live updates on", withUpdates);

    // Reference: the same load with the window no longer told about commits.
    QObject::disconnect(&writer, &EventWriter::batchCommitted, &window, nullptr);
    PacedSender reference(collector.port(), targets, body, eventId, options.rate, options.senderThreads);
    const Phase withoutUpdates = runPhase(app, window, writer, &reference, options.referenceSeconds);
    printPhase("ingest, live updates off (ref)", withoutUpdates);

    std::printf("RESULT stall_max_ms %.1f\nRESULT stall_p99_ms %.2f\nRESULT stall_ref_max_ms %.1f\n"
                "RESULT stall_ref_p99_ms %.2f\nRESULT stall_idle_max_ms %.1f\nRESULT stall_idle_p99_ms %.2f\n"
                "RESULT ingest_rate %.0f\nRESULT ingest_2xx %lld\nRESULT ingest_sent %lld\n",
        withUpdates.stallMs.max, withUpdates.stallMs.p99, withoutUpdates.stallMs.max, withoutUpdates.stallMs.p99,
        idle.stallMs.max, idle.stallMs.p99, double(withUpdates.sender.sent) / withUpdates.sender.seconds,
        withUpdates.sender.ok, withUpdates.sender.sent);
}

} // namespace faultline::bench
