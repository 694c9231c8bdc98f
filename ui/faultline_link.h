#pragma once
// faultline:// links, as the .desktop file's URL handler passes them on:
// faultline://issue/ID opens that issue.
#include <QString>

#include <optional>

namespace faultline {

std::optional<qint64> issueIdFromLink(const QString &link); // nullopt: not an issue link
QString issueLink(qint64 issueId);

} // namespace faultline
