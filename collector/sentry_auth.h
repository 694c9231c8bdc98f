#pragma once
// Where a Sentry client puts its public key: X-Sentry-Auth, Authorization:
// Sentry …, the sentry_key query parameter, or an envelope header's dsn.
#include "collector/http_types.h"

#include <QString>

namespace faultline {

// "Sentry sentry_key=abc, sentry_version=7" -> "abc"; empty when absent.
QString sentryKeyFromAuthHeader(const QByteArray &headerValue);

// Header, then Authorization, then query string. Empty when none carries a key.
QString sentryKeyFromRequest(const HttpRequest &request);

// "http://abc@host:port/42" -> key "abc" (and project "42" into *projectId when given).
QString sentryKeyFromDsn(const QString &dsn, QString *projectId = nullptr);

} // namespace faultline
