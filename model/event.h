#pragma once
// Value types for a received error event, normalised from the many shapes
// Sentry clients send (see model/event_parser.h).
#include <QByteArray>
#include <QJsonObject>
#include <QJsonValue>
#include <QList>
#include <QPair>
#include <QString>
#include <QStringList>

#include <optional>

namespace faultline {

struct Frame {
    QString filename;
    QString absPath;
    QString module;
    QString function;
    int lineno = 0;
    int colno = 0;
    QString contextLine;
    QStringList preContext;
    QStringList postContext;
    std::optional<bool> inApp; // as the SDK said; use isInApp() for grouping
    QJsonObject vars; // local variables, values as the SDK sent them (repr strings, nested)
    int varCount = 0; // how many; set even when a summary parse leaves `vars` empty

    bool hasLocals() const { return varCount > 0 || !vars.isEmpty(); }
};

struct Mechanism {
    QString type; // "excepthook", "django", "onunhandledrejection", …
    std::optional<bool> handled;
    bool synthetic = false; // @sentry/node captureMessage: not a real exception
    QString source; // how it is chained to the next one: "__cause__" (raise … from), "__context__"
};

struct ExceptionValue {
    QString type;
    QString value;
    QString module;
    std::optional<Mechanism> mechanism;
    QList<Frame> frames; // oldest first: the crashing frame is last
};

struct Breadcrumb {
    double timestamp = 0; // epoch seconds; 0 when unknown
    QString type;
    QString category;
    QString level;
    QString message;
    QJsonObject data;
};

using Tag = QPair<QString, QString>;

// One failed field of a Pydantic/DRF validation error: where (loc), why (msg, type).
struct ValidationIssue {
    QStringList loc; // ["body","email"]; numeric indices as strings
    QString msg;
    QString type;
    QString input; // the offending input value, when known
};

// What the service answered its own client with (DRF handler body, status code).
struct HttpOutcome {
    int statusCode = 0; // 0 = unknown
    QJsonValue errorBody; // e.g. {"error": "...", "status_code": 400}; Undefined when unknown
};

struct Event {
    QString eventId; // 32 lowercase hex
    double timestamp = 0; // epoch seconds (when it happened, per the client)
    QString level = QStringLiteral("error");
    QString platform;
    QString logger;
    QString message; // formatted message, if any
    QString messageTemplate; // unformatted logentry.message, used for grouping
    QString environment;
    QString release;
    QString serverName;
    QString transaction;
    QList<ExceptionValue> exceptions; // chain, oldest cause first; the last is the one raised
    QList<Frame> threadFrames; // from `threads` or the top-level `stacktrace`, when no exception has frames
    QList<Breadcrumb> breadcrumbs;
    QList<Tag> tags;
    QList<Tag> derivedTags; // server_name, user, browser, os, runtime… (model/derived_tags.h)
    QStringList fingerprint; // as sent by the SDK; empty = default grouping
    QList<ValidationIssue> validationErrors; // from Pydantic/DRF errors, see model/validation.h
    HttpOutcome http;
    QJsonObject raw; // the full original event JSON, after scrubbing (see EventDetail)

    const ExceptionValue *primaryException() const { return exceptions.isEmpty() ? nullptr : &exceptions.last(); }
    QString tag(const QString &key) const;
};

// An HTML page (or other file) the service sent along with the event.
struct Attachment {
    QString filename;
    QString contentType;
    QString attachmentType;
    QByteArray data;
};

inline QString Event::tag(const QString &key) const
{
    for (const auto &t : tags)
        if (t.first == key)
            return t.second;
    return {};
}

} // namespace faultline
