#include "ui/http_outcome_view.h"

#include "ui/level_style.h"

#include <QFontDatabase>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QPlainTextEdit>
#include <QTextDocument>
#include <QVBoxLayout>

namespace faultline {

HttpOutcomeView::HttpOutcomeView(QWidget *parent)
    : QWidget(parent)
    , m_status(new QLabel(this))
    , m_body(new QPlainTextEdit(this))
{
    m_status->setTextFormat(Qt::RichText);
    m_body->setReadOnly(true);
    m_body->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_body->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_body->setPlaceholderText(tr("No response body was recorded."));
    m_body->setVerticalScrollBarPolicy(Qt::ScrollBarAsNeeded);
    setObjectName(QStringLiteral("httpOutcome"));
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_status);
    layout->addWidget(m_body, 1);
}

bool HttpOutcomeView::setOutcome(const HttpOutcome &outcome)
{
    m_statusCode = outcome.statusCode;
    const QString status = statusText();
    m_status->setText(status.isEmpty() ? tr("Status unknown")
                                       : tr("Answered %1").arg(badgeHtml(status, statusColor(outcome.statusCode))));
    // A default HttpOutcome holds a JSON null: no body was recorded, not a body "null".
    const bool hasBody = !outcome.errorBody.isUndefined() && !outcome.errorBody.isNull();
    m_body->setPlainText(hasBody ? prettyBody(outcome.errorBody) : QString());
    fitBodyHeight();
    return outcome.statusCode > 0 || hasBody;
}

void HttpOutcomeView::fitBodyHeight()
{
    // The detail pane scrolls as a whole: the body is as tall as its text, up to
    // kMaxBodyLines, and scrolls itself only beyond that.
    const int lines = qBound(1, m_body->document()->blockCount(), kMaxBodyLines);
    const QMargins margins = m_body->contentsMargins();
    m_body->setFixedHeight(lines * m_body->fontMetrics().lineSpacing() + int(2 * m_body->document()->documentMargin())
        + margins.top() + margins.bottom() + 2 * m_body->frameWidth());
}

QString HttpOutcomeView::statusText() const
{
    if (m_statusCode <= 0)
        return {};
    const QString reason = reasonPhrase(m_statusCode);
    return reason.isEmpty() ? QString::number(m_statusCode) : QStringLiteral("%1 %2").arg(m_statusCode).arg(reason);
}

QString HttpOutcomeView::bodyText() const { return m_body->toPlainText(); }

QColor HttpOutcomeView::statusColor(int statusCode)
{
    switch (statusCode / 100) {
    case 2:
        return QColor(0x2e, 0x7d, 0x32);
    case 3:
        return QColor(0x1e, 0x88, 0xe5);
    case 4:
        return QColor(0xef, 0x6c, 0x00);
    case 5:
        return QColor(0xd3, 0x2f, 0x2f);
    default:
        return QColor(0x9e, 0x9e, 0x9e);
    }
}

QString HttpOutcomeView::reasonPhrase(int statusCode)
{
    switch (statusCode) {
    case 200:
        return QStringLiteral("OK");
    case 201:
        return QStringLiteral("Created");
    case 204:
        return QStringLiteral("No Content");
    case 301:
        return QStringLiteral("Moved Permanently");
    case 302:
        return QStringLiteral("Found");
    case 304:
        return QStringLiteral("Not Modified");
    case 400:
        return QStringLiteral("Bad Request");
    case 401:
        return QStringLiteral("Unauthorized");
    case 403:
        return QStringLiteral("Forbidden");
    case 404:
        return QStringLiteral("Not Found");
    case 405:
        return QStringLiteral("Method Not Allowed");
    case 409:
        return QStringLiteral("Conflict");
    case 410:
        return QStringLiteral("Gone");
    case 413:
        return QStringLiteral("Content Too Large");
    case 422:
        return QStringLiteral("Unprocessable Content");
    case 429:
        return QStringLiteral("Too Many Requests");
    case 500:
        return QStringLiteral("Internal Server Error");
    case 501:
        return QStringLiteral("Not Implemented");
    case 502:
        return QStringLiteral("Bad Gateway");
    case 503:
        return QStringLiteral("Service Unavailable");
    case 504:
        return QStringLiteral("Gateway Timeout");
    default:
        return {};
    }
}

QString HttpOutcomeView::prettyBody(const QJsonValue &body)
{
    if (body.isObject())
        return QString::fromUtf8(QJsonDocument(body.toObject()).toJson(QJsonDocument::Indented)).trimmed();
    if (body.isArray())
        return QString::fromUtf8(QJsonDocument(body.toArray()).toJson(QJsonDocument::Indented)).trimmed();
    if (body.isString())
        return body.toString();
    if (body.isUndefined())
        return {};
    // Numbers, booleans and null: wrapped so QJsonDocument can print them.
    const QByteArray wrapped = QJsonDocument(QJsonArray { body }).toJson(QJsonDocument::Compact);
    return QString::fromUtf8(wrapped.mid(1, wrapped.size() - 2));
}

} // namespace faultline
