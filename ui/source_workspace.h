#pragma once
// The window's link to the developer's checkout for the project on screen:
// its source roots, the editor and git tool the user chose, and launching
// them. Frame views ask it where a frame's file is and to open it.
#include "model/event.h"
#include "model/source_mapping.h"
#include "ui/disk_source.h"
#include "ui/editor_command.h"

#include <QObject>

#include <functional>
#include <memory>

namespace faultline {

class Database;

class SourceWorkspace : public QObject {
    Q_OBJECT
public:
    // Opens its own connection to `dbPath` when first needed.
    explicit SourceWorkspace(QString dbPath, QObject *parent = nullptr);
    ~SourceWorkspace() override;

    void setProject(qint64 projectId); // reads the project's roots; rootsChanged when they differ from the last
    qint64 projectId() const { return m_projectId; }
    QString databasePath() const { return m_dbPath; }
    QList<SourceRoot> roots() const { return m_roots; }
    bool setRoots(const QList<SourceRoot> &roots, QString *error = nullptr); // stores, then rootsChanged

    QString replayBaseUrl() const;
    bool setReplayBaseUrl(const QString &baseUrl, QString *error = nullptr);

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

private:
    Database *database();
    bool launch(const ExternalCommand &command);

    QString m_dbPath;
    std::unique_ptr<Database> m_db;
    qint64 m_projectId = 0;
    QList<SourceRoot> m_roots;
    EditorSettings m_editor;
    CommandEnvironment m_environment;
    Launcher m_launcher;
    SourceReader m_reader;
};

} // namespace faultline
