#include "model/message_normalizer.h"

#include <algorithm>

namespace faultline {

namespace {

bool isDigit(QChar c) { return c >= u'0' && c <= u'9'; }
bool isHexDigit(QChar c) { return isDigit(c) || (c >= u'a' && c <= u'f') || (c >= u'A' && c <= u'F'); }
bool isAsciiLetter(QChar c) { return (c >= u'a' && c <= u'z') || (c >= u'A' && c <= u'Z'); }
bool isWordChar(QChar c) { return isAsciiLetter(c) || isDigit(c) || c == u'_' || c.isLetter(); }

// Characters a maskable value can contain; anything else ends a token.
bool isTokenChar(QChar c)
{
    return isWordChar(c) || c == u'.' || c == u'-' || c == u':' || c == u'@' || c == u'+' || c == u'%';
}

qsizetype countWhile(QStringView s, qsizetype from, bool (*pred)(QChar))
{
    qsizetype i = from;
    while (i < s.size() && pred(s[i]))
        ++i;
    return i - from;
}

bool allOf(QStringView s, bool (*pred)(QChar))
{
    for (QChar c : s)
        if (!pred(c))
            return false;
    return true;
}

bool isUuid(QStringView t)
{
    if (t.size() != 36)
        return false;
    for (qsizetype i = 0; i < t.size(); ++i) {
        const bool dash = i == 8 || i == 13 || i == 18 || i == 23;
        if (dash ? t[i] != u'-' : !isHexDigit(t[i]))
            return false;
    }
    return true;
}

bool isEmail(QStringView t)
{
    const qsizetype at = t.indexOf(u'@');
    if (at <= 0 || at != t.lastIndexOf(u'@'))
        return false;
    const QStringView domain = t.sliced(at + 1);
    const qsizetype dot = domain.lastIndexOf(u'.');
    return dot > 0 && dot + 1 < domain.size() && isAsciiLetter(domain[dot + 1]);
}

// 2024-01-31, 2024-01-31T10:00:00(.123)(Z|+01:00): the date decides.
bool isIsoDate(QStringView t)
{
    return t.size() >= 10 && countWhile(t, 0, isDigit) == 4 && t[4] == u'-' && countWhile(t, 5, isDigit) == 2
        && t[7] == u'-' && countWhile(t, 8, isDigit) == 2 && (t.size() == 10 || t[10] == u'T' || t[10] == u't');
}

// 10:00, 10:00:00, 10:00:00.123, 10:00:00Z, 10:00:00+01:00
bool isClockTime(QStringView t)
{
    const qsizetype hours = countWhile(t, 0, isDigit);
    return (hours == 1 || hours == 2) && hours < t.size() && t[hours] == u':' && countWhile(t, hours + 1, isDigit) == 2;
}

bool isIpv4(QStringView t)
{
    qsizetype i = 0;
    for (int part = 0; part < 4; ++part) {
        const qsizetype digits = countWhile(t, i, isDigit);
        if (digits == 0 || digits > 3)
            return false;
        i += digits;
        if (part < 3) {
            if (i >= t.size() || t[i] != u'.')
                return false;
            ++i;
        }
    }
    // an optional :port
    return i == t.size() || (t[i] == u':' && i + 1 < t.size() && countWhile(t, i + 1, isDigit) == t.size() - i - 1);
}

bool isIpv6(QStringView t)
{
    if (t.count(u':') < 2 || !allOf(t, [](QChar c) { return isHexDigit(c) || c == u':' || c == u'.'; }))
        return false;
    return std::any_of(t.begin(), t.end(), isHexDigit);
}

bool isHexId(QStringView t)
{
    if (t.size() > 2 && t[0] == u'0' && (t[1] == u'x' || t[1] == u'X'))
        return allOf(t.sliced(2), isHexDigit);
    // Object ids, hashes, request ids: long, hex only, with digits and letters.
    return t.size() >= 8 && allOf(t, isHexDigit) && !allOf(t, isDigit) && std::any_of(t.begin(), t.end(), isDigit);
}

// What a whole token stands for, or nothing when only its numbers are masked.
const char16_t *tokenMask(QStringView t)
{
    if (isEmail(t))
        return u"<email>";
    if (isUuid(t))
        return u"<uuid>";
    if (isIsoDate(t) || isClockTime(t))
        return u"<timestamp>";
    if (isIpv4(t) || isIpv6(t))
        return u"<ip>";
    if (isHexId(t))
        return u"<hex>";
    return nullptr;
}

// Free-standing numbers inside a token ("order-1234", "id:42", "3.5"): a run of
// digits not touching a letter or underscore.
void appendWithNumbersMasked(QString &out, QStringView t)
{
    qsizetype i = 0;
    while (i < t.size()) {
        if (!isDigit(t[i]) || (i > 0 && isWordChar(t[i - 1]))) {
            out += t[i++];
            continue;
        }
        qsizetype end = i + countWhile(t, i, isDigit);
        bool fraction = false;
        if (end + 1 < t.size() && t[end] == u'.' && isDigit(t[end + 1])) {
            end += 1 + countWhile(t, end + 1, isDigit);
            fraction = true;
        }
        if (end < t.size() && isWordChar(t[end])) { // "2fa", "10ms": part of a word
            out += t.sliced(i, end - i);
        } else {
            out += fraction ? u"<float>" : u"<int>";
        }
        i = end;
    }
}

} // namespace

QString normalizeMessageForGrouping(QStringView message)
{
    QString out;
    out.reserve(message.size());
    qsizetype i = 0;
    while (i < message.size()) {
        if (!isTokenChar(message[i])) {
            out += message[i++];
            continue;
        }
        const qsizetype start = i;
        while (i < message.size() && isTokenChar(message[i]))
            ++i;
        QStringView token = message.sliced(start, i - start);
        // Sentence punctuation after a value is not part of it: "id 42." / "at 10.0.0.1:"
        qsizetype trailing = 0;
        while (trailing < token.size()
            && (token[token.size() - 1 - trailing] == u'.' || token[token.size() - 1 - trailing] == u':'
                || token[token.size() - 1 - trailing] == u'-'))
            ++trailing;
        const QStringView value = token.chopped(trailing);
        if (const char16_t *mask = value.isEmpty() ? nullptr : tokenMask(value))
            out += QStringView(mask);
        else
            appendWithNumbersMasked(out, value);
        out += token.last(trailing);
    }
    return out;
}

} // namespace faultline
