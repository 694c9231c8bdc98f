#pragma once
// The free disk space the collector keeps for the database: it refuses events
// (507) while less than the smaller of the two is free, 1 GiB on a big disk and
// 5 % on a small one. Defaults of the Settings dialog, `--min-free-mb` and the
// collector's disk guard alike.
namespace faultline {

inline constexpr int kDefaultMinFreeMegabytes = 1024;
inline constexpr int kDefaultMinFreePercent = 5;

} // namespace faultline
