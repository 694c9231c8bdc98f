#include "model/secret_text.h"

#include <array>

namespace faultline {

namespace {

using namespace text_scan;

template<class Text> unsigned triggersIn(Text text)
{
    static constexpr std::array<unsigned char, 128> table = [] {
        std::array<unsigned char, 128> t {};
        for (unsigned char c = '0'; c <= '9'; ++c)
            t[c] = NineDigits;
        t['b'] = t['B'] = LetterB;
        t['='] = Equals;
        t['-'] = Dash;
        t[':'] = Colon;
        t['@'] = At;
        return t;
    }();
    unsigned triggers = 0;
    qsizetype digits = 0;
    const qsizetype n = lengthOf(text);
    for (qsizetype i = 0; i < n; ++i) {
        const char16_t c = unitAt(text, i);
        const unsigned trigger = c < 128 ? table[c] : 0;
        triggers |= trigger;
        digits += trigger & NineDigits;
    }
    return digits >= 9 ? triggers : triggers & ~unsigned(NineDigits);
}

bool applies(const TextRule &rule, unsigned triggers, unsigned keep, TextScope scope)
{
    return (triggers & rule.triggers) == rule.triggers && !(keep & rule.optOut)
        && (scope == TextScope::Value || !rule.wholeValue);
}

} // namespace

unsigned textTriggers(QStringView text) { return triggersIn(text); }
unsigned textTriggers(std::string_view utf8) { return triggersIn(utf8); }

std::optional<QString> withTextSecretsFiltered(QStringView text, unsigned keep, TextScope scope)
{
    // The triggers of the text as given hold for what the rules leave of it:
    // "[Filtered]" brings none, so a rule without its triggers is skipped throughout.
    const unsigned triggers = triggersIn(text);
    std::optional<QString> result;
    for (const TextRule &rule : textRules()) {
        if (!applies(rule, triggers, keep, scope))
            continue;
        const QStringView current = result ? QStringView(*result) : text;
        QString out;
        qsizetype copied = 0;
        bool found = false;
        auto filter = [&](qsizetype begin, qsizetype end) {
            out += current.sliced(copied, begin - copied);
            out += QLatin1String("[Filtered]");
            copied = end;
            found = true;
            return true;
        };
        rule.find(current, RangeSink(filter));
        if (found) {
            out += current.sliced(copied);
            result = std::move(out);
        }
    }
    return result;
}

bool hasTextSecret(std::string_view utf8, unsigned keep, TextScope scope)
{
    const unsigned triggers = triggersIn(utf8);
    for (const TextRule &rule : textRules())
        if (applies(rule, triggers, keep, scope) && rule.occursIn(utf8))
            return true;
    return false;
}

} // namespace faultline
