#include "model/page_shape.h"

#include <QCryptographicHash>

namespace faultline {

namespace {

bool isSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }
bool isDigit(char c) { return c >= '0' && c <= '9'; }
bool isLower(char c) { return c >= 'a' && c <= 'z'; }
bool isUpper(char c) { return c >= 'A' && c <= 'Z'; }
bool isHex(char c) { return isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }
bool isSeparator(char c) { return c == '/' || c == '-' || c == '_'; }
bool isRunChar(char c) { return isDigit(c) || isLower(c) || isUpper(c) || isSeparator(c) || c == '+' || c == '='; }

constexpr qsizetype kRandomLength = 16;
constexpr qsizetype kHexLength = 8;

// A hex id: 8+ hex digits, at least one a decimal digit (so "deadbeef"-like words stay).
bool isHexId(const char *begin, const char *end, bool dashesAllowed)
{
    qsizetype digits = 0;
    for (const char *p = begin; p != end; ++p) {
        if (!isHex(*p) && !(dashesAllowed && *p == '-'))
            return false;
        digits += isDigit(*p);
    }
    return end - begin >= kHexLength && digits > 0;
}

// Tokens, nonces, JWT parts: long, with digits and both cases (URL paths are lower case).
bool looksRandom(const char *begin, const char *end)
{
    bool digit = false, lower = false, upper = false;
    for (const char *p = begin; p != end; ++p) {
        digit = digit || isDigit(*p);
        lower = lower || isLower(*p);
        upper = upper || isUpper(*p);
    }
    return end - begin >= kRandomLength && digit && lower && upper;
}

// A piece between separators: a hex id, or its digit runs masked.
void appendSegment(const char *begin, const char *end, QByteArray &out)
{
    if (isHexId(begin, end, false)) {
        out.append("<id>");
        return;
    }
    for (const char *p = begin; p != end;) {
        if (!isDigit(*p)) {
            out.append(*p++);
            continue;
        }
        while (p != end && isDigit(*p))
            ++p;
        out.append("<n>");
    }
}

// Appends the run [begin, end) masked as pageShape() says. Each byte is
// looked at a fixed number of times: the run checks, then the segments.
void appendRun(const char *begin, const char *end, QByteArray &out)
{
    if (isHexId(begin, end, true) || looksRandom(begin, end)) {
        out.append("<id>");
        return;
    }
    const char *segment = begin;
    for (const char *p = begin; p != end; ++p) {
        if (isSeparator(*p)) {
            appendSegment(segment, p, out);
            out.append(*p);
            segment = p + 1;
        }
    }
    appendSegment(segment, end, out);
}

} // namespace

QByteArray pageShape(const QByteArray &page)
{
    QByteArray out;
    out.reserve(page.size());
    const char *p = page.constData();
    const char *const end = p + page.size();
    while (p != end) {
        if (isSpace(*p)) {
            while (p != end && isSpace(*p))
                ++p;
            out.append(' ');
        } else if (isRunChar(*p)) {
            const char *start = p;
            while (p != end && isRunChar(*p))
                ++p;
            appendRun(start, p, out);
        } else {
            out.append(*p++);
        }
    }
    return out;
}

QByteArray pageShapeHash(const QByteArray &page)
{
    return QCryptographicHash::hash(pageShape(page), QCryptographicHash::Sha256).toHex();
}

} // namespace faultline
