#pragma once
#include <QString>

namespace faultline {

// 32 lowercase hex digits from the system's secure random source: a project's DSN key.
QString generatePublicKey();

} // namespace faultline
