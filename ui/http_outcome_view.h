#pragma once
// What the service answered its own client: the status code, coloured by
// class, and the error body (e.g. DRF's {"error", "status_code"}) as
// indented JSON.
#include "model/event.h"

#include <QWidget>

class QLabel;
class QPlainTextEdit;

namespace faultline {

class HttpOutcomeView : public QWidget {
    Q_OBJECT
public:
    static constexpr int kMaxBodyLines = 20;

    explicit HttpOutcomeView(QWidget *parent = nullptr);

    // False (and cleared) when the event recorded neither a status nor a body (null counts as none).
    bool setOutcome(const HttpOutcome &outcome);

    QString statusText() const; // "422 Unprocessable Content", "" when unknown
    QString bodyText() const;

    // Objects and arrays indented; strings as they are; Undefined → "".
    static QString prettyBody(const QJsonValue &body);

private:
    void fitBodyHeight();

    QLabel *m_status;
    QPlainTextEdit *m_body;
    int m_statusCode = 0;
};

} // namespace faultline
