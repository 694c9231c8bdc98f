#pragma once
// A structure-aware libFuzzer mutator for JSON objects. Byte flips rarely turn a
// Python SDK event into one with threads, tag pairs or validation text, so half
// of the mutations edit the parsed tree instead: replace a value by one of the
// shapes the event parser branches on, add a Sentry key, drop a member, graft a
// subtree elsewhere, or wrap a value in an array or {"values": [...]}.
// Deterministic for a given seed, as libFuzzer requires.
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonValue>

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <random>

extern "C" size_t LLVMFuzzerMutate(uint8_t *data, size_t size, size_t maxSize);

namespace faultline::fuzz {

class JsonMutator {
public:
    explicit JsonMutator(unsigned int seed)
        : m_random(seed)
    {
    }

    // The mutated input's size, as LLVMFuzzerCustomMutator returns it.
    size_t mutate(uint8_t *data, size_t size, size_t maxSize)
    {
        if (pick(2) == 0)
            return LLVMFuzzerMutate(data, size, maxSize);
        const QJsonDocument document
            = QJsonDocument::fromJson(QByteArray::fromRawData(reinterpret_cast<const char *>(data), qsizetype(size)));
        if (!document.isObject())
            return LLVMFuzzerMutate(data, size, maxSize);

        const QJsonValue root = document.object();
        int donorIndex = int(pick(countNodes(root)));
        const QJsonValue donor = nodeAt(root, donorIndex);
        int target = int(pick(countNodes(root)));
        const QJsonValue mutated = mutateAt(root, target, Operation(pick(kOperations)), donor);
        if (!mutated.isObject())
            return LLVMFuzzerMutate(data, size, maxSize);

        const QByteArray text = QJsonDocument(mutated.toObject()).toJson(QJsonDocument::Compact);
        if (size_t(text.size()) > maxSize)
            return LLVMFuzzerMutate(data, size, maxSize);
        std::memcpy(data, text.constData(), size_t(text.size()));
        return size_t(text.size());
    }

private:
    enum class Operation { Replace, Insert, Remove, Graft, Wrap };
    static constexpr size_t kOperations = 5;

    size_t pick(size_t bound) { return bound == 0 ? 0 : std::uniform_int_distribution<size_t>(0, bound - 1)(m_random); }

    static int countNodes(const QJsonValue &value)
    {
        int count = 1;
        if (value.isObject()) {
            for (const QJsonValue &child : value.toObject())
                count += countNodes(child);
        } else if (value.isArray()) {
            for (const QJsonValue &child : value.toArray())
                count += countNodes(child);
        }
        return count;
    }

    // Pre-order: node 0 is `value` itself.
    static QJsonValue nodeAt(const QJsonValue &value, int &index)
    {
        if (index-- == 0)
            return value;
        if (value.isObject()) {
            for (const QJsonValue &child : value.toObject()) {
                QJsonValue found = nodeAt(child, index);
                if (index < 0)
                    return found;
            }
        } else if (value.isArray()) {
            for (const QJsonValue &child : value.toArray()) {
                QJsonValue found = nodeAt(child, index);
                if (index < 0)
                    return found;
            }
        }
        return {};
    }

    QJsonValue mutateAt(const QJsonValue &value, int &index, Operation operation, const QJsonValue &donor)
    {
        if (index-- == 0)
            return apply(value, operation, donor);
        if (value.isObject()) {
            QJsonObject object = value.toObject();
            for (auto it = object.begin(); it != object.end(); ++it) {
                const QJsonValue changed = mutateAt(it.value(), index, operation, donor);
                if (index < 0) {
                    it.value() = changed;
                    break;
                }
            }
            return object;
        }
        if (value.isArray()) {
            QJsonArray array = value.toArray();
            for (qsizetype i = 0; i < array.size(); ++i) {
                const QJsonValue changed = mutateAt(array.at(i), index, operation, donor);
                if (index < 0) {
                    array.replace(i, changed);
                    break;
                }
            }
            return array;
        }
        return value;
    }

