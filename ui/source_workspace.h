#pragma once
// The window's link to the developer's checkout for the project on screen:
// its source roots, the editor and git tool the user chose, and launching
// them. Frame views ask it where a frame's file is and to open it.
#include "model/event.h"
#include "model/source_mapping.h"
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

    // The existing local file for the frame under the project's roots; empty when unmapped or missing.
    QString localFile(const Frame &frame) const;
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
};

} // namespace faultline
