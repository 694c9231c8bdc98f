#include "model/secret_keys.h"

#include <QHash>
#include <QStringList>

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

bool isSensitiveWords(const QStringList &words)
{
    // Substrings that are never part of a harmless word we care about.
    static const QStringList joinedMarkers = {
        QStringLiteral("password"),
        QStringLiteral("passwd"),
        QStringLiteral("secret"),
        QStringLiteral("token"),
        QStringLiteral("apikey"),
        QStringLiteral("credential"),
        QStringLiteral("session"),
        QStringLiteral("csrf"),
        QStringLiteral("xsrf"),
        QStringLiteral("cookie"),
        QStringLiteral("privatekey"),
        QStringLiteral("authorization"),
        QStringLiteral("authorisation"),
        QStringLiteral("authentication"),
        QStringLiteral("bearer"),
        QStringLiteral("passphrase"),
    };
    const QString joined = words.join(QString());
    for (const QString &marker : joinedMarkers)
        if (joined.contains(marker))
            return true;
    for (const QString &word : words) {
        // Relay's @password key names, as whole words ("pin" but not "spinner").
        if (word == QLatin1String("pwd") || word == QLatin1String("jwt") || word == QLatin1String("pin")
            || word == QLatin1String("otp") || word == QLatin1String("passphrase")
            || word == QLatin1String("signature"))
            return true;
        // "auth", "authkey", "authn"… but not "author", "authority".
        if (word.startsWith(QLatin1String("auth")) && !word.startsWith(QLatin1String("author")))
            return true;
    }
    return false;
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
    const QStringList words = keyWords(key);
    const KeyClass kind { isSensitiveWords(words), !words.isEmpty() && words.last() == QLatin1String("environ") };
    known.insert(key, kind);
    return kind;
}

bool isSensitiveKey(const QString &key) { return classifyKey(key).sensitive; }

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
