#pragma once
// What the Connect dialog offers to paste: SDK set-up for Django, DRF, plain
// Python, Node and curl, each filled in with the project's real DSN, and the
// coding agents' MCP configuration.
#include "storage/project_store.h"

#include <QList>
#include <QPair>
#include <QString>

namespace faultline {

// (tab title, text) for `project`; with a database path, also "Coding agent".
QList<QPair<QString, QString>> connectSnippets(
    const Project &project, const QString &collectorHostPort, const QString &dbPath = {});

} // namespace faultline
