#include "collector/disk_guard.h"

#include <QFileInfo>
#include <QLocale>
#include <QStorageInfo>

#include <spdlog/spdlog.h>

namespace faultline {

FreeSpaceSource filesystemFreeSpace(const QString &databasePath)
{
    const QString directory = QFileInfo(databasePath).absolutePath();
    return [directory]() -> std::optional<FreeSpace> {
        const QStorageInfo storage(directory);
        if (!storage.isValid() || !storage.isReady())
            return std::nullopt;
        return FreeSpace { storage.bytesAvailable(), storage.bytesTotal() };
    };
}

DiskGuard::DiskGuard(DiskGuardOptions options)
    : m_options(std::move(options))
{
}

qint64 DiskGuard::thresholdBytes(const FreeSpace &space) const
{
    if (space.totalBytes <= 0 || m_options.minFreePercent <= 0)
        return m_options.minFreeBytes;
    const qint64 share = space.totalBytes / 100 * m_options.minFreePercent;
    return m_options.minFreeBytes > 0 ? std::min(m_options.minFreeBytes, share) : share;
}

DiskState DiskGuard::check()
{
    if (!m_options.source)
        return {};
    std::lock_guard lock(m_mutex);
    const auto now = std::chrono::steady_clock::now();
    if (m_everChecked && now - m_checked < m_options.checkInterval)
        return m_state;
    m_everChecked = true;
    m_checked = now;
    const std::optional<FreeSpace> space = m_options.source();
    if (!space)
        return m_state; // unreadable for a moment: keep what we knew
    DiskState state;
    state.availableBytes = space->availableBytes;
    state.thresholdBytes = thresholdBytes(*space);
    state.low = state.thresholdBytes > 0 && space->availableBytes < state.thresholdBytes;
    if (state.low) {
        const QLocale c = QLocale::c();
        state.problem
            = QStringLiteral("the disk holding the database is nearly full (%1 free, below the %2 "
                             "threshold); events are refused until space is freed")
                  .arg(c.formattedDataSize(space->availableBytes, 1), c.formattedDataSize(state.thresholdBytes, 1));
    }
    if (state.low && !m_state.low)
        spdlog::warn("disk space low ({} bytes free, threshold {}): refusing events until space returns",
            space->availableBytes, state.thresholdBytes);
    else if (!state.low && m_state.low)
        spdlog::info("disk space back ({} bytes free, threshold {}): accepting events again", space->availableBytes,
            state.thresholdBytes);
    m_state = state;
    return m_state;
}

} // namespace faultline
