#pragma once
// Read-only JSON on simdjson's DOM, for the event parser. The collector parses
// every event it receives; Qt's QJsonDocument builds a tree of QCborValues for
// that (14 µs for the 3.6 KB sentry-python event, plus as much again to walk
// and free it), simdjson parses the same event in about 1 µs.
// Reading follows model/json_text.h exactly: the same text for the same value.
#include <QJsonValue>
#include <QString>

#include <simdjson.h>

#include <memory>
#include <optional>
#include <string_view>

namespace faultline::json {

// One value of a parsed Document, or "absent" (a missing member). Cheap to
// copy; valid only while its Document lives.
class Node {
public:
    Node() = default;
    Node(simdjson::dom::element element)
        : m_element(element)
        , m_present(true)
    {
    } // NOLINT: implicit by design

    bool isAbsent() const { return !m_present; }
    bool isNullOrAbsent() const { return !m_present || m_element.is_null(); }
    bool isObject() const { return m_present && m_element.is_object(); }
    bool isArray() const { return m_present && m_element.is_array(); }
    bool isString() const { return m_present && m_element.is_string(); }
    bool isNumber() const { return m_present && m_element.is_number(); }
    bool isBool() const { return m_present && m_element.is_bool(); }

    // The member (its last occurrence, as Qt reads duplicates); absent unless this is an object that has it.
    Node operator[](std::string_view key) const;
    bool contains(std::string_view key) const { return !(*this)[key].isAbsent(); }

    std::string_view stringView() const; // "" unless a string
    QString string() const; // "" unless a string
    double number() const; // 0 unless a number
    bool boolean(bool fallback = false) const; // fallback unless a bool
    qsizetype size() const; // elements or members; 0 for scalars

    Node at(size_t index) const; // absent unless an array that long
    std::string minified() const; // the value as compact JSON text; "" when absent

    template<typename F> // f(Node element)
    void forEachElement(F &&f) const
    {
        if (isArray())
            for (simdjson::dom::element child : simdjson::dom::array(m_element))
                f(Node(child));
    }
    template<typename F> // f(std::string_view key, Node value)
    void forEachMember(F &&f) const
    {
        if (isObject())
            for (simdjson::dom::key_value_pair member : simdjson::dom::object(m_element))
                f(member.key, Node(member.value));
    }
    // Whether `f` holds for some element / member; stops at the first that does.
    template<typename F> // bool f(Node element)
    bool anyElement(F &&f) const
    {
        if (isArray())
            for (simdjson::dom::element child : simdjson::dom::array(m_element))
                if (f(Node(child)))
                    return true;
        return false;
    }
    template<typename F> // bool f(std::string_view key, Node value)
    bool anyMember(F &&f) const
    {
        if (isObject())
            for (simdjson::dom::key_value_pair member : simdjson::dom::object(m_element))
                if (f(member.key, Node(member.value)))
                    return true;
        return false;
    }

private:
    simdjson::dom::element m_element;
    bool m_present = false;
};

// A parsed JSON text. Parsers are reused per thread: allocating one per event
// would cost more than the parse.
class Document {
public:
    // nullopt when simdjson refuses the text (syntax, invalid UTF-8, too deep,
    // or an integer beyond 64 bits, which Qt reads as a double).
    static std::optional<Document> parse(const QByteArray &json);

    Document(Document &&) noexcept = default;
    Document &operator=(Document &&) noexcept = default;
    ~Document();

    Node root() const { return m_root; }

private:
    Document() = default;
    std::unique_ptr<simdjson::dom::parser> m_parser;
    Node m_root;
};

// The json_text.h conversions, for Nodes.
QString toText(const Node &value);
QString scalarText(const Node &value);
std::optional<qint64> toInteger(const Node &value);
// The list in `{"values": [...]}` or a bare `[...]`; absent for anything else.
// `wrapped` tells which form it was, so error locations name the real path.
Node valuesList(const Node &value, bool *wrapped = nullptr);

// A Qt copy, for the parts of an event that are kept as JSON (locals, breadcrumb data).
QJsonValue toQJson(const Node &value);

} // namespace faultline::json
