#include "ui/query_bar.h"

#include "model/query/query_parser.h"

#include <QCoreApplication>
#include <QInputMethodEvent>
#include <QLabel>
#include <QLineEdit>
#include <QTextCharFormat>
#include <QVBoxLayout>

namespace faultline {

QueryBar::QueryBar(QWidget *parent)
    : QWidget(parent)
    , m_edit(new QLineEdit(this))
    , m_error(new QLabel(this))
{
    m_edit->setObjectName(QStringLiteral("queryEdit"));
    m_edit->setClearButtonEnabled(true);
    m_edit->setPlaceholderText(
        tr("Search issues — e.g. is:unresolved level:>=error release:1.2 \"connection reset\"   (press / to focus)"));
    m_edit->setToolTip(tr("Terms: free text, \"phrase\", is:unresolved|resolved|ignored|regressed, level:>=warning, "
                          "project:, release:, environment:, key:value (tags), has:locals, field:email, status:5xx, "
                          "age:-24h, last_seen:-1h. Prefix ! or - to negate."));
    m_error->setObjectName(QStringLiteral("queryError"));
    m_error->setStyleSheet(QStringLiteral("color: #e53935;"));
    m_error->setWordWrap(true);
    m_error->hide();

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    layout->addWidget(m_edit);
    layout->addWidget(m_error);

    m_debounce.setSingleShot(true);
    m_debounce.setInterval(kDebounceMs);
    connect(&m_debounce, &QTimer::timeout, this, &QueryBar::parseNow);
    connect(m_edit, &QLineEdit::textEdited, this, [this]() { m_debounce.start(); });
    connect(m_edit, &QLineEdit::returnPressed, this, [this]() {
        parseNow();
        // Enter on a bad query: select the offending term so typing replaces it. Not while
        // typing, where a selection would eat the next keystroke.
        if (m_hasError && m_errorSpan.length > 0)
            m_edit->setSelection(m_errorSpan.start, m_errorSpan.length);
    });
    // The clear button changes the text without textEdited.
    connect(m_edit, &QLineEdit::textChanged, this, [this](const QString &text) {
        if (text.isEmpty())
            m_debounce.start();
    });
}

QString QueryBar::text() const { return m_edit->text(); }

void QueryBar::setText(const QString &text)
{
    m_edit->setText(text);
    m_debounce.stop();
    parseNow();
}

QString QueryBar::quoteIfNeeded(const QString &text)
{
    if (!text.contains(QLatin1Char(' ')) && !text.contains(QLatin1Char('"')) && !text.isEmpty())
        return text;
    QString escaped = text;
    escaped.replace(QLatin1Char('"'), QStringLiteral("\\\""));
    return QLatin1Char('"') + escaped + QLatin1Char('"');
}

void QueryBar::appendTerm(const QString &term)
{
    const qsizetype colon = term.indexOf(QLatin1Char(':'));
    const QString quoted = colon > 0 ? term.left(colon + 1) + quoteIfNeeded(term.mid(colon + 1)) : quoteIfNeeded(term);
    QString current = m_edit->text().trimmed();
    if (current.split(QLatin1Char(' '), Qt::SkipEmptyParts).contains(quoted))
        return;
    setText(current.isEmpty() ? quoted : current + QLatin1Char(' ') + quoted);
}

QString QueryBar::errorText() const { return m_hasError ? m_error->text() : QString(); }

void QueryBar::underline(const QList<QuerySpan> &spans)
{
    // QLineEdit has no character formats of its own; a pre-edit-free input method event with
    // TextFormat attributes is the supported way to draw them (positions relative to the caret).
    QList<QInputMethodEvent::Attribute> attributes;
    for (const QuerySpan &span : spans) {
        if (span.length <= 0)
            continue;
        QTextCharFormat format;
        format.setUnderlineStyle(QTextCharFormat::WaveUnderline);
        format.setUnderlineColor(QColor(0xe5, 0x39, 0x35));
        format.setForeground(QColor(0xe5, 0x39, 0x35));
        attributes.append(QInputMethodEvent::Attribute(
            QInputMethodEvent::TextFormat, span.start - m_edit->cursorPosition(), span.length, format));
    }
    QInputMethodEvent event(QString(), attributes);
    QCoreApplication::sendEvent(m_edit, &event);
}

void QueryBar::parseNow()
{
    const QString text = m_edit->text();
    const Result<Query> parsed = parseQuery(text);
    if (!parsed.ok()) {
        // Every mistake, one per line, each naming its term once.
        QStringList lines;
        QList<QuerySpan> spans;
        for (const FieldError &error : parsed.errors()) {
            const QuerySpan span = querySpan(error);
            spans.append(span);
            const QString term = span.length > 0 ? text.mid(span.start, span.length) : QString();
            lines.append(term.isEmpty() || error.msg.contains(term) ? error.msg : tr("“%1”: %2").arg(term, error.msg));
        }
        const bool wasValid = !m_hasError;
        m_hasError = true;
        m_error->setText(lines.size() == 1 ? lines.first() + tr(" — the list shows the last valid search")
                                           : tr("%1 mistakes — the list shows the last valid search:").arg(lines.size())
                    + QStringLiteral("\n• ") + lines.join(QStringLiteral("\n• ")));
        m_error->show();
        m_edit->setStyleSheet(QStringLiteral("QLineEdit { border: 1px solid #e53935; }"));
        m_errorSpan = spans.value(0);
        m_errorSpans = spans;
        underline(spans);
        if (wasValid)
            emit validityChanged(false);
        return; // keep the last good results on screen (marked stale by the window)
    }
    const bool wasInvalid = m_hasError;
    m_hasError = false;
    m_errorSpan = {};
    m_errorSpans.clear();
    underline({});
    m_error->hide();
    m_error->clear();
    m_edit->setStyleSheet(QString());
    m_query = parsed.value();
    if (wasInvalid)
        emit validityChanged(true);
    if (m_published && text.simplified() == m_lastPublished)
        return;
    m_published = true;
    m_lastPublished = text.simplified();
    emit queryChanged(m_query);
}

} // namespace faultline
