#include "model/secret_keys.h"

#include <QHash>
#include <QStringList>

#include <algorithm>
#include <string>
#include <unordered_map>

namespace faultline {

namespace {

// Split "x-auth-token", "HTTP_AUTHORIZATION", "apiKey" into lower-case words,
// so "auth" can be matched as a word and "author" left alone.
QStringList keyWords(const QString &key)
{
    QStringList words;
    QString current;
    for (qsizetype i = 0; i < key.size(); ++i) {
        const QChar c = key.at(i);
        if (!c.isLetterOrNumber()) {
            if (!current.isEmpty())
                words.append(current);
            current.clear();
            continue;
        }
        if (c.isUpper() && i > 0 && key.at(i - 1).isLower() && !current.isEmpty()) {
            words.append(current);
            current.clear();
        }
        current.append(c.toLower());
    }
    if (!current.isEmpty())
        words.append(current);
    return words;
}

// Relay's @password key names and more.
constexpr KeyRule kKeyRules[] = {
    // Substrings that are never part of a harmless word we care about.
    { "password", KeyMatch::InJoinedWords, nullptr, false },
    { "passwd", KeyMatch::InJoinedWords, nullptr, false },
    { "secret", KeyMatch::InJoinedWords, nullptr, false },
    { "token", KeyMatch::InJoinedWords, nullptr, false },
    { "apikey", KeyMatch::InJoinedWords, nullptr, false },
    { "credential", KeyMatch::InJoinedWords, nullptr, false },
    { "session", KeyMatch::InJoinedWords, nullptr, false },
    { "csrf", KeyMatch::InJoinedWords, nullptr, false },
    { "xsrf", KeyMatch::InJoinedWords, nullptr, false },
    { "cookie", KeyMatch::InJoinedWords, nullptr, false },
    { "privatekey", KeyMatch::InJoinedWords, nullptr, false },
    { "authorization", KeyMatch::InJoinedWords, nullptr, false },
    { "authorisation", KeyMatch::InJoinedWords, nullptr, false },
    { "authentication", KeyMatch::InJoinedWords, nullptr, false },
    { "bearer", KeyMatch::InJoinedWords, nullptr, false },
    { "passphrase", KeyMatch::InJoinedWords, nullptr, false },
    // Whole words only ("pin" but not "spinner").
    { "pwd", KeyMatch::Word, nullptr, false },
    { "jwt", KeyMatch::Word, nullptr, false },
    { "pin", KeyMatch::Word, nullptr, false },
    { "otp", KeyMatch::Word, nullptr, false },
    { "signature", KeyMatch::Word, nullptr, false },
    // "auth", "authkey", "authn"… but not "author", "authority".
    { "auth", KeyMatch::WordPrefix, "author", false },
    // sentry-cli's extra.environ: every variable may be a secret, the names alone are useful.
    { "environ", KeyMatch::LastWord, nullptr, true },
};

bool matches(const KeyRule &rule, const QStringList &words, const QString &joined)
{
    const QLatin1String text(rule.text);
    switch (rule.match) {
    case KeyMatch::InJoinedWords:
        return joined.contains(text);
    case KeyMatch::Word:
        return words.contains(text);
    case KeyMatch::WordPrefix:
        return std::any_of(words.begin(), words.end(), [&](const QString &word) {
            return word.startsWith(text) && !(rule.unlessPrefix && word.startsWith(QLatin1String(rule.unlessPrefix)));
        });
    case KeyMatch::LastWord:
        return !words.isEmpty() && words.last() == text;
    }
    return false;
}

KeyClass classifyWords(const QStringList &words)
{
    const QString joined = words.join(QString());
    KeyClass kind;
    for (const KeyRule &rule : kKeyRules)
        if (matches(rule, words, joined))
            (rule.environmentDump ? kind.environmentDump : kind.sensitive) = true;
    return kind;
}

} // namespace

// Events repeat the same few hundred keys ("filename", "lineno", …): split and
// classify each once per thread. Bounded, so hostile input with unique keys cannot grow it.
KeyClass classifyKey(const QString &key)
{
    thread_local QHash<QString, KeyClass> known;
    const auto it = known.constFind(key);
    if (it != known.constEnd())
        return *it;
    if (known.size() > 8192)
        known.clear();
    const KeyClass kind = classifyWords(keyWords(key));
    known.insert(key, kind);
    return kind;
}

bool isSensitiveKey(const QString &key) { return classifyKey(key).sensitive; }

std::span<const KeyRule> keyRules() { return kKeyRules; }

namespace {

struct ViewHash {
    using is_transparent = void;
    size_t operator()(std::string_view text) const { return std::hash<std::string_view> {}(text); }
};

} // namespace

KeyClass classifyKey(std::string_view key)
{
    thread_local std::unordered_map<std::string, KeyClass, ViewHash, std::equal_to<>> known;
    if (const auto it = known.find(key); it != known.end())
        return it->second;
    if (known.size() > 8192)
        known.clear();
    const KeyClass kind = classifyKey(QString::fromUtf8(key.data(), qsizetype(key.size())));
    known.emplace(std::string(key), kind);
    return kind;
}

} // namespace faultline
