#pragma once
// Refuses ingest while the database's disk is nearly full, instead of letting
// commits fail half-way: below the threshold every event gets a 507 that says
// how much is free, /health says so, and ingest resumes by itself once space
// returns. Free space is read at most once per checkInterval, by whichever
// caller (a request, /health, the status bar) comes first after it.
#include "model/disk_reserve.h"

#include <QString>

#include <chrono>
#include <functional>
#include <mutex>
#include <optional>

namespace faultline {

struct FreeSpace {
    qint64 availableBytes = 0;
    qint64 totalBytes = 0;
};

// The database's filesystem in production; a test's own numbers in tests.
using FreeSpaceSource = std::function<std::optional<FreeSpace>()>;
FreeSpaceSource filesystemFreeSpace(const QString &databasePath);

struct DiskGuardOptions {
    // Low below the smaller of the two: 1 GiB on a big disk, 5 % on a small one. 0 and 0 = off.
    qint64 minFreeBytes = qint64(kDefaultMinFreeMegabytes) << 20;
    int minFreePercent = kDefaultMinFreePercent;
    std::chrono::milliseconds checkInterval = std::chrono::seconds(1);
    FreeSpaceSource source; // empty = never low
};

struct DiskState {
    bool low = false;
    qint64 availableBytes = -1; // -1 = not known (no source, or it could not be read)
    qint64 thresholdBytes = 0;
    QString problem; // when low: what to tell the sender and the user
};

class DiskGuard {
public:
    explicit DiskGuard(DiskGuardOptions options);

    DiskState check(); // any thread; reads the source when the last reading is older than checkInterval
    qint64 thresholdBytes(const FreeSpace &space) const;

private:
    const DiskGuardOptions m_options;
    std::mutex m_mutex;
    std::chrono::steady_clock::time_point m_checked {};
    bool m_everChecked = false;
    DiskState m_state;
};

} // namespace faultline
