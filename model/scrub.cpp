#include "model/scrub.h"

#include "model/json_dom.h"
#include "model/scrub_request.h"
#include "model/scrub_tree.h"
#include "model/secret_keys.h"
#include "model/secret_text.h"

#include <QJsonArray>
#include <QStringList>

#include <algorithm>
#include <optional>
#include <string_view>

namespace faultline {

namespace {

using json::Node;
using namespace std::string_view_literals;

// The rules the project being scrubbed opted out of (ScrubOptOut bits), for the
// duration of one scrubSecrets()/needsScrubbing()/scrubbedPage() call on this
// thread: the recursive helpers read it rather than each passing it on.
thread_local unsigned t_keep = 0;

class KeepRules {
public:
    explicit KeepRules(unsigned keep)
        : m_previous(t_keep)
    {
        t_keep = keep;
    }
    ~KeepRules() { t_keep = m_previous; }
    KeepRules(const KeepRules &) = delete;
    KeepRules &operator=(const KeepRules &) = delete;

private:
    unsigned m_previous;
};

// Scrubbing rewrites a subtree only where something changed: most of an event
// holds no secret, and rewriting a Qt JSON container copies it.
std::optional<QJsonValue> scrubbed(const QJsonValue &value);

std::optional<QJsonObject> scrubbedObject(const QJsonObject &object)
{
    std::optional<QJsonObject> result;
    for (auto it = object.constBegin(); it != object.constEnd(); ++it) {
        std::optional<QJsonValue> replacement;
        const KeyClass kind = classifyKey(it.key());
        if (kind.sensitive || kind.environmentDump) {
            const QJsonValue filtered = scrub_tree::filterAll(it.value());
            if (filtered != it.value())
                replacement = filtered;
        } else {
            replacement = scrubbed(it.value());
        }
        if (!replacement)
            continue;
        if (!result)
            result = object;
        result->insert(it.key(), *replacement);
    }
    return result;
}

std::optional<QJsonValue> scrubbed(const QJsonValue &value)
{
    if (value.isObject()) {
        if (auto object = scrubbedObject(value.toObject()))
            return QJsonValue(*object);
        return std::nullopt;
    }
    if (value.isArray()) {
        const QJsonArray array = value.toArray();
        std::optional<QJsonArray> result;
        for (qsizetype i = 0; i < array.size(); ++i) {
            if (auto replacement = scrubbed(array.at(i))) {
                if (!result)
                    result = array;
                result->replace(i, *replacement);
            }
        }
        return result ? std::optional<QJsonValue>(*result) : std::nullopt;
    }
    if (value.isString()) {
        if (std::optional<QString> filtered = withTextSecretsFiltered(value.toString(), t_keep, TextScope::Value))
            return QJsonValue(*filtered);
    }
    return std::nullopt;
}

// Parts written by the SDK itself, not by the application: nothing secret,
// and their keys (package names, trimming notes) would only cause false hits.
bool isSdkMember(std::string_view key)
{
    return key == "sdk" || key == "modules" || key == "_meta" || key == "debug_meta";
}

// The opt-outs by their names, in the order of their bits.
QList<const TextRule *> optOutRules()
{
    QList<const TextRule *> rules;
    for (const TextRule &rule : textRules())
        if (rule.optOut)
            rules.append(&rule);
    std::sort(rules.begin(), rules.end(), [](const TextRule *a, const TextRule *b) { return a->optOut < b->optOut; });
    return rules;
}

} // namespace

namespace scrub_tree {

QString filteredText() { return QStringLiteral("[Filtered]"); }

QJsonValue filterAll(const QJsonValue &value)
{
    if (value.isObject()) {
        QJsonObject object = value.toObject();
        for (auto it = object.begin(); it != object.end(); ++it)
            it.value() = filterAll(it.value());
        return object;
    }
    if (value.isArray()) {
        QJsonArray array = value.toArray();
        for (auto it = array.begin(); it != array.end(); ++it)
            *it = filterAll(*it);
        return array;
    }
    return value.isNull() || value.isUndefined() ? value : QJsonValue(filteredText());
}

QJsonObject scrubObject(const QJsonObject &object) { return scrubbedObject(object).value_or(object); }

QJsonValue scrubValue(const QJsonValue &value) { return scrubbed(value).value_or(value); }

// ---- Would the rewrite change this? Read-only, on the simdjson DOM, mirroring
// the walk above; the rules themselves are the same tables.

bool filterChanges(const Node &value)
{
    if (value.isString())
        return value.stringView() != "[Filtered]"sv;
    if (!value.isObject() && !value.isArray())
        return !value.isNullOrAbsent();
    return value.anyMember([](std::string_view, const Node &child) { return filterChanges(child); })
        || value.anyElement([](const Node &child) { return filterChanges(child); });
}

bool valueNeedsScrubbing(const Node &value)
{
    if (value.isString())
        return hasTextSecret(value.stringView(), t_keep, TextScope::Value);
    return value.anyMember([](std::string_view key, const Node &child) {
        const KeyClass kind = classifyKey(key);
        return kind.sensitive || kind.environmentDump ? filterChanges(child) : valueNeedsScrubbing(child);
    }) || value.anyElement([](const Node &child) { return valueNeedsScrubbing(child); });
}

} // namespace scrub_tree

bool scrubSecrets(QJsonObject &event, unsigned keep)
{
    const KeepRules rules(keep);
    const QJsonObject original = event;
    bool changed = false;
    auto replace = [&](const QString &key, const QJsonValue &before, const QJsonValue &after) {
        if (after == before)
            return;
        event.insert(key, after);
        changed = true;
    };
    for (auto it = original.constBegin(); it != original.constEnd(); ++it) {
        if (isSdkMember(it.key().toStdString()))
            continue;
        if (it.key() == QLatin1String("request") && it.value().isObject())
            replace(it.key(), it.value(), scrubRequest(it.value().toObject()));
        else if (isSensitiveKey(it.key()))
            replace(it.key(), it.value(), scrub_tree::filterAll(it.value()));
        else if (auto replacement = scrubbed(it.value()))
            replace(it.key(), it.value(), *replacement);
    }
    return changed;
}

bool needsScrubbing(const Node &event, unsigned keep)
{
    const KeepRules rules(keep);
    return event.anyMember([](std::string_view key, const Node &value) {
        if (isSdkMember(key))
            return false;
        if (key == "request"sv && value.isObject())
            return requestNeedsScrubbing(value);
        return classifyKey(key).sensitive ? scrub_tree::filterChanges(value) : scrub_tree::valueNeedsScrubbing(value);
    });
}

std::optional<QByteArray> scrubbedPage(const QByteArray &html, unsigned keep)
{
    if (!hasTextSecret(std::string_view(html.constData(), size_t(html.size())), keep, TextScope::Page))
        return std::nullopt;
    if (std::optional<QString> filtered = withTextSecretsFiltered(QString::fromUtf8(html), keep, TextScope::Page))
        return filtered->toUtf8();
    return std::nullopt;
}

std::optional<unsigned> parseScrubOptOuts(const QString &names, QString *error)
{
    const QList<const TextRule *> known = optOutRules();
    unsigned keep = 0;
    for (const QString &name : names.split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        const QString trimmed = name.trimmed().toLower();
        const auto found = std::find_if(
            known.begin(), known.end(), [&](const TextRule *rule) { return trimmed == QLatin1String(rule->name); });
        if (found == known.end()) {
            if (error) {
                QStringList knownNames;
                for (const TextRule *rule : known)
                    knownNames.append(QLatin1String(rule->name));
                *error = QStringLiteral("unknown scrub rule '%1' (known: %2)")
                             .arg(trimmed, knownNames.join(QStringLiteral(", ")));
            }
            return std::nullopt;
        }
        keep |= (*found)->optOut;
    }
    return keep;
}

QString scrubOptOutNames(unsigned keep)
{
    QStringList names;
    for (const TextRule *rule : optOutRules())
        if (keep & rule->optOut)
            names.append(QLatin1String(rule->name));
    return names.join(QLatin1Char(','));
}

} // namespace faultline
