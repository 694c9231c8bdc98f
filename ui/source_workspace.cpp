#include "ui/source_workspace.h"

#include "storage/project_tools.h"
#include "storage/storage_gateway.h"

#include <QDir>
#include <QFileInfo>
#include <QProcess>
#include <QStandardPaths>

#include <spdlog/spdlog.h>

namespace faultline {

SourceWorkspace::SourceWorkspace(StorageGateway &storage, QObject *parent)
    : QObject(parent)
    , m_storage(storage)
    , m_editor(EditorSettings::load())
    , m_environment(CommandEnvironment::current())
    , m_reader([](const QString &localFile, int line, int radius) { return readDiskContext(localFile, line, radius); })
{
    m_diskPool.setMaxThreadCount(4); // a few blocked reads leave room for the next frame's
}

void SourceWorkspace::setProject(qint64 projectId)
{
    m_projectId = projectId;
    if (projectId <= 0 || m_stored.contains(projectId)) {
        applyProjectTools(projectId);
        return;
    }
    // Read once per project, off the GUI thread; frames show unmapped until it arrives (rootsChanged then).
    m_storage.read(
        [projectId](StorageBackend &backend) {
            const ProjectToolSettings &tools = backend.projectTools();
            return StoredTools { tools.sourceRoots(projectId), tools.replayBaseUrl(projectId) };
        },
        this,
        [this, projectId](const StorageResult<StoredTools> &read) {
            m_stored.insert(projectId, read ? *read : StoredTools {});
            if (m_projectId == projectId)
                applyProjectTools(projectId);
        });
}

void SourceWorkspace::applyProjectTools(qint64 projectId)
{
    const StoredTools stored = m_stored.value(projectId);
    // What this window changed wins over the database, where the change may still be on its way.
    const QList<SourceRoot> roots = m_rootsSet.contains(projectId) ? m_rootsSet.value(projectId) : stored.roots;
    const QString replayBaseUrl
        = m_replayBaseUrlSet.contains(projectId) ? m_replayBaseUrlSet.value(projectId) : stored.replayBaseUrl;
    // Frames only care about the mapping: another project with the same roots changes nothing on screen.
    const bool rootsDiffer = roots != m_roots;
    const bool replayDiffers = replayBaseUrl != m_replayBaseUrl;
    m_roots = roots;
    m_replayBaseUrl = replayBaseUrl;
    if (rootsDiffer)
        emit rootsChanged();
    if (replayDiffers)
        emit replayBaseUrlChanged();
}

bool SourceWorkspace::setRoots(const QList<SourceRoot> &roots, QString *error)
{
    if (m_projectId <= 0) {
        if (error)
            *error = tr("No project is open.");
        return false;
    }
    m_roots = roots;
    m_rootsSet.insert(m_projectId, roots);
    emit rootsChanged();
    store([project = m_projectId, roots](ProjectToolSettings &tools, QString *storeError) {
        return tools.setSourceRoots(project, roots, storeError);
    });
    return true;
}

bool SourceWorkspace::setReplayBaseUrl(const QString &baseUrl, QString *error)
{
    if (m_projectId <= 0) {
        if (error)
            *error = tr("No project is open.");
        return false;
    }
    m_replayBaseUrl = baseUrl.trimmed();
    m_replayBaseUrlSet.insert(m_projectId, m_replayBaseUrl);
    emit replayBaseUrlChanged();
    store([project = m_projectId, url = m_replayBaseUrl](ProjectToolSettings &tools, QString *storeError) {
        return tools.setReplayBaseUrl(project, url, storeError);
    });
    return true;
}

void SourceWorkspace::store(std::function<bool(ProjectToolSettings &, QString *)> write)
{
    // The writer runs changes in the order they were made.
    const auto stored = m_storage.write([write = std::move(write)](StorageBackend &backend) -> Result<void, QString> {
        QString error;
        if (write(backend.projectTools(), &error))
            return {};
        return error;
    });
    StorageGateway::deliver(stored, this, [this](const StorageResult<Result<void, QString>> &outcome) {
        if (outcome && outcome->ok())
            return;
        const QString error = outcome ? outcome->error() : storageErrorText(outcome.error());
        spdlog::warn("source roots: storing a change failed: {}", error.toStdString());
        emit storeFailed(error);
    });
    m_lastStore = QFuture<void>(stored);
}

void SourceWorkspace::waitForStored() { m_lastStore.waitForFinished(); }

QString SourceWorkspace::mappedFile(const Frame &frame) const { return mapToLocal(m_roots, frameSourcePath(frame)); }

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
    // The chosen editor is missing (or a terminal editor without a terminal): the desktop's default still opens the
    // file.
    const ExternalCommand fallback { QStringLiteral("xdg-open"), { localFile }, {} };
    spdlog::info(
        "editor '{}' unavailable; opening {} with xdg-open", command.program.toStdString(), localFile.toStdString());
    if (launch(fallback))
        return fallback;
    if (error)
        *error
            = tr("Could not start %1 or xdg-open.").arg(command.program.isEmpty() ? tr("the editor") : command.program);
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
