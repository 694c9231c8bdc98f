#include "model/escaped_text.h"

#include <algorithm>

namespace faultline {

namespace {

bool isBidiControl(char16_t c)
{
    return (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069) || c == 0x200E || c == 0x200F || c == 0x061C;
}

void appendHex(QString &out, char16_t c)
{
    static const char digits[] = "0123456789ABCDEF";
    if (c < 0x100) {
        out += QLatin1String("\\x");
        out += QLatin1Char(digits[c >> 4]);
        out += QLatin1Char(digits[c & 0xF]);
        return;
    }
    out += QLatin1String("\\u{");
    for (int shift = 12; shift >= 0; shift -= 4)
        out += QLatin1Char(digits[(c >> shift) & 0xF]);
    out += QLatin1Char('}');
}

} // namespace

QString escapedText(QStringView text, Backslash backslash, qsizetype maxChars)
{
    QString out;
    out.reserve(maxChars >= 0 ? std::min(text.size(), maxChars) + 1 : text.size());
    for (qsizetype i = 0; i < text.size(); ++i) {
        if (maxChars >= 0 && out.size() >= maxChars) {
            out += QChar(0x2026);
            break;
        }
        const char16_t c = text[i].unicode();
        if (c < 0x20 || c == 0x7F || (c >= 0x80 && c < 0xA0) || isBidiControl(c)
            || (c == u'\\' && backslash == Backslash::Escape))
            appendHex(out, c);
        else
            out += QChar(c);
    }
    return out;
}

} // namespace faultline
