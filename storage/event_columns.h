#pragma once
// The events-table columns of one event, already UTF-8. EventWriter
// builds them on the sender's thread, so the single writer thread only binds
// them: every conversion and copy left on that thread costs all senders
// throughput (it is the one serial stage of ingest).
#include <QByteArray>
#include <QList>
#include <QPair>
#include <QString>
#include <QtGlobal>

namespace faultline {

class IncomingEvent;

struct EventColumns {
    QByteArray eventId; // the event's own, or a fresh one when it has none
    qint64 timestampMs = 0;
    qint64 receivedMs = 0;
    QByteArray level;
    QByteArray title; // the title for this event
    QByteArray message;
    QByteArray exceptionType;
    QByteArray exceptionValue;
    QByteArray exceptionValues; // the exception lines the title does not say
    QByteArray culprit;
    QByteArray environment;
    QByteArray release;
    QByteArray platform;
    QByteArray validationFields; // "|email|body.name|"
    QByteArray frames; // every frame's function, module and file, each distinct value once (search)
    QByteArray derivedTags; // model/derived_tags.h: derivedTagsColumn()
    // What the counters (issue_facets) count for this event: ('release', v),
    // ('environment', v), ('tag:' + key, v), ('derived:' + key, v).
    QList<QPair<QString, QString>> facets;
    bool hasLocals = false;
    int httpStatus = 0;

    bool isEmpty() const { return eventId.isEmpty(); }
};

EventColumns eventColumns(const IncomingEvent &incoming);

} // namespace faultline
