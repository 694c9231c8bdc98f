#pragma once
// Why an event got its grouping key: what the strategy looked at, what
// counted and what it ignored and why. Stored beside the key and shown in
// the detail ("Grouped by: exception type `pydantic.ValidationError`, …").
#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

namespace faultline {

struct GroupingPart {
    enum class Kind { Fingerprint, ExceptionType, ExceptionValue, Frame, Message, Fallback };
    Kind kind = Kind::Fallback;
    QString value; // type, normalised value or message, fingerprint part; a frame's location
    QString function; // frames only
    QString contextLine; // frames only
    QString ignored; // why it does not count; empty when it does
    int count = 1; // frames in a row ignored for the same reason

    bool counts() const { return ignored.isEmpty(); }
};

struct GroupingExplanation {
    QString strategy; // "v2"
    QString basis; // "exception", "stack", "message", "fingerprint", "fallback"
    // "app": only the application's frames count; "system": the SDK marked
    // no frame as app code, so all of them count. Empty without frames.
    QString variant;
    QList<GroupingPart> parts;

    // What the key is the hash of: the strategy, the basis and every counted part.
    QStringList hashedComponents() const;
};

QJsonObject toJson(const GroupingExplanation &explanation);
// "fingerprint", "type", "value", "frame", "message", "fallback": the "kind" in the JSON.
QString groupingPartKindName(GroupingPart::Kind kind);
// Lenient: unknown kinds become Fallback, missing members empty.
GroupingExplanation groupingExplanationFromJson(const QJsonObject &json);

// A counted frame as people read it: "app.views.post", "static/app.js in inner".
QString groupingFrameLabel(const GroupingPart &frame);

// One line for people: "exception type `ValueError`, frames `app.views.post`
// line `Order(**data)`, …; ignored: 12 frames (installed package)".
QString describeGrouping(const GroupingExplanation &explanation);

} // namespace faultline
