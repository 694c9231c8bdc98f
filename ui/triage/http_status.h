#pragma once
// How an HTTP status reads: its colour in badges and the Pages tab, its reason phrase.
#include <QColor>
#include <QString>

namespace faultline {

// 2xx green, 3xx blue, 4xx amber, 5xx red, unknown grey.
QColor httpStatusColor(int statusCode);
// "Not Found" for 404; "" for codes without a well-known name.
QString httpReasonPhrase(int statusCode);

} // namespace faultline
