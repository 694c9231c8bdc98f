#include "ui/validation_view.h"

#include "ui/fitted_table.h"
#include "ui/level_style.h"

#include <QFontDatabase>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QVBoxLayout>

namespace faultline {

ValidationView::ValidationView(QWidget *parent)
    : QWidget(parent)
    , m_issues(new FittedTable({ tr("Field"), tr("Message"), tr("Type"), tr("Input") }, this))
    , m_outcome(new QLabel(this))
{
    m_issues->setObjectName(QStringLiteral("validationTable"));
    m_outcome->setObjectName(QStringLiteral("httpOutcome"));
    m_outcome->setTextFormat(Qt::RichText);
    m_outcome->setWordWrap(true);
    m_outcome->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_outcome->setMinimumWidth(1); // a wide JSON body clips rather than widening the pane
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_outcome);
    layout->addWidget(m_issues);
}

bool ValidationView::setEvent(const Event &event)
{
    QList<QStringList> rows;
    for (const ValidationIssue &issue : event.validationErrors)
        rows.append({ issue.loc.join(QLatin1Char('.')), issue.msg, issue.type, issue.input });
    m_issues->setRows(rows);
    m_issues->setVisible(!rows.isEmpty());

    const HttpOutcome &http = event.http;
    const bool hasBody = !http.errorBody.isUndefined() && !http.errorBody.isNull();
    if (http.statusCode > 0 || hasBody) {
        QString text;
        if (http.statusCode > 0) {
            const QColor colour
                = http.statusCode >= 500 ? levelColor(QStringLiteral("error")) : levelColor(QStringLiteral("warning"));
            text += tr("Answered ") + badgeHtml(QString::number(http.statusCode), colour);
        }
        if (hasBody) {
            QString body;
            if (http.errorBody.isObject())
                body = QString::fromUtf8(QJsonDocument(http.errorBody.toObject()).toJson(QJsonDocument::Indented));
            else if (http.errorBody.isArray())
                body = QString::fromUtf8(QJsonDocument(http.errorBody.toArray()).toJson(QJsonDocument::Indented));
            else
                body = http.errorBody.toVariant().toString();
            text += QStringLiteral("<pre style=\"font-family:monospace\">%1</pre>").arg(body.trimmed().toHtmlEscaped());
        }
        m_outcome->setText(text);
        m_outcome->show();
    } else {
        m_outcome->hide();
    }
    return !rows.isEmpty() || m_outcome->isVisibleTo(this);
}

} // namespace faultline
