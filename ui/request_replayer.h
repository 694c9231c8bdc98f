#pragma once
// Sends an event's request again, to the base URL the user typed, and
// reports what came back. Scrubbed headers are left out rather than sent as
// "[Filtered]"; redirects are not followed, so the request never reaches a
// host the user did not type.
#include "model/event.h"
#include "model/request_export.h"

#include <QList>
#include <QNetworkAccessManager>
#include <QObject>
#include <QPair>

namespace faultline {

struct ReplayPlan {
    QString method;
    QUrl url;
    QList<QPair<QByteArray, QByteArray>> headers; // as they will be sent
    QStringList leftOut; // scrubbed headers, not sent
    QByteArray body;

    bool isValid() const { return url.isValid() && !url.host().isEmpty(); }
    QString text() const; // the exact request, for the confirmation
};

struct ReplayResult {
    int status = 0; // 0 = no HTTP answer
    QString reason; // "OK", …
    QList<QPair<QByteArray, QByteArray>> headers;
    QByteArray body; // first kMaxBody bytes
    bool truncated = false;
    QString error; // network failure, timeout
    bool reproduced = false;
    QString verdict; // "The error reproduced: 500 again." / "Did not reproduce: 200 (the event had 500)."
};

// Plans the replay of `spec` against `baseUrl`; invalid when the base URL is not an http(s) URL with a host.
ReplayPlan planReplay(const HttpRequestSpec &spec, const QString &baseUrl);

// Whether the answer shows the event's error again: the same status as the
// service answered then, or a server error when that status is unknown.
bool errorReproduced(int replayStatus, const HttpOutcome &original);

class RequestReplayer : public QObject {
    Q_OBJECT
public:
    static constexpr qint64 kMaxBody = 256 * 1024;
    explicit RequestReplayer(QObject *parent = nullptr);

    void send(const ReplayPlan &plan, const HttpOutcome &original, int timeoutMs = 15000);
    bool isBusy() const { return m_busy; }

signals:
    void finished(const ReplayResult &result);

private:
    QNetworkAccessManager m_network;
    bool m_busy = false;
};

} // namespace faultline
