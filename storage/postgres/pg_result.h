#pragma once
// Errors as values for the PostgreSQL backend: every call that can fail
// returns a PgResult<T>, a value or a PgError saying what kind of failure it
// was (so a caller can retry a deadlock, answer 503 when the server is gone,
// or report a schema problem), with SQLSTATE and the server's words.
#include <QString>

#include <optional>
#include <utility>

namespace faultline {

struct PgError {
    enum class Kind {
        Connection, // cannot reach or lost the server: retry later, answer 503
        Conflict, // deadlock or serialization failure (SQLSTATE 40xxx): run the transaction again
        Constraint, // a row broke a constraint (23xxx): this data will never fit
        Permission, // the role may not do this (42501): `faultline db roles` says what each role may
        Schema, // the database's schema is not one this build can use
        Query, // anything else the server refused
    };
    Kind kind = Kind::Query;
    QString sqlState; // five characters, or empty when the server said none
    QString message;

    bool isRetryable() const { return kind == Kind::Conflict; }
};

// The kind of a server error from its SQLSTATE (empty: no server answer at all).
PgError::Kind pgErrorKind(const QString &sqlState);

template<typename T> class PgResult {
public:
    PgResult(T value) // NOLINT: implicit by design, as model/result.h
        : m_value(std::move(value))
    {
    }
    PgResult(PgError error) // NOLINT
        : m_error(std::move(error))
    {
    }

    bool ok() const { return m_value.has_value(); }
    explicit operator bool() const { return ok(); }
    const T &value() const & { return *m_value; }
    T &value() & { return *m_value; }
    T &&value() && { return std::move(*m_value); }
    const T *operator->() const { return &*m_value; }
    T *operator->() { return &*m_value; }
    const PgError &error() const { return m_error; }

private:
    std::optional<T> m_value;
    PgError m_error;
};

// For calls that return nothing but may fail.
struct PgDone { };
using PgStatus = PgResult<PgDone>;

} // namespace faultline
