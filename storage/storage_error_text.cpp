#include "storage/storage_error_text.h"

namespace faultline {

QString shortErrorText(const QString &text)
{
    const QString whole = text.trimmed();
    QString shown = whole.section(u'\n', 0, 0).trimmed();
    if (shown.size() > kShortErrorChars)
        shown = shown.left(kShortErrorChars - 1).trimmed();
    return shown.size() == whole.size() ? shown : shown + u'…';
}

} // namespace faultline
