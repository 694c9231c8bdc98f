#pragma once
// `faultline issue ID [--json]`: one issue's summary, the same facts as the
// window's issue header and tag panel: title, culprit, status, counts, users
// affected, first/last seen with their release, events per release, and the
// top 10 values of every tag key.
#include <QJsonObject>
#include <QStringList>
#include <QTextStream>

namespace faultline {

class IssueReader;
struct IssueRow;

int runIssueCommand(const QStringList &args, QTextStream &out, QTextStream &err);

// The summary as `issue ID --json` prints it.
QJsonObject issueSummaryJson(const IssueReader &issues, const IssueRow &issue, QString *error);

} // namespace faultline
