#pragma once
// Helpers for scans written once and run on UTF-16 units (the Qt rewrite) and on
// UTF-8 bytes (the collector's read-only simdjson check): model/secret_text*.cpp.
// The scans match ASCII only, and a non-ASCII character is "something else" in
// both encodings (one unit or several bytes, none ASCII), so both find the same.
#include <QString>
#include <QStringView>

#include <string_view>
#include <type_traits>

namespace faultline::text_scan {

inline char16_t unitAt(QStringView text, qsizetype i) { return text[i].unicode(); }
inline char16_t unitAt(std::string_view text, qsizetype i) { return uchar(text[size_t(i)]); }
inline qsizetype lengthOf(QStringView text) { return text.size(); }
inline qsizetype lengthOf(std::string_view text) { return qsizetype(text.size()); }
inline qsizetype findAscii(QStringView text, std::string_view needle, qsizetype from)
{
    return text.indexOf(QLatin1String(needle.data(), qsizetype(needle.size())), from);
}
inline qsizetype findAscii(std::string_view text, std::string_view needle, qsizetype from)
{
    const size_t at = text.find(needle, size_t(from));
    return at == std::string_view::npos ? -1 : qsizetype(at);
}
inline QStringView mid(QStringView text, qsizetype from, qsizetype length) { return text.sliced(from, length); }
inline std::string_view mid(std::string_view text, qsizetype from, qsizetype length)
{
    return text.substr(size_t(from), size_t(length));
}

inline bool isDigit(char16_t c) { return c >= '0' && c <= '9'; }
inline bool isAlpha(char16_t c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
inline bool isWordChar(char16_t c) { return isDigit(c) || isAlpha(c) || c == '_'; }
inline bool isSpace(char16_t c) { return c == ' ' || (c >= '\t' && c <= '\r'); }

// Where a rule found something to filter: [begin, end) in the text's units, left
// to right and not overlapping. Returning false stops the scan (a check needs one).
// A non-owning reference to a callable, so the scans are plain functions the rule
// table can point to.
class RangeSink {
public:
    template<class F>
    requires(!std::is_same_v<std::remove_cvref_t<F>, RangeSink>) explicit RangeSink(F &callable)
        : m_target(&callable)
        , m_call([](void *target, qsizetype begin, qsizetype end) { return (*static_cast<F *>(target))(begin, end); })
    {
    }
    bool operator()(qsizetype begin, qsizetype end) const { return m_call(m_target, begin, end); }

private:
    void *m_target;
    bool (*m_call)(void *, qsizetype, qsizetype);
};

} // namespace faultline::text_scan
