#include "storage/postgres/pg_event_words.h"

#include <algorithm>
#include <array>
#include <initializer_list>
#include <string>
#include <string_view>

namespace faultline {

namespace {

// to_tsvector() drops a token this long or longer ("word is too long to be indexed"), position and all.
constexpr size_t kTooLongToIndex = 2047;

// search_words() on ASCII: letters lower-cased, digits kept, every other byte a separator.
constexpr std::array<char, 256> kFolded = [] {
    std::array<char, 256> folded {};
    folded.fill(' ');
    constexpr size_t kUpperToLower = 'a' - 'A';
    for (size_t c = '0'; c <= '9'; ++c)
        folded[c] = char(c);
    for (size_t c = 'a'; c <= 'z'; ++c) {
        folded[c] = char(c);
        folded[c - kUpperToLower] = char(c);
    }
    return folded;
}();

bool isDigit(char c) { return c >= '0' && c <= '9'; }

// `columns` as search_words() leaves their concatenation, into `folded`; false when one holds a
// non-ASCII byte.
bool foldInto(std::string &folded, std::initializer_list<const QByteArray *> columns)
{
    size_t length = 0;
    for (const QByteArray *column : columns)
        length += size_t(column->size()) + 1;
    folded.resize(length);
    char *out = folded.data();
    unsigned char allBits = 0;
    for (const QByteArray *column : columns) {
        for (const char byte : *column) {
            allBits |= static_cast<unsigned char>(byte);
            *out++ = kFolded[static_cast<unsigned char>(byte)];
        }
        *out++ = ' ';
    }
    return (allBits & 0x80) == 0;
}

// The tokens the default text-search parser makes of one run of [a-z0-9]: the whole run, except
// that digits, 'e', digits and then a letter are a number ("sfloat": "9e6687") and then a word
// ("x3"), as the parser's InMantissa state ends at the first non-digit.
template<typename Visit> void forEachToken(std::string_view run, Visit &&visit)
{
    size_t end = 0;
    while (end < run.size() && isDigit(run[end]))
        ++end;
    if (end > 0 && end + 1 < run.size() && run[end] == 'e' && isDigit(run[end + 1])) {
        end += 2;
        while (end < run.size() && isDigit(run[end]))
            ++end;
        if (end < run.size()) {
            visit(run.substr(0, end));
            visit(run.substr(end));
            return;
        }
    }
    visit(run);
}

// issue_word(): the token up to its first digit ("order12345" is "order", "404" nothing).
std::string_view issueWord(std::string_view token)
{
    size_t end = 0;
    while (end < token.size() && !isDigit(token[end]))
        ++end;
    return token.substr(0, end);
}

// FNV-1a: inline and quick on words of a few bytes; a pair's hash continues its first word's
// (PgEventWords::hashAt() promises FNV-1a of the word's bytes).
constexpr quint64 kFnvOffset = 14695981039346656037ULL;
constexpr quint64 kFnvPrime = 1099511628211ULL;

quint64 fnv1a(std::string_view bytes, quint64 hash = kFnvOffset)
{
    for (const char byte : bytes) {
        hash ^= static_cast<unsigned char>(byte);
        hash *= kFnvPrime;
    }
    return hash;
}

} // namespace

bool PgEventWords::compute(const QByteArray &title, const QByteArray &message, const QByteArray &exceptionValues,
    const QByteArray &culprit, const QByteArray &frames)
{
    m_bytes.clear();
    m_words.clear();
    if (!foldInto(m_folded, { &title, &message, &exceptionValues, &culprit, &frames }))
        return false;
    // Sized to the text, so most events never grow it; add() keeps it at most half full.
    size_t tableSize = 64;
    while (tableSize < m_folded.size() / 2)
        tableSize *= 2;
    m_slots.assign(tableSize, 0);

    std::string_view previous; // the word at the position before, empty when it holds none
    quint64 previousHash = 0;
    const auto addToken = [&](std::string_view token) {
        if (token.size() >= kTooLongToIndex)
            return; // takes no position: its neighbours stay adjacent
        const std::string_view word = issueWord(token);
        if (!word.empty()) {
            const quint64 hash = add(word, {}, fnv1a(word));
            if (!previous.empty())
                add(previous, word, fnv1a(word, fnv1a("0", previousHash)));
            previousHash = hash;
        }
        previous = word;
    };
    const std::string_view text(m_folded);
    for (size_t start = text.find_first_not_of(' '); start != std::string_view::npos;) {
        const size_t end = std::min(text.find(' ', start), text.size());
        forEachToken(text.substr(start, end - start), addToken);
        start = text.find_first_not_of(' ', end);
    }
    return true;
}

quint64 PgEventWords::add(std::string_view first, std::string_view second, quint64 hash)
{
    const size_t length = second.empty() ? first.size() : first.size() + 1 + second.size();
    size_t mask = m_slots.size() - 1;
    size_t slot = (hash ^ (hash >> 32)) & mask;
    for (; m_slots[slot] != 0; slot = (slot + 1) & mask) {
        const Word &kept = m_words[m_slots[slot] - 1];
        if (kept.hash != hash || kept.length != length)
            continue;
        const std::string_view bytes(m_bytes.data() + kept.offset, length);
        if (bytes.starts_with(first) && (second.empty() || (bytes[first.size()] == '0' && bytes.ends_with(second))))
            return hash;
    }
    m_words.push_back({ quint32(m_bytes.size()), quint32(length), hash });
    m_bytes.append(first);
    if (!second.empty())
        m_bytes.append(1, '0').append(second);
    m_slots[slot] = quint32(m_words.size());
    if (m_words.size() * 2 > m_slots.size()) {
        m_slots.assign(m_slots.size() * 2, 0);
        mask = m_slots.size() - 1;
        for (size_t index = 0; index < m_words.size(); ++index) {
            size_t free = (m_words[index].hash ^ (m_words[index].hash >> 32)) & mask;
            while (m_slots[free] != 0)
                free = (free + 1) & mask;
            m_slots[free] = quint32(index + 1);
        }
    }
    return hash;
}

std::vector<QByteArray> PgEventWords::toList() const
{
    std::vector<QByteArray> words;
    words.reserve(m_words.size());
    for (qsizetype i = 0; i < size(); ++i)
        words.emplace_back(at(i).toByteArray());
    return words;
}

std::optional<std::vector<QByteArray>> pgEventWords(const QByteArray &title, const QByteArray &message,
    const QByteArray &exceptionValues, const QByteArray &culprit, const QByteArray &frames)
{
    PgEventWords words;
    if (!words.compute(title, message, exceptionValues, culprit, frames))
        return std::nullopt;
    return words.toList();
}

} // namespace faultline
