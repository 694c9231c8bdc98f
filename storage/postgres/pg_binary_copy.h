#pragma once
// COPY's binary format (PostgreSQL's documentation of COPY, "Binary Format"):
// a signature and two header words, then per row the number of fields and
// each field as its length (-1 for NULL) and its bytes, integers in network
// order, and a trailer. `faultline db copy` sends the rows of the tables whose
// columns all have a type here this way: the server parses no statement and
// converts no text per value, as it must for a multi-row INSERT's parameters.
#include <QByteArray>
#include <QString>

#include <optional>

namespace faultline {

enum class PgCopyType { BigInt, Integer, Text, Bytea };

// information_schema.columns.data_type as one of these; nullopt for any other.
std::optional<PgCopyType> pgCopyTypeOf(const QString &dataType);

// The stream, built a row at a time and taken in pieces of any size.
class PgBinaryCopyStream {
public:
    PgBinaryCopyStream(); // holds the header

    void startRow(int fields);
    void addNull();
    void addBigInt(qint64 value);
    void addInteger(qint32 value);
    void addBytes(const QByteArray &bytes); // text as UTF-8, or bytea
    void finish(); // the trailer: nothing may follow

    qsizetype pendingBytes() const { return m_pending.size(); }
    QByteArray takePending(); // what was built since the last take

private:
    void appendWord(quint64 value, int bytes); // big-endian

    QByteArray m_pending;
};

} // namespace faultline
