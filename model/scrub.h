#pragma once
// Removes secrets from an event before it is stored: keeps the keys, replaces
// the values with "[Filtered]".
#include "model/json_dom_fwd.h"

#include "model/secret_text.h"

#include <QByteArray>
#include <QJsonObject>

#include <optional>

namespace faultline {

// Authorization/Cookie/Set-Cookie/X-Api-Key request headers (object or pairs, any case),
// request.cookies, extra.environ values, and any key anywhere named like a
// password/secret/token/api_key/session/csrf/credentials (vars, extra, data, contexts…).
// Returns whether anything was replaced (an untouched event can be stored as it was sent).
// `keep`: the project's opt-outs (ScrubOptOut bits, model/secret_text.h), rules that do not apply.
bool scrubSecrets(QJsonObject &event, unsigned keep = 0);

// Whether scrubSecrets() would change this event, read without building a Qt
// tree: true whenever it would (and, for cookies and form bodies, whenever it
// might). The collector rewrites only the events for which this is true.
bool needsScrubbing(const json::Node &event, unsigned keep = 0);

// A stored HTML page (UTF-8) with the free-text secrets every string of the
// event loses filtered out of its text and attributes alike: passwords in
// URLs, card numbers, SSNs, bearer tokens, secret query parameters
// (`?token=…`, `api_key=…`) and PEM private keys. Nothing when it holds none.
// Linear in the page's size; a page without a trigger is never decoded.
std::optional<QByteArray> scrubbedPage(const QByteArray &html, unsigned keep = 0);

// A project's opt-outs from their names, comma-separated ("creditcard,usssn"; Relay's
// names: creditcard, usssn, bearer, urlauth, pemkey); nothing (and *error) for an unknown one.
std::optional<unsigned> parseScrubOptOuts(const QString &names, QString *error = nullptr);
QString scrubOptOutNames(unsigned keep);

} // namespace faultline
