#pragma once
// The HTTP request the service was handling: method and URL on top, then
// query, headers, cookies and body as tables.
#include <QJsonObject>
#include <QWidget>

class QLabel;

namespace faultline {

class KeyValueTable;

class RequestView : public QWidget {
    Q_OBJECT
public:
    explicit RequestView(QWidget *parent = nullptr);

    // `request` is the event's raw "request" object; false when there is nothing to show.
    bool setRequest(const QJsonObject &request);

private:
    QLabel *m_line;
    QList<QPair<QLabel *, KeyValueTable *>> m_tables; // query, headers, cookies, body, env
};

} // namespace faultline
