#pragma once
// Read side of "what the user saw": the HTML pages services attach to events
// (their 500.html), per event and grouped per project by status code and
// shape (the page with request ids, tokens, nonces and times masked, see
// model/page_shape.h), so one row stands for every event that showed the same
// page, whatever per-request values it carried.
#include "storage/storage_error.h"

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QString>
#include <QStringList>

namespace faultline {

class Database;

// One page attachment of one event.
struct EventPage {
    qint64 attachmentId = 0;
    qint64 eventRow = 0; // events.id
    QString filename;
    QString contentType;
    int statusCode = 0; // "500.html" → 500, else the event's HTTP status; 0 = unknown
    qint64 size = 0;
    QString sha256;
    QByteArray data; // empty unless asked for
};

// One rendering of a page: the exact bytes some events carried.
struct PageVariant {
    QString sha256;
    qint64 size = 0;
    qint64 events = 0;
    qint64 lastSeenMs = 0;
};

// One distinct page of a project: every event that carried a page of the
// same shape under the same status code.
struct DistinctPage {
    qint64 projectId = 0;
    int statusCode = 0;
    QString shape; // the group's key: the shape hash (the sha256 for bodies stored without one)
    QString sha256; // the newest variant's, the one shown
    qint64 size = 0; // the newest variant's
    QString filename; // the newest occurrence's
    QString contentType; // the newest occurrence's
    qint64 events = 0; // distinct events carrying it
    qint64 firstSeenMs = 0; // received time of the first/last such event
    qint64 lastSeenMs = 0;
    QList<qint64> issueIds; // ascending
    QStringList issueTitles; // parallel to issueIds
    QStringList releases; // non-empty releases seen with it, sorted
    QList<PageVariant> variants; // newest first; one when every event carried the same bytes
};

// One variant row of a distinct-pages query, as both backends' SQL answers
// it: the exact bytes `sha256` of one (project, status, shape) group.
struct PageVariantRow {
    qint64 projectId = 0;
    int statusCode = 0;
    QString shape;
    PageVariant variant; // sha256, size, events carrying it, last seen
    qint64 firstSeenMs = 0;
    QString filename; // the variant's newest occurrence's
    QString contentType;
    QString issueIdsJson; // a JSON array of the issues' ids
    QString releasesJson; // a JSON array of the releases seen with it
};

// The groups of `rows` (newest first, a group's newest variant first), their
// issue ids and releases sorted; issue titles are left for the caller.
QList<DistinctPage> groupPageVariants(const QList<PageVariantRow> &rows);
// Every issue id `pages` name, and their titles filled in from `titles` (by id).
QList<qint64> pageIssueIds(const QList<DistinctPage> &pages);
void setPageIssueTitles(QList<DistinctPage> &pages, const QHash<qint64, QString> &titles);

class PageQueries {
public:
    explicit PageQueries(Database &db)
        : m_db(db)
    {
    }

    // The pages among an event's attachments, in upload order.
    QList<EventPage> forEvent(qint64 eventRow, bool withData = false, QString *error = nullptr) const;
    // projectId 0 = every project. Newest (by last seen) first, variants inside.
    QList<DistinctPage> distinctPages(qint64 projectId, QString *error = nullptr) const;
    // A stored body by its hash (bodies are shared between events).
    StorageResult<QByteArray> data(const QString &sha256) const; // NotFound when no body has that hash

    // Whether an attachment counts as a page: text/html, or named *.html / *.htm.
    static bool isPage(const QString &filename, const QString &contentType);
    // The status a page stands for: a filename like "500.html" wins over the event's status.
    static int statusCodeOf(const QString &filename, int eventHttpStatus);

private:
    Database &m_db;
};

} // namespace faultline
