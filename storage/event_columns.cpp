#include "storage/event_columns.h"

#include "model/derived_tags.h"
#include "storage/incoming_event.h"

#include <QDateTime>
#include <QSet>
#include <QStringList>
#include <QUuid>

namespace faultline {

namespace {

bool hasLocals(const Event &event)
{
    for (const auto &exception : event.exceptions)
        for (const auto &frame : exception.frames)
            if (frame.hasLocals())
                return true;
    for (const auto &frame : event.threadFrames)
        if (frame.hasLocals())
            return true;
    return false;
}

// "|email|body.name|": `field:` searches match a whole segment between bars.
QString validationFields(const Event &event)
{
    if (event.validationErrors.isEmpty())
        return {};
    QStringList fields;
    for (const auto &issue : event.validationErrors)
        fields.append(issue.loc.join(u'.'));
    return u'|' + fields.join(u'|') + u'|';
}

// The exception lines the title does not already say (chained causes, mostly):
// only for search, and indexing the title's words twice costs the writer.
QString extraExceptionValues(const Event &event, const QString &title)
{
    QStringList lines;
    for (const auto &exception : event.exceptions) {
        const QString line
            = exception.type.isEmpty() ? exception.value : exception.type + QStringLiteral(": ") + exception.value;
        if (line != title)
            lines.append(line);
    }
    return lines.join(u'\n');
}

// Whether `file` already says `module` as whole words: "django.core.handlers.exception"
// in "django/core/handlers/exception.py", node's "loader" in "node:internal/modules/cjs/loader".
// Cheap on purpose (it runs for every frame of every event): no allocation unless the module has dots.
bool fileSaysModule(const QString &file, const QString &module)
{
    const QString path = module.contains(u'.') ? QString(module).replace(u'.', u'/') : module;
    auto isWordChar = [](QChar c) { return c.isLetterOrNumber(); };
    for (qsizetype at = file.indexOf(path); at >= 0; at = file.indexOf(path, at + 1)) {
        const qsizetype end = at + path.size();
        const bool startsWord = at == 0 || !isWordChar(file.at(at - 1));
        const bool endsWord = end == file.size() || !isWordChar(file.at(end));
        if (startsWord && endsWord)
            return true;
    }
    return false;
}

// What free text should find an event by: each frame's function, module and
// file, every distinct value once (a recursion repeats them). A module whose
// words the file already says in order ("django.core.handlers.exception" in
// "django/core/handlers/exception.py", node's "loader" in
// "node:internal/modules/cjs/loader") is left out: the file matches it, also
// as a phrase, and the column costs disk for every event.
QString frameSearchText(const Event &event)
{
    QSet<QString> seen;
    QStringList values;
    auto keep = [&](const QString &value) {
        if (!value.isEmpty() && !seen.contains(value)) {
            seen.insert(value);
            values.append(value);
        }
    };
    auto add = [&](const QList<Frame> &frames) {
        for (const Frame &frame : frames) {
            keep(frame.filename);
            if (!frame.module.isEmpty() && !seen.contains(frame.module)
                && !fileSaysModule(frame.filename, frame.module))
                keep(frame.module);
            keep(frame.function);
        }
    };
    for (const ExceptionValue &exception : event.exceptions)
        add(exception.frames);
    add(event.threadFrames);
    return values.join(u'\n');
}

QList<QPair<QString, QString>> facetsOf(const Event &event)
{
    QList<QPair<QString, QString>> facets;
    facets.reserve(2 + event.tags.size() + event.derivedTags.size());
    if (!event.release.isEmpty())
        facets.append({ QStringLiteral("release"), event.release });
    if (!event.environment.isEmpty())
        facets.append({ QStringLiteral("environment"), event.environment });
    for (const Tag &tag : event.tags)
        facets.append({ QStringLiteral("tag:") + tag.first, tag.second });
    for (const Tag &tag : event.derivedTags)
        facets.append({ QStringLiteral("derived:") + tag.first, tag.second });
    return facets;
}

} // namespace

EventColumns eventColumns(const IncomingEvent &incoming)
{
    const Event &event = incoming.event;
    const ExceptionValue *primary = event.primaryException();
    EventColumns columns;
    columns.eventId = event.eventId.isEmpty() ? QUuid::createUuid().toByteArray(QUuid::Id128) : event.eventId.toUtf8();
    columns.receivedMs = incoming.receivedMs > 0 ? incoming.receivedMs : QDateTime::currentMSecsSinceEpoch();
    // The collector clamps to a window around receipt; a timestamp that still
    // cannot be milliseconds of a year before 10000 is never converted (that is UB).
    constexpr double maxSeconds = 253402300799.0; // 9999-12-31T23:59:59Z
    columns.timestampMs
        = event.timestamp > 0 && event.timestamp <= maxSeconds ? qint64(event.timestamp * 1000.0) : columns.receivedMs;
    columns.level = event.level.toUtf8();
    columns.title = incoming.issue.title.toUtf8();
    columns.message = (event.message.isEmpty() ? event.messageTemplate : event.message).toUtf8();
    columns.exceptionType = primary ? primary->type.toUtf8() : QByteArray();
    columns.exceptionValue = primary ? primary->value.toUtf8() : QByteArray();
    columns.exceptionValues = extraExceptionValues(event, incoming.issue.title).toUtf8();
    columns.culprit = incoming.issue.culprit.toUtf8();
    columns.environment = event.environment.toUtf8();
    columns.release = event.release.toUtf8();
    columns.platform = event.platform.toUtf8();
    columns.validationFields = validationFields(event).toUtf8();
    columns.frames = frameSearchText(event).toUtf8();
    columns.derivedTags = derivedTagsColumn(event.derivedTags).toUtf8();
    columns.facets = facetsOf(event);
    columns.hasLocals = hasLocals(event);
    columns.httpStatus = event.http.statusCode;
    return columns;
}

} // namespace faultline
