#include "model/secret_keys.h"
#include "model/secret_text.h"

#include <QRegularExpression>

#include <array>

namespace faultline {

namespace {

using namespace text_scan;

bool sensitiveKey(QStringView key) { return classifyKey(key.toString()).sensitive; }
bool sensitiveKey(std::string_view key) { return classifyKey(key).sensitive; }

template<class Text> bool isFiltered(Text text, qsizetype begin, qsizetype end)
{
    static constexpr std::string_view filtered = "[Filtered]";
    if (end - begin != qsizetype(filtered.size()))
        return false;
    for (qsizetype i = 0; i < end - begin; ++i)
        if (unitAt(text, begin + i) != char16_t(filtered[size_t(i)]))
            return false;
    return true;
}

// Card numbers and SSNs: runs of digit groups joined by single spaces or
// dashes, not inside a word or a decimal number ("0.4111…", "ab4111…").
enum class DigitRun { Card, Ssn };

template<class Text, class Found> void digitRuns(Text text, Found &&found, DigitRun kind)
{
    const qsizetype n = lengthOf(text);
    qsizetype i = 0;
    while (i < n) {
        if (!isDigit(unitAt(text, i))) {
            ++i;
            continue;
        }
        const qsizetype start = i;
        const bool boundaryBefore
            = start == 0 || !(isWordChar(unitAt(text, start - 1)) || unitAt(text, start - 1) == '.');
        std::array<unsigned char, 19> digits {};
        std::array<qsizetype, 8> groups {};
        qsizetype digitCount = 0;
        qsizetype groupCount = 0;
        bool dashesOnly = true;
        while (true) {
            qsizetype group = 0;
            for (; i < n && isDigit(unitAt(text, i)); ++i, ++group, ++digitCount)
                if (digitCount < qsizetype(digits.size()))
                    digits[size_t(digitCount)] = static_cast<unsigned char>(unitAt(text, i) - '0');
            if (groupCount < qsizetype(groups.size()))
                groups[size_t(groupCount)] = group;
            ++groupCount;
            const bool joined
                = i + 1 < n && (unitAt(text, i) == ' ' || unitAt(text, i) == '-') && isDigit(unitAt(text, i + 1));
            if (!joined)
                break;
            dashesOnly = dashesOnly && unitAt(text, i) == '-';
            ++i;
        }
        const qsizetype end = i;
        const bool boundaryAfter = end == n
            || !(isWordChar(unitAt(text, end))
                || (unitAt(text, end) == '.' && end + 1 < n && isDigit(unitAt(text, end + 1))));
        if (!boundaryBefore || !boundaryAfter)
            continue;
        const bool ssn = groupCount == 3 && dashesOnly && groups[0] == 3 && groups[1] == 2 && groups[2] == 4;
        bool card = digitCount >= 13 && digitCount <= 19 && digits[0] >= 2 && digits[0] <= 6
            && groupCount <= qsizetype(groups.size());
        for (qsizetype g = 0; card && groupCount > 1 && g < groupCount; ++g)
            card = groups[size_t(g)] >= (g + 1 == groupCount ? 3 : 4) && groups[size_t(g)] <= 6;
        if (card) { // Luhn: double every second digit from the right
            int sum = 0;
            for (qsizetype d = 0; d < digitCount; ++d) {
                int value = digits[size_t(digitCount - 1 - d)];
                if (d % 2 == 1)
                    value = value * 2 > 9 ? value * 2 - 9 : value * 2;
                sum += value;
            }
            card = sum % 10 == 0;
        }
        if (((ssn && kind == DigitRun::Ssn) || (card && kind == DigitRun::Card)) && !found(start, end))
            return;
    }
}

bool isTokenChar(char16_t c)
{
    return isDigit(c) || isAlpha(c) || c == '.' || c == '_' || c == '~' || c == '+' || c == '/' || c == '=' || c == '-';
}

// "Authorization: Bearer eyJ…" in a log line: the token goes, "Bearer" stays.
// A token needs a digit and eight characters, so "bearer of bad news" stays.
// Found through "earer"/"EARER" (memchr-fast: most strings have neither), so
// "Bearer", "bearer" and "BEARER" count, mixed case like "BeArEr" does not.
template<class Text, class Found> void bearerTokens(Text text, Found &&found)
{
    const qsizetype n = lengthOf(text);
    qsizetype lower = findAscii(text, "earer", 1);
    qsizetype upper = findAscii(text, "EARER", 1);
    while (lower >= 0 || upper >= 0) {
        const qsizetype at = upper < 0 || (lower >= 0 && lower < upper) ? lower : upper;
        qsizetype resume = at + 5;
        const qsizetype i = at - 1;
        const bool word = (unitAt(text, i) | 0x20) == 'b'
            && (i == 0 || !(isAlpha(unitAt(text, i - 1)) || isDigit(unitAt(text, i - 1))));
        qsizetype tokenStart = resume;
        while (word && tokenStart < n && isSpace(unitAt(text, tokenStart)))
            ++tokenStart;
        qsizetype tokenEnd = tokenStart;
        bool digit = false;
        for (; tokenStart > resume && tokenEnd < n && isTokenChar(unitAt(text, tokenEnd)); ++tokenEnd)
            digit = digit || isDigit(unitAt(text, tokenEnd));
        if (tokenEnd - tokenStart >= 8 && digit) {
            if (!found(tokenStart, tokenEnd))
                return;
            resume = tokenEnd;
        }
        if (lower >= 0 && lower < resume)
            lower = findAscii(text, "earer", resume);
        if (upper >= 0 && upper < resume)
            upper = findAscii(text, "EARER", resume);
    }
}

bool isKeyChar(char16_t c) { return isWordChar(c) || c == '.' || c == '%' || c == '-' || c == '[' || c == ']'; }

bool endsValue(char16_t c)
{
    return isSpace(c) || c == '&' || c == '#' || c == '"' || c == '\'' || c == '<' || c == '>' || c == ';' || c == ','
        || c == ')' || c == '}';
}

// "?token=abc&page=2", "password=hunter2 rejected", "connect(password='x')":
// the value of a key that names a secret, quoted or up to the next separator.
template<class Text, class Found> void secretParameters(Text text, Found &&found)
{
    // Found from each '=' (memchr-fast), the key read backwards; never back
    // past the previous '=' or filtered value, so every character is read at
    // most twice backwards. An ordinary key's value is searched for keys too
    // (`href="/retry?token=…"` in a page), and the end of a value is
    // remembered per kind of quote: '=' signs are met left to right, so the
    // first terminator after one is the first after the next, until passed.
    const qsizetype n = lengthOf(text);
    qsizetype done = 0;
    std::array<qsizetype, 3> knownEnd { -1, -1, -1 }; // unquoted, '\'', '"'
    auto valueEndFrom = [&](qsizetype start, char16_t quote) {
        qsizetype &end = knownEnd[quote == '\'' ? 1 : quote == '"' ? 2 : 0];
        if (end >= start)
            return end;
        end = start;
        while (end < n && (quote ? unitAt(text, end) != quote : !endsValue(unitAt(text, end))))
            ++end;
        return end;
    };
    for (qsizetype equals = findAscii(text, "=", 0); equals >= 0; equals = findAscii(text, "=", done)) {
        qsizetype key = equals;
        while (key > done && isKeyChar(unitAt(text, key - 1)))
            --key;
        done = equals + 1;
        if (key == equals || equals + 1 >= n)
            continue;
        const char16_t quote = unitAt(text, equals + 1);
        const bool quoted = quote == '\'' || quote == '"';
        const qsizetype valueStart = equals + 1 + (quoted ? 1 : 0);
        const qsizetype valueEnd = valueEndFrom(valueStart, quoted ? quote : char16_t(0));
        done = valueStart;
        if (valueEnd == valueStart || isFiltered(text, valueStart, valueEnd)
            || !sensitiveKey(mid(text, key, equals - key)))
            continue;
        done = valueEnd;
        if (!found(valueStart, valueEnd))
            return;
    }
}

// "-----BEGIN RSA PRIVATE KEY-----\n…\n-----END RSA PRIVATE KEY-----": the body
// (to the end of the text when the END line was cut off).
template<class Text, class Found> void privateKeyBlocks(Text text, Found &&found)
{
    static constexpr std::string_view begin = "-----BEGIN ";
    static constexpr std::string_view label = "PRIVATE KEY";
    const qsizetype n = lengthOf(text);
    for (qsizetype at = findAscii(text, begin, 0); at >= 0;) {
        const qsizetype labelStart = at + qsizetype(begin.size());
        const qsizetype headerEnd = findAscii(text, "-----", labelStart);
        if (headerEnd < 0)
            return;
        qsizetype next = headerEnd;
        if (headerEnd - labelStart >= qsizetype(label.size())
            && findAscii(mid(text, headerEnd - qsizetype(label.size()), qsizetype(label.size())), label, 0) == 0) {
            const qsizetype bodyStart = headerEnd + 5;
            const qsizetype endLine = findAscii(text, "-----END", bodyStart);
            const qsizetype bodyEnd = endLine < 0 ? n : endLine;
            if (bodyEnd > bodyStart && !isFiltered(text, bodyStart, bodyEnd) && !found(bodyStart, bodyEnd))
                return;
            next = bodyEnd;
        }
        at = findAscii(text, begin, next);
    }
}

// A whole value shaped like an Authorization header's ("Bearer abc…", "Basic
// dXNl…"), as vars and extra keep them (python reprs with their quotes).
bool isCredential(QStringView text)
{
    qsizetype first = 0;
    qsizetype last = text.size();
    while (first < last && text.at(first).isSpace())
        ++first;
    while (last > first && text.at(last - 1).isSpace())
        --last;
    if (last - first < 12)
        return false;
    const bool quoted = text.at(first) == QLatin1Char('\'') || text.at(first) == QLatin1Char('"');
    const QChar initial = text.at(first + (quoted ? 1 : 0));
    if (initial != QLatin1Char('b') && initial != QLatin1Char('B'))
        return false;
    static const QRegularExpression credential(
        QStringLiteral(R"(^['"]?(?:bearer|basic)\s+[A-Za-z0-9._~+/=-]{6,}['"]?$)"),
        QRegularExpression::CaseInsensitiveOption);
    return credential.match(text.sliced(first, last - first)).hasMatch();
}
bool isCredential(std::string_view utf8) { return isCredential(QString::fromUtf8(utf8.data(), lengthOf(utf8))); }

template<class Text, class Found> void credentialValues(Text text, Found &&found)
{
    // Gates on ASCII before the regex (and, for UTF-8, before decoding): this
    // runs for every string with a 'b'. UTF-8 never has fewer bytes than UTF-16 units.
    const qsizetype n = lengthOf(text);
    if (n < 12)
        return;
    qsizetype first = 0;
    while (first < n && isSpace(unitAt(text, first)))
        ++first;
    if (first < n && (unitAt(text, first) == '\'' || unitAt(text, first) == '"'))
        ++first;
    if (first < n && unitAt(text, first) < 0x80 && unitAt(text, first) != 'b' && unitAt(text, first) != 'B')
        return;
    if (isCredential(text))
        found(0, n);
}

// Relay's @urlauth: "postgres://admin:PW@db/prod" anywhere in a text keeps
// everything but the password. The authority ends at any Unicode space, so
// UTF-8 is decoded (after its own cheap gate) and scanned as UTF-16: its
// ranges are then in UTF-16 units, which is fine for a check that only asks whether.
template<class Found> void urlPasswords(QStringView text, Found &&found)
{
    for (qsizetype scheme = text.indexOf(QLatin1String("://")); scheme >= 0;
         scheme = text.indexOf(QLatin1String("://"), scheme + 3)) {
        const qsizetype start = scheme + 3;
        qsizetype end = start;
        while (end < text.size() && !text.at(end).isSpace() && text.at(end) != QLatin1Char('/')
            && text.at(end) != QLatin1Char('?') && text.at(end) != QLatin1Char('#') && text.at(end) != QLatin1Char('"')
            && text.at(end) != QLatin1Char('\''))
            ++end;
        const qsizetype at = text.sliced(start, end - start).lastIndexOf(QLatin1Char('@'));
        const qsizetype colon = at < 0 ? -1 : text.sliced(start, at).indexOf(QLatin1Char(':'));
        if (colon < 0 || colon + 1 == at || isFiltered(text, start + colon + 1, start + at))
            continue;
        if (!found(start + colon + 1, start + at))
            return;
        scheme = end - 3;
    }
}
template<class Found> void urlPasswords(std::string_view utf8, Found &&found)
{
    const size_t scheme = utf8.find("://");
    if (scheme == std::string_view::npos || utf8.find('@', scheme) == std::string_view::npos)
        return;
    const QString text = QString::fromUtf8(utf8.data(), lengthOf(utf8));
    urlPasswords(QStringView(text), found);
}

// The rules as types, so that each one's scan is instantiated for both encodings from one template.
struct CredentialValues {
    template<class Text> static void find(Text text, RangeSink found) { credentialValues(text, found); }
};
struct UrlPasswords {
    template<class Text> static void find(Text text, RangeSink found) { urlPasswords(text, found); }
};
struct CreditCards {
    template<class Text> static void find(Text text, RangeSink found) { digitRuns(text, found, DigitRun::Card); }
};
struct UsSsns {
    template<class Text> static void find(Text text, RangeSink found) { digitRuns(text, found, DigitRun::Ssn); }
};
struct BearerTokens {
    template<class Text> static void find(Text text, RangeSink found) { bearerTokens(text, found); }
};
struct SecretParameters {
    template<class Text> static void find(Text text, RangeSink found) { secretParameters(text, found); }
};
struct PrivateKeys {
    template<class Text> static void find(Text text, RangeSink found) { privateKeyBlocks(text, found); }
};

template<class Rule> bool occursIn(std::string_view utf8)
{
    bool matched = false;
    auto stop = [&matched](qsizetype, qsizetype) {
        matched = true;
        return false;
    };
    Rule::find(utf8, RangeSink(stop));
    return matched;
}

template<class Rule>
constexpr TextRule rule(const char *name, unsigned optOut, unsigned triggers, bool wholeValue, const char *example)
{
    return { name, optOut, triggers, wholeValue, &Rule::template find<QStringView>, &occursIn<Rule>, example };
}

// Whole values first: what they filter leaves nothing for the others. The URL
// password goes before `key=value`, which would otherwise take "token=x@host" for its value.
constexpr TextRule kTextRules[] = {
    rule<CredentialValues>("credential", 0, LetterB, true, "  'Basic dXNlcjpwYXNzd29yZA=='"),
    rule<UrlPasswords>("urlauth", KeepUrlPasswords, Colon | At, false, "postgres://admin:hunter2@db/prod"),
    rule<CreditCards>("creditcard", KeepCreditCards, NineDigits, false, "card 4242-4242-4242-4242."),
    rule<UsSsns>("usssn", KeepUsSsns, NineDigits, false, "customer 078-05-1120"),
    rule<BearerTokens>("bearer", KeepBearerTokens, LetterB, false, "log: Authorization: Bearer eyJhbGciOi.e30.abc123"),
    rule<SecretParameters>("secret parameter", 0, Equals, false, "GET /retry?token=abc&page=2"),
    rule<PrivateKeys>("pemkey", KeepPrivateKeys, Dash, false, "-----BEGIN EC PRIVATE KEY-----\nMHcCAQEE"),
};

} // namespace

std::span<const TextRule> textRules() { return kTextRules; }

} // namespace faultline
