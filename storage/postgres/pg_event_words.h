#pragma once
// The words and pairs of words an event gives its issue's issue_words row
// (#18), computed in the collector rather than by the server's event_words()
// trigger, which costs ~120 µs of server CPU per event. For ASCII text the
// server's chain is simple enough to follow exactly: search_words() leaves
// runs of [a-z0-9] between single spaces, the default text-search parser
// makes each run one token except that "9e6687x3" (digits, 'e', digits, then
// a letter) is a number followed by a word, to_tsvector() gives every token
// the next position (and drops tokens of 2,047 bytes or more, position and
// all), and event_words() keeps each word up to its first digit and pairs
// the words at adjacent positions.
//
// The one difference: a tsvector keeps at most 255 positions per lexeme and
// clamps positions at 16,383, so the server loses the pairs of a lexeme's
// 256th and later occurrences and of the tokens past the 16,383rd. Those
// pairs are kept here: an extra pair only nominates an issue that the list
// then checks against its events.
#include <QByteArray>
#include <QByteArrayView>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace faultline {

// An event's distinct words and pairs ("customer0failed"): what PostgreSQL's
// event_words(to_tsvector('simple', search_words(...))) yields for its five text
// columns as stored (UTF-8). Kept in one buffer that a caller may reuse from event
// to event, so the words of an event whose issue already has them (most events)
// cost no allocation; each with a 64-bit hash, for a cache of an issue's words.
class PgEventWords {
public:
    // This event's words, replacing the last one's. False (and no words) when a column holds
    // a non-ASCII byte: the server folds such text by ICU (lower case, NFD, marks dropped) and
    // classes its letters by its own tables, neither emulated here, so the event is the server's.
    bool compute(const QByteArray &title, const QByteArray &message, const QByteArray &exceptionValues,
        const QByteArray &culprit, const QByteArray &frames);

    qsizetype size() const { return qsizetype(m_words.size()); }
    // In no particular order; valid until the next compute().
    QByteArrayView at(qsizetype i) const { return { m_bytes.data() + m_words[i].offset, m_words[i].length }; }
    quint64 hashAt(qsizetype i) const { return m_words[i].hash; } // 64-bit FNV-1a of at(i)
    std::vector<QByteArray> toList() const;

private:
    struct Word {
        quint32 offset; // in m_bytes
        quint32 length;
        quint64 hash;
    };
    // `first` (+ '0' + `second`, a pair, when that is not empty) unless it is kept already.
    quint64 add(std::string_view first, std::string_view second, quint64 hash);

    std::string m_folded; // the columns as search_words() leaves them
    std::string m_bytes; // the words, one after another
    std::vector<Word> m_words;
    std::vector<quint32> m_slots; // open addressing: index + 1 into m_words, 0 when free
};

// The same as a list, for a caller that keeps no PgEventWords; std::nullopt for non-ASCII text.
std::optional<std::vector<QByteArray>> pgEventWords(const QByteArray &title, const QByteArray &message,
    const QByteArray &exceptionValues, const QByteArray &culprit, const QByteArray &frames);

} // namespace faultline
