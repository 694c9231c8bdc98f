#include "model/secret_text.h"

#include "model/secret_keys.h"

#include <algorithm>
#include <array>

namespace faultline {

namespace {

// The same scans run on UTF-16 units and on UTF-8 bytes. Every rule matches
// ASCII only, and a non-ASCII character is "something else" in both
// encodings (one unit or several bytes, none ASCII), so both find the same.
char16_t unitAt(QStringView text, qsizetype i) { return text[i].unicode(); }
char16_t unitAt(std::string_view text, qsizetype i) { return uchar(text[size_t(i)]); }
qsizetype lengthOf(QStringView text) { return text.size(); }
qsizetype lengthOf(std::string_view text) { return qsizetype(text.size()); }
qsizetype findAscii(QStringView text, std::string_view needle, qsizetype from)
{
    return text.indexOf(QLatin1String(needle.data(), qsizetype(needle.size())), from);
}
qsizetype findAscii(std::string_view text, std::string_view needle, qsizetype from)
{
    const size_t at = text.find(needle, size_t(from));
    return at == std::string_view::npos ? -1 : qsizetype(at);
}
QStringView mid(QStringView text, qsizetype from, qsizetype length) { return text.sliced(from, length); }
std::string_view mid(std::string_view text, qsizetype from, qsizetype length)
{
    return text.substr(size_t(from), size_t(length));
}
bool sensitiveKey(QStringView key) { return classifyKey(key.toString()).sensitive; }
bool sensitiveKey(std::string_view key) { return classifyKey(key).sensitive; }

bool isDigit(char16_t c) { return c >= '0' && c <= '9'; }
bool isAlpha(char16_t c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool isWordChar(char16_t c) { return isDigit(c) || isAlpha(c) || c == '_'; }
bool isSpace(char16_t c) { return c == ' ' || (c >= '\t' && c <= '\r'); }

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

// A rule calls found(begin, end) for each range to filter, left to right and
// not overlapping; found returns false to stop early.

// Card numbers and SSNs: runs of digit groups joined by single spaces or
// dashes, not inside a word or a decimal number ("0.4111…", "ab4111…").
template<class Text, class Found> void digitRuns(Text text, Found &&found, unsigned keep)
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
        std::array<char, 19> digits {};
        std::array<qsizetype, 8> groups {};
        qsizetype digitCount = 0;
        qsizetype groupCount = 0;
        bool dashesOnly = true;
        while (true) {
            qsizetype group = 0;
            for (; i < n && isDigit(unitAt(text, i)); ++i, ++group, ++digitCount)
                if (digitCount < qsizetype(digits.size()))
                    digits[size_t(digitCount)] = char(unitAt(text, i) - '0');
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
        if (((ssn && !(keep & KeepUsSsns)) || (card && !(keep & KeepCreditCards))) && !found(start, end))
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

// One pass over the text finds which rules could match at all: most strings
// hold too few digits for a card or an SSN, and no 'b', '=' or '-'.
enum Trigger : unsigned { Digit = 1, LetterB = 2, Equals = 4, Dash = 8 };

template<class Text> unsigned triggersIn(Text text)
{
    static constexpr std::array<unsigned char, 128> table = [] {
        std::array<unsigned char, 128> t {};
        for (char c = '0'; c <= '9'; ++c)
            t[size_t(c)] = Digit;
        t['b'] = t['B'] = LetterB;
        t['='] = Equals;
        t['-'] = Dash;
        return t;
    }();
    unsigned triggers = 0;
    qsizetype digits = 0;
    const qsizetype n = lengthOf(text);
    for (qsizetype i = 0; i < n; ++i) {
        const char16_t c = unitAt(text, i);
        const unsigned trigger = c < 128 ? table[c] : 0;
        triggers |= trigger;
        digits += trigger & Digit;
    }
    return digits >= 9 ? triggers : triggers & ~unsigned(Digit); // an SSN has 9 digits, a card 13
}

template<class Text> bool anyRuleMatches(Text text, unsigned keep)
{
    unsigned triggers = triggersIn(text);
    if ((keep & KeepCreditCards) && (keep & KeepUsSsns))
        triggers &= ~unsigned(Digit);
    if (keep & KeepBearerTokens)
        triggers &= ~unsigned(LetterB);
    if (keep & KeepPrivateKeys)
        triggers &= ~unsigned(Dash);
    if (triggers == 0)
        return false;
    bool matched = false;
    auto stop = [&](qsizetype, qsizetype) {
        matched = true;
        return false;
    };
    if (triggers & Digit)
        digitRuns(text, stop, keep);
    if (!matched && (triggers & LetterB))
        bearerTokens(text, stop);
    if (!matched && (triggers & Equals))
        secretParameters(text, stop);
    if (!matched && (triggers & Dash))
        privateKeyBlocks(text, stop);
    return matched;
}

template<class Rule> void applyRule(QString &text, Rule rule)
{
    QString out;
    qsizetype copied = 0;
    const QStringView view(text);
    rule(view, [&](qsizetype begin, qsizetype end) {
        out += view.sliced(copied, begin - copied);
        out += QLatin1String("[Filtered]");
        copied = end;
        return true;
    });
    if (copied > 0) {
        out += view.sliced(copied);
        text = out;
    }
}

} // namespace

std::optional<QString> withTextSecretsFiltered(QStringView text, unsigned keep)
{
    if (!anyRuleMatches(text, keep))
        return std::nullopt;
    QString result = text.toString();
    // One rule after the other: a later rule sees the earlier ones' "[Filtered]".
    applyRule(result, [keep](QStringView view, auto &&found) { digitRuns(view, found, keep); });
    if (!(keep & KeepBearerTokens))
        applyRule(result, [](QStringView view, auto &&found) { bearerTokens(view, found); });
    applyRule(result, [](QStringView view, auto &&found) { secretParameters(view, found); });
    if (!(keep & KeepPrivateKeys))
        applyRule(result, [](QStringView view, auto &&found) { privateKeyBlocks(view, found); });
    return result;
}

bool hasTextSecret(std::string_view utf8, unsigned keep) { return anyRuleMatches(utf8, keep); }

} // namespace faultline
