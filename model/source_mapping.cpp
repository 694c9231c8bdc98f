#include "model/source_mapping.h"

#include <QDir>
#include <QHash>
#include <QMap>
#include <QSet>

#include <algorithm>

namespace faultline {

namespace {

QString withTrailingSlash(QString path)
{
    if (!path.endsWith(QLatin1Char('/')))
        path += QLatin1Char('/');
    return path;
}

// Installed packages are never the user's checkout, even when a vendored copy shares their names.
bool isLibraryPath(const QString &path)
{
    return path.contains(QLatin1String("/site-packages/")) || path.contains(QLatin1String("/dist-packages/"))
        || path.contains(QLatin1String("/node_modules/")) || path.startsWith(QLatin1String("/usr/lib/"));
}

int commonSuffixLength(const QStringList &a, const QStringList &b)
{
    int k = 0;
    while (k < a.size() && k < b.size() && a.at(a.size() - 1 - k) == b.at(b.size() - 1 - k))
        ++k;
    return k;
}

QString joinFirst(const QStringList &parts, qsizetype count) { return parts.mid(0, count).join(QLatin1Char('/')); }

} // namespace

QString frameSourcePath(const Frame &frame)
{
    QString path = frame.absPath.isEmpty() ? frame.filename : frame.absPath;
    if (path.startsWith(QLatin1String("file://")))
        path = path.mid(7);
    return path;
}

QString expandHome(const QString &path)
{
    if (path == QLatin1String("~"))
        return QDir::homePath();
    if (path.startsWith(QLatin1String("~/")))
        return QDir::homePath() + path.mid(1);
    return path;
}

QString mapToLocal(const QList<SourceRoot> &roots, const QString &remotePath)
{
    const SourceRoot *best = nullptr;
    for (const SourceRoot &root : roots) {
        const QString prefix = withTrailingSlash(root.remotePrefix);
        if (root.remotePrefix.isEmpty() || root.localRoot.isEmpty() || !remotePath.startsWith(prefix))
            continue;
        if (!best || prefix.size() > withTrailingSlash(best->remotePrefix).size())
            best = &root;
    }
    if (!best)
        return {};
    const QString rest = remotePath.mid(withTrailingSlash(best->remotePrefix).size());
    if (rest.isEmpty() || rest.split(QLatin1Char('/')).contains(QLatin1String("..")))
        return {};
    return QDir::cleanPath(withTrailingSlash(expandHome(best->localRoot)) + rest);
}

std::optional<SourceRootGuess> guessSourceRoot(
    const QStringList &framePaths, const QStringList &checkoutFiles, const QString &checkoutRoot)
{
    QHash<QString, QList<QStringList>> filesByName;
    QSet<QString> checkoutSet;
    for (const QString &file : checkoutFiles) {
        const QStringList parts = file.split(QLatin1Char('/'), Qt::SkipEmptyParts);
        if (parts.isEmpty())
            continue;
        filesByName[parts.last()].append(parts);
        checkoutSet.insert(parts.join(QLatin1Char('/')));
    }

    const QString root = QDir::cleanPath(checkoutRoot);
    QStringList considered;
    QMap<QPair<QString, QString>, int> votes;
    for (const QString &path : QSet<QString>(framePaths.begin(), framePaths.end())) {
        if (!path.startsWith(QLatin1Char('/')) || isLibraryPath(path))
            continue;
        considered.append(path);
        const QStringList parts = path.split(QLatin1Char('/'), Qt::SkipEmptyParts);
        int bestLength = 0;
        QStringList bestFile;
        for (const QStringList &candidate : filesByName.value(parts.last())) {
            const int k = commonSuffixLength(parts, candidate);
            // A file name alone proves little, unless it is the whole checkout path (manage.py at the top).
            const bool convincing = k >= 2 || k == candidate.size();
            if (convincing && (k > bestLength || (k == bestLength && candidate.size() < bestFile.size()))) {
                bestLength = k;
                bestFile = candidate;
            }
        }
        if (bestLength == 0)
            continue;
        const QString remote = QLatin1Char('/') + joinFirst(parts, parts.size() - bestLength);
        const QString localRest = joinFirst(bestFile, bestFile.size() - bestLength);
        const QString local = localRest.isEmpty() ? root : root + QLatin1Char('/') + localRest;
        votes[{ withTrailingSlash(remote), local }] += 1;
    }
    if (votes.isEmpty())
        return std::nullopt;

    const auto winner = std::max_element(votes.constBegin(), votes.constEnd());
    SourceRootGuess guess;
    guess.root = SourceRoot { winner.key().first, winner.key().second };
    guess.consideredPaths = int(considered.size());
    std::sort(considered.begin(), considered.end());
    for (const QString &path : considered) {
        const QString local = mapToLocal({ guess.root }, path);
        if (local.isEmpty() || !local.startsWith(withTrailingSlash(root))
            || !checkoutSet.contains(local.mid(root.size() + 1)))
            continue;
        ++guess.matchedPaths;
        if (guess.examples.size() < 3)
            guess.examples.append(path + QStringLiteral(" → ") + local);
    }
    return guess;
}

} // namespace faultline
