#include "ui/replay_dialog.h"

#include "ui/http_outcome_view.h"
#include "ui/key_value_table.h"
#include "ui/source_workspace.h"

#include <QDialogButtonBox>
#include <QFontDatabase>
#include <QFormLayout>
#include <QGroupBox>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace faultline {

namespace {

QLabel *caption(const QString &text, QWidget *parent)
{
    auto *label = new QLabel(text, parent);
    QFont font = label->font();
    font.setBold(true);
    label->setFont(font);
    return label;
}

// JSON answers shown indented like the event's own error body; anything else as text.
QJsonValue bodyValue(const QByteArray &body)
{
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(body, &error);
    if (error.error == QJsonParseError::NoError && !document.isNull())
        return document.isObject() ? QJsonValue(document.object()) : QJsonValue(document.array());
    return body.isEmpty() ? QJsonValue() : QJsonValue(QString::fromUtf8(body));
}

} // namespace

ReplayDialog::ReplayDialog(const Event &event, SourceWorkspace *workspace, QWidget *parent)
    : QDialog(parent)
    , m_event(event)
    , m_spec(requestSpecFromEvent(event.raw.value(QLatin1String("request")).toObject()))
    , m_workspace(workspace)
    , m_baseUrl(new QLineEdit(this))
    , m_request(new QPlainTextEdit(this))
    , m_send(new QPushButton(this))
    , m_verdict(new QLabel(this))
    , m_results(new QWidget(this))
    , m_originalOutcome(new HttpOutcomeView(this))
    , m_replayOutcome(new HttpOutcomeView(this))
    , m_replayHeaders(new KeyValueTable(tr("Header"), tr("Value"), this))
{
    setWindowTitle(tr("Replay Request"));
    auto *layout = new QVBoxLayout(this);

    auto *form = new QFormLayout;
    m_baseUrl->setObjectName(QStringLiteral("replayBaseUrl"));
    m_baseUrl->setPlaceholderText(tr("http://127.0.0.1:8000 (where your service runs)"));
    m_baseUrl->setClearButtonEnabled(true);
    if (m_workspace)
        m_baseUrl->setText(m_workspace->replayBaseUrl());
    form->addRow(tr("Send to:"), m_baseUrl);
    auto *hint = new QLabel(tr("Sent only to the host you type here, never to the event's own host; redirects are not "
                               "followed and scrubbed headers are left out. Remembered for this project."),
        this);
    hint->setWordWrap(true);
    hint->setForegroundRole(QPalette::PlaceholderText);
    form->addRow(QString(), hint);
    layout->addLayout(form);

    layout->addWidget(caption(tr("The exact request"), this));
    m_request->setObjectName(QStringLiteral("replayRequest"));
    m_request->setReadOnly(true);
    m_request->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_request->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_request->setMaximumHeight(m_request->fontMetrics().lineSpacing() * 10 + 12);
    layout->addWidget(m_request);

    m_verdict->setObjectName(QStringLiteral("replayVerdict"));
    m_verdict->setWordWrap(true);
    QFont verdictFont = m_verdict->font();
    verdictFont.setBold(true);
    m_verdict->setFont(verdictFont);
    layout->addWidget(m_verdict);

    // Then and now, side by side.
    auto *columns = new QHBoxLayout(m_results);
    columns->setContentsMargins(0, 0, 0, 0);
    auto *then = new QGroupBox(tr("When the event happened"), m_results);
    auto *thenLayout = new QVBoxLayout(then);
    thenLayout->addWidget(m_originalOutcome);
    thenLayout->addStretch(1);
    auto *now = new QGroupBox(tr("Replay"), m_results);
    auto *nowLayout = new QVBoxLayout(now);
    nowLayout->addWidget(m_replayOutcome);
    nowLayout->addWidget(caption(tr("Response headers"), now));
    nowLayout->addWidget(m_replayHeaders);
    nowLayout->addStretch(1);
    columns->addWidget(then, 1);
    columns->addWidget(now, 1);
    layout->addWidget(m_results, 1);
    if (!m_originalOutcome->setOutcome(event.http)) {
        auto *unknown = new QLabel(tr("The event did not record the service's answer."), then);
        unknown->setWordWrap(true);
        thenLayout->insertWidget(0, unknown);
    }
    m_results->hide();

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    m_send->setObjectName(QStringLiteral("replaySend"));
    m_send->setDefault(true);
    buttons->addButton(m_send, QDialogButtonBox::ActionRole);
    layout->addWidget(buttons);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_send, &QPushButton::clicked, this, &ReplayDialog::send);
    connect(m_baseUrl, &QLineEdit::textChanged, this, &ReplayDialog::updatePlan);
    connect(&m_replayer, &RequestReplayer::finished, this, &ReplayDialog::showResult);
    updatePlan();
    resize(820, 560);
}

QString ReplayDialog::requestText() const { return m_request->toPlainText(); }
QString ReplayDialog::verdictText() const { return m_verdict->text(); }

void ReplayDialog::updatePlan()
{
    m_plan = planReplay(m_spec, m_baseUrl->text());
    if (m_plan.isValid()) {
        m_request->setPlainText(m_plan.text());
        const QUrl &url = m_plan.url;
        m_send->setText(
            tr("Send to %1")
                .arg(url.port() > 0 ? QStringLiteral("%1:%2").arg(url.host()).arg(url.port()) : url.host()));
    } else {
        m_request->setPlainText(m_baseUrl->text().trimmed().isEmpty()
                ? tr("Type the base URL of a service you run, e.g. http://127.0.0.1:8000, to see the request.")
                : tr("Not an http:// or https:// URL with a host."));
        m_send->setText(tr("Send"));
    }
    m_send->setEnabled(m_plan.isValid() && !m_replayer.isBusy());
}

void ReplayDialog::send()
{
    if (!m_plan.isValid() || m_replayer.isBusy())
        return;
    if (m_workspace)
        m_workspace->setReplayBaseUrl(m_baseUrl->text());
    m_send->setEnabled(false);
    m_verdict->setText(tr("Sending…"));
    m_verdict->setStyleSheet(QString());
    m_replayer.send(m_plan, m_event.http);
}

void ReplayDialog::showResult(const ReplayResult &result)
{
    m_send->setEnabled(m_plan.isValid());
    m_verdict->setText(result.verdict);
    m_verdict->setStyleSheet(QStringLiteral("color:%1")
                                 .arg(result.reproduced      ? QStringLiteral("#e53935")
                                         : result.status > 0 ? QStringLiteral("#43a047")
                                                             : QStringLiteral("#e0a100")));
    HttpOutcome outcome;
    outcome.statusCode = result.status;
    outcome.errorBody = bodyValue(result.body);
    m_replayOutcome->setOutcome(outcome);
    QList<QPair<QString, QString>> headers;
    for (const auto &[name, value] : result.headers)
        headers.append({ QString::fromUtf8(name), QString::fromUtf8(value) });
    m_replayHeaders->setPairs(headers);
    m_results->show();
    emit replayFinished(result);
}

} // namespace faultline
