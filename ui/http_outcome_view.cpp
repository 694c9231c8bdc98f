#include "ui/http_outcome_view.h"

#include "ui/triage/http_status.h"
#include "ui/triage/level_style.h"

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
                                       : tr("Answered %1").arg(badgeHtml(status, httpStatusColor(outcome.statusCode))));
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
    const QString reason = httpReasonPhrase(m_statusCode);
    return reason.isEmpty() ? QString::number(m_statusCode) : QStringLiteral("%1 %2").arg(m_statusCode).arg(reason);
}

QString HttpOutcomeView::bodyText() const { return m_body->toPlainText(); }

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
