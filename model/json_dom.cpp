#include "model/json_dom.h"

#include "model/json_text.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <vector>

namespace faultline::json {

namespace {

// Two parsers per thread: the HTTP threads parse one event after another (two
// at once only while an event is rewritten). A parser keeps memory for the
// largest document it has seen (about 14 bytes per byte of it), so one that grew
// past a large event is dropped rather than kept.
constexpr size_t keptParsers = 2;
constexpr size_t keptParserCapacity = 256 << 10;

std::vector<std::unique_ptr<simdjson::dom::parser>> &spareParsers()
{
    thread_local std::vector<std::unique_ptr<simdjson::dom::parser>> spare;
    return spare;
}

std::unique_ptr<simdjson::dom::parser> takeParser()
{
    auto &spare = spareParsers();
    if (spare.empty())
        return std::make_unique<simdjson::dom::parser>();
    std::unique_ptr<simdjson::dom::parser> parser = std::move(spare.back());
    spare.pop_back();
    return parser;
}

} // namespace

Node Node::operator[](std::string_view key) const
{
    // The last occurrence wins, as in Qt's parser: the stored event shows the same value.
    Node found;
    forEachMember([&](std::string_view name, const Node &value) {
        if (name == key)
            found = value;
    });
    return found;
}

Node Node::at(size_t index) const
{
    simdjson::dom::element element;
    if (!isArray() || simdjson::dom::array(m_element).at(index).get(element) != simdjson::SUCCESS)
        return {};
    return element;
}

std::string Node::minified() const { return m_present ? simdjson::to_string(m_element) : std::string(); }

std::string_view Node::stringView() const
{
    std::string_view text;
    if (!m_present || m_element.get_string().get(text) != simdjson::SUCCESS)
        return {};
    return text;
}

QString Node::string() const
{
    const std::string_view text = stringView();
    return QString::fromUtf8(text.data(), qsizetype(text.size()));
}

double Node::number() const
{
    double value = 0;
    if (!m_present || m_element.get_double().get(value) != simdjson::SUCCESS)
        return 0;
    return value;
}

bool Node::boolean(bool fallback) const
{
    bool value = fallback;
    if (!m_present || m_element.get_bool().get(value) != simdjson::SUCCESS)
        return fallback;
    return value;
}

qsizetype Node::size() const
{
    if (isArray())
        return qsizetype(simdjson::dom::array(m_element).size());
    if (isObject())
        return qsizetype(simdjson::dom::object(m_element).size());
    return 0;
}

std::optional<Document> Document::parse(const QByteArray &json)
{
    Document document;
    document.m_parser = takeParser();
    simdjson::dom::element root;
    if (document.m_parser->parse(json.constData(), size_t(json.size())).get(root) != simdjson::SUCCESS)
        return std::nullopt;
    document.m_root = root;
    return document;
}

Document::~Document()
{
    if (!m_parser || m_parser->capacity() > keptParserCapacity)
        return;
    auto &spare = spareParsers();
    if (spare.size() < keptParsers)
        spare.push_back(std::move(m_parser));
}

QString toText(const Node &value)
{
    if (value.isString())
        return value.string();
    if (value.isNumber())
        return json::toText(QJsonValue(value.number()));
    if (value.isBool())
        return json::toText(QJsonValue(value.boolean()));
    if (value.isObject() || value.isArray())
        return json::toText(toQJson(value));
    return {};
}

QString scalarText(const Node &value)
{
    if (value.isObject() || value.isArray())
        return {};
    return toText(value);
}

std::optional<qint64> toInteger(const Node &value)
{
    if (value.isNumber())
        return json::toInteger(QJsonValue(value.number()));
    if (value.isString())
        return json::toInteger(QJsonValue(value.string()));
    return std::nullopt;
}

Node valuesList(const Node &value, bool *wrapped)
{
    if (wrapped)
        *wrapped = false;
    if (value.isArray())
        return value;
    const Node values = value[std::string_view("values")];
    if (values.isArray()) {
        if (wrapped)
            *wrapped = true;
        return values;
    }
    return {};
}

namespace {

// Large containers go through Qt's own parser: it builds them in one go, where
// member-by-member insertion into a QJsonObject is quadratic.
std::optional<QJsonDocument> parsedByQt(const Node &value)
{
    constexpr qsizetype bulkSize = 64;
    if (value.size() <= bulkSize)
        return std::nullopt;
    const std::string text = value.minified();
    QJsonParseError error;
    QJsonDocument document
        = QJsonDocument::fromJson(QByteArray::fromRawData(text.data(), qsizetype(text.size())), &error);
    if (error.error != QJsonParseError::NoError)
        return std::nullopt; // e.g. a lone surrogate Qt refuses: built member by member instead
    return document;
}

} // namespace

QJsonValue toQJson(const Node &value)
{
    if (value.isAbsent())
        return QJsonValue(QJsonValue::Undefined);
    if (value.isObject()) {
        // QJsonObject::insert moves every key after the new one: member by member,
        // an object of n members costs n² (an event's 100,000 tags took minutes).
        // Qt's own parser builds a large object in one go.
        if (std::optional<QJsonDocument> bulk = parsedByQt(value); bulk && bulk->isObject())
            return bulk->object();
        QJsonObject object;
        value.forEachMember([&object](std::string_view key, const Node &member) {
            object.insert(QString::fromUtf8(key.data(), qsizetype(key.size())), toQJson(member));
        });
        return object;
    }
    if (value.isArray()) {
        if (std::optional<QJsonDocument> bulk = parsedByQt(value); bulk && bulk->isArray())
            return bulk->array();
        QJsonArray array;
        value.forEachElement([&array](const Node &element) { array.append(toQJson(element)); });
        return array;
    }
    if (value.isString())
        return value.string();
    if (value.isNumber())
        return value.number();
    if (value.isBool())
        return value.boolean();
    return QJsonValue(QJsonValue::Null);
}

} // namespace faultline::json
