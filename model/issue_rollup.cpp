#include "model/issue_rollup.h"

#include "model/event.h"
#include "model/query/query.h"

namespace faultline {

bool isUnhandled(const Event &event)
{
    for (const ExceptionValue &exception : event.exceptions)
        if (exception.mechanism && exception.mechanism->handled == false)
            return true;
    return false;
}

QString moreSevereLevel(const QString &current, const QString &arriving)
{
    return levelRank(arriving) > levelRank(current) ? arriving : current;
}

} // namespace faultline
