#pragma once
// What an agent gets to read about an issue and an event: JSON built from the
// stored event through the collector's own parser, bounded in size (frames,
// locals, bodies and breadcrumbs are capped, and say how much was left out).
#include "storage/event_queries.h"
#include "storage/issue_queries.h"

#include <QJsonObject>
#include <QString>

namespace faultline {

class EventReader;

// Every frame (up to a cap) for get_event; only the application's own frames
// for get_issue, where the agent wants the lines to change.
enum class FrameSelection { InAppOnly, All };

QString isoTimeUtc(qint64 ms);
QString issueUri(qint64 issueId);

// id, uri, project, title, culprit, level, status, counts and first/last seen.
QJsonObject issueSummaryJson(const IssueRow &issue, const QString &projectName);

// The event with its exception chain, frames (context lines and locals),
// request, HTTP outcome, validation errors, tags and pages. *parseError is set
// (and only the stored columns are given) when the stored JSON does not parse.
QJsonObject eventReportJson(
    const EventReader &events, const EventRow &row, FrameSelection frames, QString *parseError = nullptr);

// A short field of the event list (no stack): what list_events pages through.
QJsonObject eventListItemJson(const EventRow &row);

} // namespace faultline
