#pragma once
// The example Django service's real error templates (examples/django_service/
// templates), rendered the way Django renders them for one request: the pages
// a real service attaches to its events.
#include <QByteArray>
#include <QString>

namespace faultline::test {

// `templateName` is "500.html" or "404.html"; its status code is the name's first three characters.
QByteArray exampleServicePage(const QString &templateName,
    const QString &requestId = QStringLiteral("7c1e0f9a2b4d4e6f8a0b1c2d3e4f5a6b"),
    const QString &path = QStringLiteral("/reports/average"),
    const QString &timestamp = QStringLiteral("2026-11-25 22:42:36 UTC"));

} // namespace faultline::test
