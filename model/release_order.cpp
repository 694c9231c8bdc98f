#include "model/release_order.h"

#include <QList>

namespace faultline {

namespace {

// "api@1.2.0-rc1+build5" → version part "1.2.0-rc1" (build metadata never orders, as in semver).
QString versionPart(const QString &release)
{
    QString version = release.mid(release.lastIndexOf(u'@') + 1);
    const qsizetype plus = version.indexOf(u'+');
    return plus >= 0 ? version.left(plus) : version;
}

// Runs of digits and of everything else: "1.10.0-rc2" → 1 . 10 . 0 -rc 2.
QList<QString> chunks(const QString &text)
{
    QList<QString> parts;
    for (qsizetype i = 0; i < text.size();) {
        const bool digits = text[i].isDigit();
        qsizetype end = i;
        while (end < text.size() && text[end].isDigit() == digits)
            ++end;
        parts.append(text.mid(i, end - i));
        i = end;
    }
    return parts;
}

int compareChunk(const QString &a, const QString &b)
{
    const bool numbers = !a.isEmpty() && !b.isEmpty() && a[0].isDigit() && b[0].isDigit();
    if (numbers) {
        QString x = a;
        QString y = b;
        while (x.size() > 1 && x[0] == u'0')
            x.remove(0, 1);
        while (y.size() > 1 && y[0] == u'0')
            y.remove(0, 1);
        if (x.size() != y.size())
            return x.size() < y.size() ? -1 : 1;
        return x.compare(y);
    }
    return a.compare(b);
}

} // namespace

int compareReleases(const QString &a, const QString &b)
{
    if (a == b)
        return 0;
    const QString packageA = a.left(qMax<qsizetype>(0, a.lastIndexOf(u'@')));
    const QString packageB = b.left(qMax<qsizetype>(0, b.lastIndexOf(u'@')));
    if (packageA != packageB)
        return packageA < packageB ? -1 : 1; // different packages: any fixed order will do
    const QString versionA = versionPart(a);
    const QString versionB = versionPart(b);
    const qsizetype dashA = versionA.indexOf(u'-');
    const qsizetype dashB = versionB.indexOf(u'-');
    const QList<QString> x = chunks(dashA >= 0 ? versionA.left(dashA) : versionA);
    const QList<QString> y = chunks(dashB >= 0 ? versionB.left(dashB) : versionB);
    for (qsizetype i = 0; i < qMin(x.size(), y.size()); ++i)
        if (const int c = compareChunk(x[i], y[i]); c != 0)
            return c < 0 ? -1 : 1;
    if (x.size() != y.size())
        return x.size() < y.size() ? -1 : 1;
    // Same core: a pre-release is older than the release; two pre-releases compare naturally.
    if ((dashA >= 0) != (dashB >= 0))
        return dashA >= 0 ? -1 : 1;
    const QList<QString> preA = chunks(versionA.mid(dashA + 1));
    const QList<QString> preB = chunks(versionB.mid(dashB + 1));
    for (qsizetype i = 0; i < qMin(preA.size(), preB.size()); ++i)
        if (const int c = compareChunk(preA[i], preB[i]); c != 0)
            return c < 0 ? -1 : 1;
    if (preA.size() != preB.size())
        return preA.size() < preB.size() ? -1 : 1;
    return a < b ? -1 : 1;
}

} // namespace faultline
