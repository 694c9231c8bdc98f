#pragma once
// Where a frame's file lives on this machine: per-project source roots ("frames
// under /srv/app/ are ~/src/shop/"), like Sentry's code mappings but local, and
// the guess that proposes one from a project's frames and a checkout's files.
#include "model/event.h"

#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace faultline {

struct SourceRoot {
    QString remotePrefix; // as frames spell it, e.g. "/srv/app/"
    QString localRoot; // a directory here, e.g. "/home/ann/src/shop" ("~/" allowed)

    friend bool operator==(const SourceRoot &, const SourceRoot &) = default;
};

// The path a frame names: abs_path, else filename; "file://" stripped.
QString frameSourcePath(const Frame &frame);

// The local file for `remotePath` under the longest matching prefix; empty when
// no root applies. Never leaves the root ("../" in the rest refuses the match).
QString mapToLocal(const QList<SourceRoot> &roots, const QString &remotePath);

// "~/x" → "$HOME/x"; other paths unchanged.
QString expandHome(const QString &path);

struct SourceRootGuess {
    SourceRoot root;
    int matchedPaths = 0; // distinct frame paths the root maps onto an existing checkout file
    int consideredPaths = 0;
    QStringList examples; // "remote → local", a few
};

// Proposes the root that maps most of `framePaths` onto `checkoutFiles` (paths
// relative to `checkoutRoot`, '/'-separated) by the longest common suffix of
// path components. nullopt when no frame path shares at least its file name
// and one directory with a checkout file.
std::optional<SourceRootGuess> guessSourceRoot(
    const QStringList &framePaths, const QStringList &checkoutFiles, const QString &checkoutRoot);

} // namespace faultline