    QJsonValue apply(const QJsonValue &value, Operation operation, const QJsonValue &donor)
    {
        switch (operation) {
        case Operation::Replace:
            return randomValue();
        case Operation::Insert:
            if (value.isObject()) {
                QJsonObject object = value.toObject();
                object.insert(QLatin1String(kKeys[pick(kKeys.size())]), pick(3) == 0 ? donor : randomValue());
                return object;
            }
            if (value.isArray()) {
                QJsonArray array = value.toArray();
                array.insert(qsizetype(pick(size_t(array.size()) + 1)), pick(3) == 0 ? donor : randomValue());
                return array;
            }
            return randomValue();
        case Operation::Remove:
            if (value.isObject() && !value.toObject().isEmpty()) {
                QJsonObject object = value.toObject();
                object.remove(object.keys().at(qsizetype(pick(size_t(object.size())))));
                return object;
            }
            if (value.isArray() && !value.toArray().isEmpty()) {
                QJsonArray array = value.toArray();
                array.removeAt(qsizetype(pick(size_t(array.size()))));
                return array;
            }
            return QJsonValue(QJsonValue::Null);
        case Operation::Graft:
            return donor;
        case Operation::Wrap:
            switch (pick(3)) {
            case 0:
                return QJsonArray { value };
            case 1:
                return QJsonObject { { QStringLiteral("values"), QJsonArray { value } } };
            default:
                return QJsonArray { value, QString::fromLatin1(kStrings[pick(kStrings.size())]) };
            }
        }
        return value;
    }

    QJsonValue randomValue()
    {
        switch (pick(8)) {
        case 0:
            return QJsonValue(QJsonValue::Null);
        case 1:
            return pick(2) == 0;
        case 2:
            return kNumbers[pick(kNumbers.size())];
        case 3:
        case 4:
            return QString::fromUtf8(kStrings[pick(kStrings.size())]);
        case 5:
            return QString::fromLatin1(kKeys[pick(kKeys.size())]);
        case 6:
            return QJsonArray {};
        default:
            return QJsonObject {};
        }
    }

    // Keys the event parser, validation extraction, scrubbing and grouping read.
    static constexpr std::array<const char *, 62> kKeys { "event_id", "timestamp", "level", "platform", "logger",
        "message", "logentry", "formatted", "params", "environment", "release", "server_name", "transaction",
        "exception", "values", "type", "value", "module", "mechanism", "handled", "synthetic", "stacktrace", "frames",
        "filename", "abs_path", "function", "lineno", "colno", "context_line", "pre_context", "post_context", "in_app",
        "vars", "threads", "current", "crashed", "breadcrumbs", "category", "data", "tags", "fingerprint", "extra",
        "contexts", "request", "url", "headers", "cookies", "query_string", "env", "response", "status_code",
        "http_status", "validation_errors", "errors", "detail", "loc", "msg", "input", "user", "password",
        "Authorization", "sdk" };
    static constexpr std::array<const char *, 22> kStrings { "", "%s %d %(who)s 100%%",
        "1C6C4DFA-1C2B-4B6A-9E3F-0123456789AB", "00000000000000000000000000000000", "2024-01-01T22:04:05.5-0500",
        "2024-13-45T99:99:99Z", "1704164645.25",
        "1 validation error for User\nemail\n  field required (type=value_error.missing)",
        "2 validation errors for Model\nage\n  Input should be a valid integer [type=int_parsing, "
        "input_value='x', input_type=str]\n    For further information visit https://errors.pydantic.dev",
        "{'email': [ErrorDetail(string='Enter a valid email address.', code='invalid')], 'n': (1, -2.5e3, None)}",
        "ValidationError([{'loc': ('body', 'email'), 'msg': 'field required', 'type': 'value_error.missing'}])",
        "[b'x', u'\\u00e9', r'\\d', {'a': {'b': [True, False]}}]",
        "/usr/lib/python3/site-packages/django/core/handlers/base.py", "node:internal/process/task_queues",
        "/app/node_modules/express/lib/router.js", "{{ default }}", "Bearer abc.def.ghi",
        "sessionid=abc; csrftoken=def", "a=1&password=hunter2&token=x", "error", "\xed\xa0\x80",
        "\xf0\x9f\x92\xa5 \\u0000 \t\n" };
    static constexpr std::array<double, 10> kNumbers { 0, -1, 1.5, 1e308, -1e308, 9007199254740993.0, 2147483648.0,
        -2147483649.0, 1704164645.25, 4e-320 };

    std::minstd_rand m_random;
};

} // namespace faultline::fuzz
