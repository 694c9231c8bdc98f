#include "ui/source_workspace.h"

#include "storage/database.h"
#include "storage/project_tools.h"

#include <QDir>
#include <QFileInfo>
#include <QProcess>
#include <QStandardPaths>

#include <spdlog/spdlog.h>

namespace faultline {

SourceWorkspace::SourceWorkspace(QString dbPath, QObject *parent)
    : QObject(parent)
    , m_dbPath(std::move(dbPath))
    , m_editor(EditorSettings::load())
    , m_environment(CommandEnvironment::current())
    , m_reader([](const QString &localFile, int line, int radius) { return readDiskContext(localFile, line, radius); })
{
}

SourceWorkspace::~SourceWorkspace() = default;

Database *SourceWorkspace::database()
{
    if (!m_db) {
        QString error;
        m_db = Database::open(m_dbPath, Database::Mode::ReadWrite, &error);
        if (!m_db)
            spdlog::warn("source roots: cannot open {}: {}", m_dbPath.toStdString(), error.toStdString());
    }
    return m_db.get();
}

void SourceWorkspace::setProject(qint64 projectId)
{
    Database *db = database();
    const QList<SourceRoot> roots = db && projectId > 0 ? ProjectToolsStore(*db).sourceRoots(projectId) : QList<SourceRoot>();
    // Frames only care about the mapping: another project with the same roots changes nothing on screen.
    const bool changed = roots != m_roots;
    m_projectId = projectId;
    m_roots = roots;
    if (changed)
        emit rootsChanged();
}

bool SourceWorkspace::setRoots(const QList<SourceRoot> &roots, QString *error)
{
    Database *db = database();
    if (!db || m_projectId <= 0) {
        if (error)
            *error = tr("No project is open.");
        return false;
    }
    ProjectToolsStore store(*db);
    if (!store.setSourceRoots(m_projectId, roots, error))
        return false;
    m_roots = store.sourceRoots(m_projectId);
    emit rootsChanged();
    return true;
}

QString SourceWorkspace::replayBaseUrl() const
{
    auto *self = const_cast<SourceWorkspace *>(this); // the lazily opened connection is not observable state
    Database *db = self->database();
    return db && m_projectId > 0 ? ProjectToolsStore(*db).replayBaseUrl(m_projectId) : QString();
}

bool SourceWorkspace::setReplayBaseUrl(const QString &baseUrl, QString *error)
{
    Database *db = database();
    if (!db || m_projectId <= 0) {
        if (error)
            *error = tr("No project is open.");
        return false;
    }
    if (!ProjectToolsStore(*db).setReplayBaseUrl(m_projectId, baseUrl.trimmed(), error))
        return false;
    emit replayBaseUrlChanged();
    return true;
}

QString SourceWorkspace::mappedFile(const Frame &frame) const
{
    return mapToLocal(m_roots, frameSourcePath(frame));
}

QString SourceWorkspace::checkoutFor(const QString &localFile) const
{
    QString best;
    for (const SourceRoot &root : m_roots) {
        const QString local = QDir::cleanPath(expandHome(root.localRoot));
        if (localFile.startsWith(local + QLatin1Char('/')) && local.size() > best.size())
            best = local;
    }
    return best.isEmpty() ? QFileInfo(localFile).absolutePath() : best;
}

void SourceWorkspace::setEditorSettings(const EditorSettings &settings)
{
    m_editor = settings;
    m_editor.save();
}

bool SourceWorkspace::launch(const ExternalCommand &command)
{
    if (m_launcher)
        return m_launcher(command);
    return QProcess::startDetached(command.program, command.arguments, command.workingDirectory);
}

ExternalCommand SourceWorkspace::openInEditor(const QString &localFile, int line, int column, QString *error)
{
    ExternalCommand command = editorCommand(m_editor, m_environment, localFile, line, column);
    const bool installed = command.isValid()
        && (m_launcher || !QStandardPaths::findExecutable(command.program).isEmpty()
            || QFileInfo(command.program).isExecutable());
    if (installed && launch(command))
        return command;
    // The chosen editor is missing (or a terminal editor without a terminal): the desktop's default still opens the file.
    const ExternalCommand fallback { QStringLiteral("xdg-open"), { localFile }, {} };
    spdlog::info("editor '{}' unavailable; opening {} with xdg-open", command.program.toStdString(),
        localFile.toStdString());
    if (launch(fallback))
        return fallback;
    if (error)
        *error = tr("Could not start %1 or xdg-open.").arg(command.program.isEmpty() ? tr("the editor") : command.program);
    return {};
}

ExternalCommand SourceWorkspace::openCommit(const QString &checkout, const QString &commit, QString *error)
{
    const ExternalCommand command = gitToolCommand(m_editor, m_environment, checkout, commit);
    if (!command.isValid()) {
        if (error)
            *error = tr("No terminal emulator found for git show; choose a git tool in the editor settings.");
        return {};
    }
    if (launch(command))
        return command;
    if (error)
        *error = tr("Could not start %1.").arg(command.program);
    return {};
}

} // namespace faultline
