#pragma once
// A storage error as a view says it in line: the first line of its words (libpq's run on over
// DETAIL and HINT lines), at most kShortErrorChars characters, "…" where anything was cut. The
// view shows the whole text on hover.
#include "storage/storage_error.h"

namespace faultline {

inline constexpr int kShortErrorChars = 90;

QString shortErrorText(const QString &text);
inline QString storageErrorShortText(const StorageError &error) { return shortErrorText(storageErrorText(error)); }

} // namespace faultline
