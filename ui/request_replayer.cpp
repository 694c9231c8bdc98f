#include "ui/request_replayer.h"

#include <QNetworkReply>
#include <QNetworkRequest>

namespace faultline {

QString ReplayPlan::text() const
{
    QStringList lines;
    lines << method + QLatin1Char(' ') + url.toString(QUrl::FullyEncoded);
    for (const auto &[name, value] : headers)
        lines << QString::fromUtf8(name + ": " + value);
    for (const QString &name : leftOut)
        lines << QStringLiteral("(not sent: %1, scrubbed)").arg(name);
    if (!body.isEmpty())
        lines << QString() << QString::fromUtf8(body);
    return lines.join(QLatin1Char('\n'));
}

ReplayPlan planReplay(const HttpRequestSpec &spec, const QString &baseUrl)
{
    ReplayPlan plan;
    plan.method = spec.method;
    plan.url = replayUrl(baseUrl, spec.url);
    for (const RequestHeader &header : spec.headers) {
        if (header.scrubbed)
            plan.leftOut.append(header.name);
        else
            plan.headers.append({ header.name.toUtf8(), header.value.toUtf8() });
    }
    plan.body = spec.body;
    return plan;
}

bool errorReproduced(int replayStatus, const HttpOutcome &original)
{
    if (replayStatus <= 0)
        return false;
    if (original.statusCode > 0)
        return replayStatus == original.statusCode;
    return replayStatus >= 500;
}

RequestReplayer::RequestReplayer(QObject *parent)
    : QObject(parent)
{
    // Never follow a redirect: its Location could name any host.
    m_network.setRedirectPolicy(QNetworkRequest::ManualRedirectPolicy);
}

void RequestReplayer::send(const ReplayPlan &plan, const HttpOutcome &original, int timeoutMs)
{
    if (m_busy || !plan.isValid())
        return;
    m_busy = true;
    QNetworkRequest request(plan.url);
    request.setTransferTimeout(timeoutMs);
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::ManualRedirectPolicy);
    for (const auto &[name, value] : plan.headers)
        request.setRawHeader(name, value);
    QNetworkReply *reply = m_network.sendCustomRequest(request, plan.method.toLatin1(), plan.body);
    connect(reply, &QNetworkReply::finished, this, [this, reply, original]() {
        reply->deleteLater();
        m_busy = false;
        ReplayResult result;
        result.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        result.reason = reply->attribute(QNetworkRequest::HttpReasonPhraseAttribute).toString();
        result.headers = reply->rawHeaderPairs();
        result.body = reply->read(kMaxBody);
        result.truncated = reply->bytesAvailable() > 0;
        // An HTTP error status is an answer, not a failure; only a missing answer is.
        if (result.status == 0)
            result.error = reply->errorString();
        result.reproduced = errorReproduced(result.status, original);
        if (result.status == 0)
            result.verdict = tr("No answer: %1").arg(result.error);
        else if (original.statusCode <= 0 && result.reproduced)
            result.verdict = tr("Server error again: %1 (the event did not record its status).").arg(result.status);
        else if (original.statusCode <= 0)
            result.verdict
                = tr("Answered %1; the event did not record its status: compare the bodies.").arg(result.status);
        else if (result.reproduced)
            result.verdict
                = tr("The error reproduced: %1 (the event had %2).").arg(result.status).arg(original.statusCode);
        else
            result.verdict
                = tr("Did not reproduce: %1 (the event had %2).").arg(result.status).arg(original.statusCode);
        emit finished(result);
    });
}

} // namespace faultline
