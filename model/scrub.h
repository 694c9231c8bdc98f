#pragma once
// Removes secrets from an event before it is stored: keeps the keys, replaces
// the values with "[Filtered]".
#include <QJsonObject>

namespace faultline {

// Authorization/Cookie/Set-Cookie/X-Api-Key request headers (object or pairs, any case),
// request.cookies, extra.environ values, and any key anywhere named like a
// password/secret/token/api_key/session/csrf/credentials (vars, extra, data, contexts…).
// Returns whether anything was replaced (an untouched event can be stored as it was sent).
bool scrubSecrets(QJsonObject &event);

}  // namespace faultline
