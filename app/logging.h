#pragma once
// The one logger setup of the app: stderr plus a rotating file in the data dir.
#include <QString>

namespace faultline {

// level: trace|debug|info|warn|error|off. Returns false (and keeps stderr
// logging) when the level is unknown or the file cannot be opened.
bool setUpLogging(const QString &logDirectory, const QString &level, QString *error);

} // namespace faultline
