#include "collector/head_verdict.h"

#include <QUrl>

#include <cstdint>
#include <limits>

namespace faultline {

namespace {

using Action = HeadVerdict::Action;

constexpr std::uint64_t kMaxUint64 = std::numeric_limits<std::uint64_t>::max();

bool isDigit(char c) { return c >= '0' && c <= '9'; }

int hexValue(char c)
{
    if (isDigit(c))
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

bool equalsCaseless(QByteArrayView a, QByteArrayView b) { return a.compare(b, Qt::CaseInsensitive) == 0; }

// A line as libmicrohttpd 0.9.75 cuts them (get_next_header_line): up to CRLF or
// a bare LF; a lone CR stays in the line.
struct Line {
    QByteArrayView text;
    qsizetype next = -1; // where the following line starts; -1 = this one is not complete
};

Line lineAt(QByteArrayView bytes, qsizetype start)
{
    const qsizetype lf = bytes.indexOf('\n', start);
    if (lf < 0)
        return { bytes.sliced(start), -1 };
    const qsizetype end = lf > start && bytes[lf - 1] == '\r' ? lf - 1 : lf;
    return { bytes.sliced(start, end - start), lf + 1 };
}

// Empty lines before the request line are skipped, as libmicrohttpd does.
qsizetype requestLineStart(QByteArrayView bytes)
{
    qsizetype start = 0;
    for (Line line = lineAt(bytes, 0); line.next >= 0 && line.text.isEmpty(); line = lineAt(bytes, line.next))
        start = line.next;
    return start;
}

qsizetype headLength(QByteArrayView bytes)
{
    Line line = lineAt(bytes, requestLineStart(bytes));
    while (line.next >= 0) {
        line = lineAt(bytes, line.next);
        if (line.next >= 0 && line.text.isEmpty())
            return line.next;
    }
    return 0;
}

struct Header {
    QByteArray name;
    QByteArrayView value;
};

// The header lines of a complete head as libmicrohttpd reads them: the value after
// the colon and its leading blanks, up to a NUL (it keeps C strings); a line that
// starts with a blank continues the one before it — and libmicrohttpd appends it to
// that header's name (process_broken_line), so such a header is not found by name.
QList<Header> headersOf(QByteArrayView head)
{
    QList<Header> headers;
    Line line = lineAt(head, requestLineStart(head));
    for (line = lineAt(head, line.next); line.next >= 0 && !line.text.isEmpty(); line = lineAt(head, line.next)) {
        QByteArrayView text = line.text;
        if (const qsizetype nul = text.indexOf('\0'); nul >= 0)
            text.truncate(nul);
        if ((text.startsWith(' ') || text.startsWith('\t')) && !headers.isEmpty()) {
            headers.last().name += text.trimmed().toByteArray();
            continue;
        }
        const qsizetype colon = text.indexOf(':');
        if (colon < 0)
            continue; // libmicrohttpd refuses the head itself (400, once)
        QByteArrayView value = text.sliced(colon + 1);
        while (!value.isEmpty() && (value.front() == ' ' || value.front() == '\t'))
            value = value.sliced(1);
        headers.append({ text.first(colon).toByteArray(), value });
    }
    return headers;
}

std::optional<QByteArrayView> firstHeader(const QList<Header> &headers, QByteArrayView name)
{
    for (const Header &header : headers) {
        if (equalsCaseless(header.name, name))
            return header.value;
    }
    return std::nullopt;
}

// libmicrohttpd's reading of a Content-Length (parse_connection_headers with
// MHD_str_to_uint64_n_): leading digits that overflow 64 bits are a 413, anything
// but digits a 400; both answered by it with its head written twice.
std::optional<IngestError> contentLengthRefusal(QByteArrayView value, qint64 maxBodyBytes)
{
    if (value.isEmpty() || !isDigit(value.front()))
        return IngestError::malformed(QStringLiteral("invalid Content-Length header"));
    std::uint64_t length = 0;
    qsizetype digits = 0;
    for (; digits < value.size() && isDigit(value[digits]); ++digits) {
        const auto digit = std::uint64_t(value[digits] - '0');
        if (length > (kMaxUint64 - digit) / 10) {
            const QByteArrayView shown = value.first(std::min<qsizetype>(value.size(), 40));
            return IngestError::tooLarge(QStringLiteral("request body of %1%2 bytes exceeds the %3 byte limit")
                                             .arg(QString::fromLatin1(shown))
                                             .arg(shown.size() < value.size() ? QStringLiteral("…") : QString())
                                             .arg(maxBodyBytes));
        }
        length = length * 10 + digit;
    }
    if (digits != value.size())
        return IngestError::malformed(QStringLiteral("invalid Content-Length header"));
    return std::nullopt; // the HTTP layer compares it with the limit as for any request
}

// The first chunk-size line after a chunked head: its hex digits so far, against
// the body limit (a 2^64-1 chunk fits libmicrohttpd's parser and would be awaited).
HeadVerdict judgeFirstChunk(QByteArrayView rest, qint64 maxBodyBytes, HeadVerdict verdict)
{
    std::uint64_t size = 0;
    qsizetype digits = 0;
    bool overflow = false;
    for (; digits < rest.size() && hexValue(rest[digits]) >= 0; ++digits) {
        overflow = overflow || size > (kMaxUint64 >> 4);
        size = (size << 4) | std::uint64_t(hexValue(rest[digits]));
    }
    if (overflow || size > std::uint64_t(maxBodyBytes)) {
        const bool whole = digits < rest.size(); // something other than a digit ends it
        const QString shown = overflow ? QStringLiteral("more than %1").arg(kMaxUint64)
                                       : (whole ? QString() : QStringLiteral("at least ")) + QString::number(size);
        verdict.action = Action::Refuse;
        verdict.refusal = IngestError::tooLarge(
            QStringLiteral("a chunk of %1 bytes exceeds the %2 byte request body limit").arg(shown).arg(maxBodyBytes));
        return verdict;
    }
    // All digits so far, and small: more may come. Anything after them (the line's
    // end, an extension, garbage) is libmicrohttpd's to read.
    verdict.action = digits == rest.size() ? Action::NeedMore : Action::HandOver;
    return verdict;
}

} // namespace

HeadVerdict judgeRequestHead(QByteArrayView bytes, const HeadLimits &limits)
{
    HeadVerdict verdict;
    verdict.headBytes = headLength(bytes);
    if (verdict.headBytes == 0) {
        verdict.action = bytes.size() < limits.maxHeadBytes ? Action::NeedMore : Action::HandOver;
        return verdict;
    }
    const QList<Header> headers = headersOf(bytes.first(verdict.headBytes));
    const std::optional<QByteArrayView> transferEncoding = firstHeader(headers, "Transfer-Encoding");
    if (!transferEncoding) {
        // libmicrohttpd reads Content-Length only without Transfer-Encoding (both: our 400).
        if (const std::optional<QByteArrayView> length = firstHeader(headers, "Content-Length")) {
            if (std::optional<IngestError> refusal = contentLengthRefusal(*length, limits.maxBodyBytes)) {
                verdict.action = Action::Refuse;
                verdict.refusal = std::move(refusal);
                return verdict;
            }
        }
        verdict.action = Action::HandOver;
        return verdict;
    }
    const std::optional<QByteArrayView> expect = firstHeader(headers, "Expect");
    // A client waiting for "100 Continue" sends no chunk before libmicrohttpd's 100.
    if (!equalsCaseless(*transferEncoding, "chunked") || (expect && equalsCaseless(expect->trimmed(), "100-continue"))
        || bytes.size() >= limits.maxHeadBytes) {
        verdict.action = Action::HandOver;
        return verdict;
    }
    return judgeFirstChunk(bytes.sliced(verdict.headBytes), limits.maxBodyBytes, verdict);
}

HttpRequest parseRequestHead(QByteArrayView head)
{
    HttpRequest request;
    const Line requestLine = lineAt(head, requestLineStart(head));
    const QList<QByteArray> words = requestLine.text.toByteArray().simplified().split(' ');
    request.method = words.value(0);
    const QByteArray target = words.value(1);
    const qsizetype question = target.indexOf('?');
    request.path = QUrl::fromPercentEncoding(question < 0 ? target : target.left(question));
    if (question >= 0)
        request.query = QUrlQuery(QString::fromUtf8(target.mid(question + 1)));
    for (const Header &header : headersOf(head))
        request.headers.append({ header.name, header.value.toByteArray() });
    return request;
}

} // namespace faultline
