#pragma once
// An outcome that carries either a value or an error. g++ 12 has no std::expected.
// The default error is the parsers' list of field errors in the Pydantic shape
// (loc + msg + type); storage uses Result<T, StorageError> (storage/storage_error.h).
#include <QJsonArray>
#include <QList>
#include <QString>

#include <optional>
#include <type_traits>
#include <utility>

namespace faultline {

struct FieldError {
    QJsonArray loc; // path to the offending field, e.g. ["exception","values",0]
    QString msg; // for a person: "must be an object"
    QString type; // machine-readable: "type_error.object", "value_error.missing"
};

template<typename T, typename E = QList<FieldError>> class Result {
public:
    Result(T value)
        : m_value(std::move(value))
    {
    } // NOLINT: implicit by design
    Result(E error)
        : m_error(std::move(error))
    {
    } // NOLINT
    Result(FieldError error) requires std::is_same_v<E, QList<FieldError>> : m_error { std::move(error) } { } // NOLINT

    bool ok() const { return m_value.has_value(); }
    explicit operator bool() const { return ok(); }
    const T &value() const & { return *m_value; }
    T &value() & { return *m_value; }
    T &&value() && { return std::move(*m_value); }
    const T &operator*() const & { return *m_value; }
    T &operator*() & { return *m_value; }
    const T *operator->() const { return &*m_value; }
    T *operator->() { return &*m_value; }
    const E &error() const { return m_error; } // meaningful when !ok()
    const E &errors() const requires std::is_same_v<E, QList<FieldError>> { return m_error; }

private:
    std::optional<T> m_value;
    E m_error;
};

// Success without a value, or the error: for writes that answer nothing but whether they happened.
template<typename E> class Result<void, E> {
public:
    Result() = default;
    Result(E error) // NOLINT: implicit by design
        : m_error(std::move(error))
        , m_failed(true)
    {
    }

    bool ok() const { return !m_failed; }
    explicit operator bool() const { return ok(); }
    const E &error() const { return m_error; }

private:
    E m_error;
    bool m_failed = false;
};

} // namespace faultline
