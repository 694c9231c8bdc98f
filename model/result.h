#pragma once
// A parse/validation outcome that carries either a value or field errors in the
// Pydantic shape (loc + msg + type). g++ 12 has no std::expected.
#include <QJsonArray>
#include <QList>
#include <QString>

#include <optional>
#include <utility>

namespace faultline {

struct FieldError {
    QJsonArray loc; // path to the offending field, e.g. ["exception","values",0]
    QString msg; // for a person: "must be an object"
    QString type; // machine-readable: "type_error.object", "value_error.missing"
};

template<typename T> class Result {
public:
    Result(T value)
        : m_value(std::move(value))
    {
    } // NOLINT: implicit by design
    Result(FieldError error)
        : m_errors { std::move(error) }
    {
    } // NOLINT
    Result(QList<FieldError> errors)
        : m_errors(std::move(errors))
    {
    } // NOLINT

    bool ok() const { return m_value.has_value(); }
    explicit operator bool() const { return ok(); }
    const T &value() const & { return *m_value; }
    T &value() & { return *m_value; }
    T &&value() && { return std::move(*m_value); }
    const T *operator->() const { return &*m_value; }
    T *operator->() { return &*m_value; }
    const QList<FieldError> &errors() const { return m_errors; }

private:
    std::optional<T> m_value;
    QList<FieldError> m_errors;
};

} // namespace faultline
