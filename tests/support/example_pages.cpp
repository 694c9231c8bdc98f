#include "support/example_pages.h"

#include <QDebug>
#include <QFile>

namespace faultline::test {

QByteArray exampleServicePage(
    const QString &templateName, const QString &requestId, const QString &path, const QString &timestamp)
{
    QFile file(QStringLiteral(FAULTLINE_FIXTURES_DIR "/../../examples/django_service/templates/") + templateName);
    if (!file.open(QIODevice::ReadOnly)) {
        qWarning() << "example template missing:" << file.fileName();
        return {};
    }
    QString html = QString::fromUtf8(file.readAll());
    html.replace(QStringLiteral("{{ service_name }}"), QStringLiteral("orders-api"));
    html.replace(QStringLiteral("{{ request_id }}"), requestId);
    html.replace(QStringLiteral("{{ method }}"), QStringLiteral("GET"));
    html.replace(QStringLiteral("{{ path }}"), path);
    html.replace(QStringLiteral("{{ timestamp }}"), timestamp);
    html.replace(QStringLiteral("{{ status_code }}"), templateName.left(3));
    return html.toUtf8();
}

} // namespace faultline::test
