#include "mcp/report_budget.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QStringList>

namespace faultline {

namespace {

constexpr int kIntactCrashFrames = 5; // the newest frames of the raised exception keep everything

qsizetype sizeOf(const QJsonObject &object) { return QJsonDocument(object).toJson(QJsonDocument::Compact).size(); }

// Where frames live in a report: each exception's "frames", and "thread_stack".
struct FrameList {
    QString container; // "exceptions" or "thread_stack"
    int exceptionIndex = -1;
};

QList<FrameList> frameLists(const QJsonObject &event)
{
    QList<FrameList> lists;
    const QJsonArray exceptions = event.value(QLatin1String("exceptions")).toArray();
    for (int i = 0; i < exceptions.size(); ++i)
        lists.append({ QStringLiteral("exceptions"), i });
    if (event.contains(QLatin1String("thread_stack")))
        lists.append({ QStringLiteral("thread_stack"), -1 });
    return lists;
}

QJsonArray framesOf(const QJsonObject &event, const FrameList &list)
{
    const QJsonObject holder = list.exceptionIndex >= 0
        ? event.value(list.container).toArray().at(list.exceptionIndex).toObject()
        : event.value(list.container).toObject();
    return holder.value(QLatin1String("frames")).toArray();
}

void setFrames(QJsonObject &event, const FrameList &list, const QJsonArray &frames)
{
    if (list.exceptionIndex < 0) {
        QJsonObject holder = event.value(list.container).toObject();
        holder.insert(QStringLiteral("frames"), frames);
        event.insert(list.container, holder);
        return;
    }
    QJsonArray exceptions = event.value(list.container).toArray();
    QJsonObject holder = exceptions.at(list.exceptionIndex).toObject();
    holder.insert(QStringLiteral("frames"), frames);
    exceptions.replace(list.exceptionIndex, holder);
    event.insert(list.container, exceptions);
}

// Removes `key` from frames oldest first until the event fits; true when it does.
bool dropFromOldestFrames(QJsonObject &event, const QString &key, qsizetype budget, bool wholeFrames)
{
    const QList<FrameList> lists = frameLists(event);
    for (const FrameList &list : lists) {
        const bool raised = &list == &lists.last() || list.container == u"thread_stack";
        QJsonArray frames = framesOf(event, list);
        const qsizetype keep = raised ? kIntactCrashFrames : 0;
        for (qsizetype i = 0; i + keep < frames.size();) {
            if (wholeFrames) {
                frames.removeAt(i);
            } else {
                QJsonObject frame = frames.at(i).toObject();
                frame.remove(key);
                frames.replace(i, frame);
                ++i;
            }
            setFrames(event, list, frames);
            if (sizeOf(event) <= budget)
                return true;
        }
    }
    return sizeOf(event) <= budget;
}

} // namespace

void fitEventReportToBudget(QJsonObject &event, qsizetype budgetBytes)
{
    if (sizeOf(event) <= budgetBytes)
        return;
    const qsizetype target = budgetBytes - 512; // room for the note below
    QStringList trimmed;
    const struct {
        const char *key;
        bool wholeFrames;
        const char *said;
    } steps[] = { { "vars", false, "locals of older frames" }, { "context", false, "source lines of older frames" },
        { "", true, "older frames" } };
    for (const auto &step : steps) {
        trimmed.append(QLatin1String(step.said));
        if (dropFromOldestFrames(event, QLatin1String(step.key), target, step.wholeFrames))
            break;
    }
    event.insert(QStringLiteral("trimmed_for_size"),
        QStringLiteral("left out to stay under %1 KB: %2 (get_event on this event_id has the same limit; "
                       "the Faultline window shows everything)")
            .arg(budgetBytes / 1024)
            .arg(trimmed.join(QStringLiteral(", "))));
}

} // namespace faultline
