#include "model/database_location.h"

namespace faultline {

qsizetype postgresUriSchemeLength(const QString &text)
{
    for (const QLatin1String scheme : { QLatin1String("postgresql://"), QLatin1String("postgres://") })
        if (text.startsWith(scheme, Qt::CaseInsensitive))
            return scheme.size();
    return -1;
}

} // namespace faultline
