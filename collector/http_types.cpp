#include "collector/http_types.h"

namespace faultline {

QByteArray HttpRequest::header(QByteArrayView name) const
{
    QByteArray joined;
    for (const auto &[key, value] : headers) {
        if (key.compare(name, Qt::CaseInsensitive) != 0)
            continue;
        if (!joined.isEmpty())
            joined += ", ";
        joined += value;
    }
    return joined;
}

}  // namespace faultline
