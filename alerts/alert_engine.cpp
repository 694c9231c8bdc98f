#include "alerts/alert_engine.h"

#include "alerts/smtp_client.h"
#include "storage/backend.h"

#include <QDateTime>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QTimer>

#include <spdlog/spdlog.h>

#include <algorithm>

namespace faultline {

namespace {

constexpr qint64 kMinuteMs = 60'000;
constexpr qint64 kHourMs = 60 * kMinuteMs;

bool retryableStatus(int status) { return status == 408 || status == 425 || status == 429 || status >= 500; }

} // namespace

struct AlertEngine::Attempt {
    qint64 deliveryId = 0;
    AlertRule rule;
    AlertIssue issue;
    AlertTrigger trigger = AlertTrigger::NewIssue;
    int attempts = 0;
};

AlertEngine::AlertEngine(QString dbPath, AlertOptions options, QObject *parent)
    : QObject(parent)
    , m_dbPath(std::move(dbPath))
    , m_options(std::move(options))
{
}

AlertEngine::~AlertEngine() = default;

AlertStore *AlertEngine::store()
{
    if (m_backend && m_backend->isConnectionLost())
        m_backend.reset(); // PostgreSQL went away meanwhile (a restart): a new connection, not failures from now on
    if (!m_backend) {
        auto opened = openStorageBackend(m_dbPath, BackendUse::Write, m_stopPipe.readEnd());
        if (!opened) {
            spdlog::error("alerts: {}", opened.error().detail.toStdString());
            return nullptr;
        }
        m_backend = std::move(opened).value();
    }
    return &m_backend->alerts();
}

qint64 AlertEngine::now() const { return m_options.clock ? m_options.clock() : QDateTime::currentMSecsSinceEpoch(); }

void AlertEngine::onBatchCommitted(const BatchSummary &summary)
{
    // The rules once per batch, not once per issue: a batch touches many issues, and an issue
    // is read only when a rule of a project the batch wrote into could fire for its trigger
    // (reading every touched issue took a quarter of a PostgreSQL server's time: bench/pg_ingest).
    AlertStore *alerts = store();
    const QList<AlertRule> rules = alerts ? alerts->rules(0) : QList<AlertRule>();
    auto anyRuleFor = [&](AlertTrigger trigger) {
        return std::any_of(rules.cbegin(), rules.cend(), [&](const AlertRule &rule) {
            return summary.touchedProjectIds.contains(rule.projectId) && couldFire(rule, trigger);
        });
    };
    if (anyRuleFor(AlertTrigger::NewIssue))
        for (qint64 id : summary.newIssueIds)
            evaluate(id, AlertTrigger::NewIssue, rules);
    if (anyRuleFor(AlertTrigger::Regression))
        for (qint64 id : summary.regressedIssueIds)
            evaluate(id, AlertTrigger::Regression, rules);
    // Any other issue that got events may have crossed a rule's escalation threshold.
    if (anyRuleFor(AlertTrigger::Escalation))
        for (qint64 id : summary.touchedIssueIds)
            if (!summary.newIssueIds.contains(id) && !summary.regressedIssueIds.contains(id))
                evaluate(id, AlertTrigger::Escalation, rules);
    emit batchEvaluated();
}

void AlertEngine::evaluate(qint64 issueId, AlertTrigger trigger, const QList<AlertRule> &rules)
{
    AlertStore *alerts = store();
    if (!alerts)
        return;
    AlertStore &store = *alerts;
    const StorageResult<AlertIssue> plain = store.issue(issueId, 0);
    if (!plain) {
        if (plain.error().kind != StorageError::Kind::NotFound)
            spdlog::warn("alerts: issue {} not judged: {}", issueId, plain.error().detail.toStdString());
        return;
    }
    const qint64 nowMs = now();
    for (const AlertRule &rule : rules) {
        if (rule.projectId != plain->projectId)
            continue;
        AlertIssue issue = *plain;
        if (trigger == AlertTrigger::Escalation) {
            if (!rule.onEscalation)
                continue;
            if (StorageResult<AlertIssue> recent = store.issue(issueId, nowMs - rule.escalationMinutes * kMinuteMs))
                issue = std::move(*recent);
        }
        if (!ruleMatches(rule, issue, trigger))
            continue;
        // The quiet period is silent by design: an issue that keeps failing is not news each batch.
        const qint64 last = store.lastAlertMs(rule.id, issueId);
        if (last > 0 && nowMs - last < rule.quietMinutes * kMinuteMs)
            continue;
        if (store.alertsSince(rule.id, nowMs - kHourMs) >= rule.maxPerHour) {
            AlertDelivery skipped;
            skipped.ruleId = rule.id;
            skipped.issueId = issueId;
            skipped.trigger = trigger;
            skipped.summary = alertSummary(issue, trigger);
            skipped.createdMs = nowMs;
            skipped.state = DeliveryState::Suppressed;
            skipped.detail = QStringLiteral("rate limit: %1 alerts in the last hour").arg(rule.maxPerHour);
            store.addDelivery(skipped);
            continue;
        }
        deliver(rule, issue, trigger, true);
    }
}

void AlertEngine::sendTest(const AlertRule &rule, const AlertIssue &sample)
{
    deliver(rule, sample, AlertTrigger::NewIssue, false);
}

void AlertEngine::deliver(const AlertRule &rule, const AlertIssue &issue, AlertTrigger trigger, bool claimed)
{
    AlertStore *alerts = store();
    if (!alerts)
        return;
    auto job = std::make_shared<Attempt>();
    job->rule = rule;
    job->issue = issue;
    job->trigger = trigger;
    AlertDelivery delivery;
    delivery.ruleId = rule.id;
    delivery.issueId = issue.issueId;
    delivery.trigger = trigger;
    delivery.summary = alertSummary(issue, trigger);
    delivery.createdMs = now();
    delivery.state = DeliveryState::Sending;
    if (claimed) {
        // As evaluate() judges it: an alert less than the quiet period ago stands in the way
        // (without a quiet period, none does: every batch may alert).
        const qint64 quietSince = delivery.createdMs - rule.quietMinutes * kMinuteMs + 1;
        job->deliveryId = alerts->claimDelivery(delivery, quietSince);
        if (job->deliveryId == 0) {
            spdlog::debug("alert for issue {} by rule {}: already sent or being sent (another collector)",
                issue.issueId, rule.id);
            return;
        }
    } else {
        job->deliveryId = alerts->addDelivery(delivery);
    }
    ++m_inFlight;
    attempt(job);
}

void AlertEngine::attempt(const std::shared_ptr<Attempt> &job)
{
    ++job->attempts;
    if (job->rule.channel == AlertChannel::Email) {
        AlertStore *alerts = store();
        const StorageResult<std::optional<SmtpServer>> server
            = alerts ? alerts->smtpServer() : StorageResult<std::optional<SmtpServer>>(std::nullopt);
        if (!server) {
            attemptFinished(
                job, false, QStringLiteral("reading the SMTP server failed: %1").arg(server.error().detail), true);
            return;
        }
        auto *client = new SmtpClient(this);
        client->setTimeout(m_options.requestTimeoutMs);
        connect(
            client, &SmtpClient::finished, this, [this, client, job](bool ok, const QString &detail, bool retryable) {
                client->deleteLater();
                attemptFinished(job, ok, detail, retryable);
            });
        client->send((*server).value_or(SmtpServer {}),
            { *server ? (*server)->sender : QString(), job->rule.recipients(), alertSummary(job->issue, job->trigger),
                emailText(job->issue, job->trigger) });
        return;
    }

    if (!m_network) {
        m_network = new QNetworkAccessManager(this);
        // The URL the user typed is the only destination: a redirect is reported, not followed.
        m_network->setRedirectPolicy(QNetworkRequest::ManualRedirectPolicy);
    }
    const QUrl url(job->rule.target.trimmed());
    if (!url.isValid() || (url.scheme() != QLatin1String("http") && url.scheme() != QLatin1String("https"))) {
        attemptFinished(job, false, QStringLiteral("not an http(s) URL: %1").arg(job->rule.target), false);
        return;
    }
    QNetworkRequest request(url);
    request.setHeader(QNetworkRequest::ContentTypeHeader, QStringLiteral("application/json"));
    request.setHeader(QNetworkRequest::UserAgentHeader, QStringLiteral("Faultline/" FAULTLINE_ALERTS_VERSION));
    request.setTransferTimeout(m_options.requestTimeoutMs);
    QNetworkReply *reply = m_network->post(request, webhookBody(job->rule.format, job->issue, job->trigger, now()));
    connect(reply, &QNetworkReply::finished, this, [this, reply, job]() {
        reply->deleteLater();
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        if (status >= 200 && status < 300) {
            attemptFinished(job, true, QStringLiteral("HTTP %1").arg(status), false);
        } else if (status >= 300 && status < 400) {
            attemptFinished(job, false,
                QStringLiteral("HTTP %1: redirected to %2; put that URL in the rule")
                    .arg(status)
                    .arg(QString::fromUtf8(reply->rawHeader("Location"))),
                false);
        } else if (status > 0) {
            const QString body = QString::fromUtf8(reply->read(300)).simplified();
            attemptFinished(job, false,
                QStringLiteral("HTTP %1%2").arg(status).arg(body.isEmpty() ? QString() : QStringLiteral(": ") + body),
                retryableStatus(status));
        } else {
            attemptFinished(job, false, reply->errorString(), true);
        }
    });
}

void AlertEngine::attemptFinished(const std::shared_ptr<Attempt> &job, bool ok, const QString &detail, bool retryable)
{
    AlertStore *alerts = store();
    const bool retry = !ok && retryable && job->attempts <= m_options.retryDelaysMs.size();
    DeliveryState state = ok ? DeliveryState::Sent : retry ? DeliveryState::Retrying : DeliveryState::Failed;
    QString shown = detail;
    if (retry) {
        const int delay = m_options.retryDelaysMs.at(job->attempts - 1);
        shown += QStringLiteral("; retrying in %1 s").arg(delay / 1000.0);
        QTimer::singleShot(delay, this, [this, job]() { attempt(job); });
    }
    if (alerts)
        alerts->updateDelivery(job->deliveryId, state, job->attempts, shown, now());
    if (!retry)
        --m_inFlight;
    spdlog::info("alert {} ({}) attempt {}: {}", job->deliveryId, deliveryStateKey(state).toStdString(), job->attempts,
        shown.toStdString());
    emit deliveryFinished(job->deliveryId, state, shown);
}

} // namespace faultline
