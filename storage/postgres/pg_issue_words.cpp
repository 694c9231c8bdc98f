#include "storage/postgres/pg_issue_words.h"

#include "storage/postgres/pg_rows_statement.h"

#include <QHashFunctions>

namespace faultline {

namespace {

// One key per (issue, value): the value's hash mixed with the issue's (splitmix64's finalizer).
quint64 keyOf(qint64 issueId, size_t valueHash)
{
    quint64 key = quint64(valueHash) ^ (quint64(issueId) * 0x9e3779b97f4a7c15ULL);
    key = (key ^ (key >> 30)) * 0xbf58476d1ce4e5b9ULL;
    key = (key ^ (key >> 27)) * 0x94d049bb133111ebULL;
    return key ^ (key >> 31);
}

constexpr size_t kTextSeed = 0x74657874; // 'text': a text's key never equals one of its words'

} // namespace

void PgIssueWords::startBatch()
{
    m_batchKeys.clear();
    m_issues.clear();
    m_words.clear();
    m_serverRows.clear();
    m_serverReceived.clear();
}

bool PgIssueWords::isNew(quint64 key) { return !m_known.contains(key) && m_batchKeys.insert(key).second; }

void PgIssueWords::add(const EventColumns &columns, qint64 eventRow, qint64 issueId)
{
    const size_t textHash = qHashMulti(
        kTextSeed, columns.title, columns.message, columns.exceptionValues, columns.culprit, columns.frames);
    if (!isNew(keyOf(issueId, textHash)))
        return; // the same text went to this issue before, and its words with it
    if (!m_eventWords.compute(
            columns.title, columns.message, columns.exceptionValues, columns.culprit, columns.frames)) {
        m_serverRows.append(eventRow);
        m_serverReceived.append(columns.receivedMs);
        return;
    }
    for (qsizetype i = 0; i < m_eventWords.size(); ++i) {
        if (isNew(keyOf(issueId, m_eventWords.hashAt(i)))) {
            m_issues.append(issueId);
            m_words.append(QString::fromLatin1(m_eventWords.at(i)));
        }
    }
}

PgStatus PgIssueWords::write(PgConnection &connection) const
{
    if (m_words.isEmpty() && m_serverRows.isEmpty())
        return PgDone {};
    auto added = connection.exec(
        QStringLiteral("SELECT add_issue_words($1::bigint[], $2::text[], $3::bigint[], $4::bigint[])"),
        { pgIntegerArray(m_issues), pgTextArray(m_words), pgIntegerArray(m_serverRows),
            pgIntegerArray(m_serverReceived) });
    return added ? PgStatus(PgDone {}) : PgStatus(added.error());
}

void PgIssueWords::committed()
{
    if (m_known.size() + m_batchKeys.size() > kMaxKnown)
        m_known.clear();
    m_known.merge(m_batchKeys);
    m_batchKeys.clear();
}

} // namespace faultline
