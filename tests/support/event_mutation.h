#pragma once
// Edits of a real event payload, for tests that need the same bug on another
// day (new ids, values, shifted lines) or a slightly different one, without
// inventing shapes no client sends.
#include <QJsonArray>
#include <QJsonObject>
#include <QString>

namespace faultline::test {

// The exception list, whether sent as {"values": [...]} or as a bare list (sentry-go).
inline QJsonArray exceptionValues(const QJsonObject &json)
{
    const QJsonValue exception = json.value(QStringLiteral("exception"));
    return exception.isArray() ? exception.toArray() : exception.toObject().value(QStringLiteral("values")).toArray();
}

// Replaces the exception list, keeping the shape the client sent.
inline QJsonObject withExceptionValues(QJsonObject json, const QJsonArray &values)
{
    if (json.value(QStringLiteral("exception")).isArray()) {
        json[QStringLiteral("exception")] = values;
    } else {
        QJsonObject exception = json.value(QStringLiteral("exception")).toObject();
        exception[QStringLiteral("values")] = values;
        json[QStringLiteral("exception")] = exception;
    }
    return json;
}

// Applies `change(frames)` to the frame list of exception `index` (-1: the last, raised one).
template<typename Change> QJsonObject mutateFrameList(QJsonObject json, Change change, qsizetype index = -1)
{
    QJsonArray values = exceptionValues(json);
    if (values.isEmpty())
        return json;
    const qsizetype at = index < 0 ? values.size() - 1 : index;
    QJsonObject value = values.at(at).toObject();
    QJsonObject stacktrace = value.value(QStringLiteral("stacktrace")).toObject();
    QJsonArray frames = stacktrace.value(QStringLiteral("frames")).toArray();
    change(frames);
    stacktrace[QStringLiteral("frames")] = frames;
    value[QStringLiteral("stacktrace")] = stacktrace;
    values[at] = value;
    return withExceptionValues(json, values);
}

// Applies `change(frame, index)` to every frame of every exception's stack.
template<typename Change> QJsonObject mutateFrames(QJsonObject json, Change change)
{
    const qsizetype exceptions = exceptionValues(json).size();
    for (qsizetype i = 0; i < exceptions; ++i) {
        json = mutateFrameList(
            json,
            [&change](QJsonArray &frames) {
                for (qsizetype j = 0; j < frames.size(); ++j) {
                    QJsonObject frame = frames.at(j).toObject();
                    change(frame, j);
                    frames[j] = frame;
                }
            },
            i);
    }
    return json;
}

// Sets (or with an undefined value removes) `field` of the last (raised) exception.
inline QJsonObject withExceptionField(QJsonObject json, const QString &field, const QJsonValue &fieldValue)
{
    QJsonArray values = exceptionValues(json);
    if (values.isEmpty())
        return json;
    QJsonObject last = values.last().toObject();
    if (fieldValue.isUndefined())
        last.remove(field);
    else
        last[field] = fieldValue;
    values[values.size() - 1] = last;
    return withExceptionValues(json, values);
}

// The same error on another day: other event id and time, other numbers in
// the value, lines moved by an edit above, other local variables.
inline QJsonObject anotherOccurrence(QJsonObject json)
{
    json[QStringLiteral("event_id")] = QStringLiteral("0123456789abcdef0123456789abcdef");
    json[QStringLiteral("timestamp")] = 1800000000.0;
    const QJsonArray values = exceptionValues(json);
    const QString value
        = values.isEmpty() ? QString() : values.last().toObject().value(QStringLiteral("value")).toString();
    QString renumbered = value;
    for (QChar &c : renumbered)
        if (c.isDigit())
            c = QLatin1Char(c == QLatin1Char('9') ? '1' : char(c.toLatin1() + 1));
    json = withExceptionField(json, QStringLiteral("value"), renumbered);
    return mutateFrames(json, [](QJsonObject &frame, qsizetype) {
        frame[QStringLiteral("lineno")] = frame.value(QStringLiteral("lineno")).toInt() + 17;
        if (frame.contains(QStringLiteral("colno")))
            frame[QStringLiteral("colno")] = frame.value(QStringLiteral("colno")).toInt() + 3;
        if (frame.contains(QStringLiteral("vars")))
            frame[QStringLiteral("vars")] = QJsonObject { { QStringLiteral("a"), QStringLiteral("99") } };
    });
}

} // namespace faultline::test
