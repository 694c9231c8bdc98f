#include "storage/postgres/pg_binary_copy.h"

#include <utility>

namespace faultline {

std::optional<PgCopyType> pgCopyTypeOf(const QString &dataType)
{
    if (dataType == u"bigint")
        return PgCopyType::BigInt;
    if (dataType == u"integer")
        return PgCopyType::Integer;
    if (dataType == u"text")
        return PgCopyType::Text;
    if (dataType == u"bytea")
        return PgCopyType::Bytea;
    return std::nullopt;
}

PgBinaryCopyStream::PgBinaryCopyStream()
{
    static constexpr char kSignature[] = "PGCOPY\n\377\r\n"; // and its terminating NUL: 11 bytes
    m_pending.append(kSignature, sizeof kSignature);
    appendWord(0, 4); // flags: no OIDs
    appendWord(0, 4); // no header extension
}

void PgBinaryCopyStream::startRow(int fields) { appendWord(quint64(fields), 2); }

void PgBinaryCopyStream::addNull() { appendWord(quint64(quint32(-1)), 4); }

void PgBinaryCopyStream::addBigInt(qint64 value)
{
    appendWord(8, 4);
    appendWord(quint64(value), 8);
}

void PgBinaryCopyStream::addInteger(qint32 value)
{
    appendWord(4, 4);
    appendWord(quint32(value), 4);
}

void PgBinaryCopyStream::addBytes(const QByteArray &bytes)
{
    appendWord(quint64(bytes.size()), 4);
    m_pending.append(bytes);
}

void PgBinaryCopyStream::finish() { appendWord(0xffff, 2); }

QByteArray PgBinaryCopyStream::takePending() { return std::exchange(m_pending, QByteArray()); }

void PgBinaryCopyStream::appendWord(quint64 value, int bytes)
{
    for (int shift = (bytes - 1) * 8; shift >= 0; shift -= 8)
        m_pending.append(char((value >> shift) & 0xff));
}

} // namespace faultline
