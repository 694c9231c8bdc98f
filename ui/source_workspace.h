#pragma once
// The window's link to the developer's checkout for the project on screen:
// its source roots, the editor and git tool the user chose, and launching
// them. Frame views ask it where a frame's file is and to open it. Changes
// apply at once in memory and are stored on the storage gateway's writer: a
// write waiting on the collector's lock must not hold the window.
#include "model/event.h"
#include "model/source_mapping.h"
#include "ui/disk_source.h"
#include "ui/editor_command.h"

#include <QFuture>
#include <QHash>
#include <QObject>
#include <QThreadPool>

#include <functional>
#include <memory>

namespace faultline {

class ProjectToolSettings;
class StorageGateway;

class SourceWorkspace : public QObject {
    Q_OBJECT
public:
    // Reads the roots on `storage`'s reader (once per project), stores on its writer.
    explicit SourceWorkspace(StorageGateway &storage, QObject *parent = nullptr);

    // The project's roots as last known at once; its stored ones (the first time) when the read
    // arrives. rootsChanged whenever they differ from those in effect.
    void setProject(qint64 projectId);
    qint64 projectId() const { return m_projectId; }
    StorageGateway &storage() const { return m_storage; }
    QList<SourceRoot> roots() const { return m_roots; }
    // rootsChanged at once; stored off the GUI thread (storeFailed says when that fails). False: no project.
    bool setRoots(const QList<SourceRoot> &roots, QString *error = nullptr);

    QString replayBaseUrl() const { return m_replayBaseUrl; }
    bool setReplayBaseUrl(const QString &baseUrl, QString *error = nullptr); // as setRoots
    // Blocks until every change asked for so far is stored (tests, shutdown).
    void waitForStored();

    // Where checkout I/O runs (existence checks, reads, git blame): a pool of its own, so a hung
    // mount stalls only that, not Qt's global pool (the MCP route, the roots guess).
    QThreadPool *diskPool() { return &m_diskPool; }

    // Where the frame's file would be under the project's roots; empty when unmapped. No disk access:
    // whether it is there is found out off the GUI thread (FrameView, FrameSourcePanel).
    QString mappedFile(const Frame &frame) const;
    // The checkout directory that holds `localFile` (its root's local side).
    QString checkoutFor(const QString &localFile) const;

    EditorSettings editorSettings() const { return m_editor; }
    void setEditorSettings(const EditorSettings &settings); // saves to QSettings
    // For tests: what the launchers see instead of the real PATH and environment.
    void setCommandEnvironment(const CommandEnvironment &environment) { m_environment = environment; }

    // Starts the editor detached; falls back to xdg-open when the chosen program is not installed.
    // Returns the command that ran (program empty and *error set on failure).
    ExternalCommand openInEditor(const QString &localFile, int line, int column, QString *error = nullptr);
    ExternalCommand openCommit(const QString &checkout, const QString &commit, QString *error = nullptr);

    // Reads a frame's lines from the checkout; runs on a worker thread. Tests hold it on a latch.
    using SourceReader = std::function<DiskContext(const QString &localFile, int line, int radius)>;
    SourceReader sourceReader() const { return m_reader; }
    void setSourceReader(SourceReader reader) { m_reader = std::move(reader); }

    // Replaces QProcess::startDetached, so tests can see the command without running an editor.
    using Launcher = std::function<bool(const ExternalCommand &)>;
    void setLauncher(Launcher launcher) { m_launcher = std::move(launcher); }

signals:
    void rootsChanged();
    void replayBaseUrlChanged();
    void storeFailed(const QString &error); // a root or replay URL change did not reach the database

private:
    struct StoredTools {
        QList<SourceRoot> roots;
        QString replayBaseUrl;
    };
    void applyProjectTools(qint64 projectId); // stored, overridden by what this window changed
    bool launch(const ExternalCommand &command);
    // Runs `write` on the storage writer; storeFailed when it fails.
    void store(std::function<bool(ProjectToolSettings &, QString *)> write);

    StorageGateway &m_storage;
    QFuture<void> m_lastStore; // the writer is serial: when this is done, every earlier store is
    qint64 m_projectId = 0;
    QList<SourceRoot> m_roots;
    QString m_replayBaseUrl;
    QHash<qint64, StoredTools> m_stored; // per project, as read from the database
    QHash<qint64, QList<SourceRoot>> m_rootsSet; // per project, as changed in this window
    QHash<qint64, QString> m_replayBaseUrlSet;
    QThreadPool m_diskPool;
    EditorSettings m_editor;
    CommandEnvironment m_environment;
    Launcher m_launcher;
    SourceReader m_reader;
};

} // namespace faultline
