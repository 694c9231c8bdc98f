#pragma once
// Counters the status bar and the log read; updated from the HTTP threads.
#include <atomic>
#include <cstdint>

namespace faultline {

struct CollectorStats {
    std::atomic<std::uint64_t> acceptedEvents { 0 };
    std::atomic<std::uint64_t> rejectedRequests { 0 }; // any 4xx/5xx answer
    std::atomic<std::uint64_t> rateLimited { 0 }; // 429s (subset of rejected)
    std::atomic<std::uint64_t> skippedItems { 0 }; // envelope items we accept but don't store
    std::atomic<std::uint64_t> clientDiscarded { 0 }; // events SDKs reported lost (client_report)
};

} // namespace faultline
