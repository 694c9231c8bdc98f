#include "ui/source_roots_dialog.h"

#include "model/event_parser.h"
#include "model/query/query.h"
#include "storage/storage_error_text.h"
#include "storage/storage_gateway.h"
#include "storage/store_readers.h"
#include "ui/source_workspace.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QDirIterator>
#include <QFileDialog>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QProcess>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

#include <algorithm>

namespace faultline {

namespace {

constexpr int kGuessEvents = 200;

// The paths of the frames in the project's latest events (SDK order, duplicates kept out).
QStringList recentFramePaths(const EventReader &events, qint64 projectId)
{
    QStringList paths;
    QString error; // a failed read guesses from nothing: the dialog says no frame matched
    for (const EventRow &row :
        events.search(restrictedToProject(Query {}, projectId), kGuessEvents, 0, 0, true, &error)) {
        const auto event = parseEventJson(row.rawJson, EventDetail::Summary);
        if (!event)
            continue;
        QList<Frame> frames = event->threadFrames;
        for (const ExceptionValue &exception : event->exceptions)
            frames += exception.frames;
        for (const Frame &frame : frames)
            if (const QString path = frameSourcePath(frame); !path.isEmpty() && !paths.contains(path))
                paths.append(path);
    }
    return paths;
}

QStringList walkFiles(const QString &checkout, int limit)
{
    static const QStringList skipped = { QStringLiteral(".git"), QStringLiteral("node_modules"),
        QStringLiteral(".venv"), QStringLiteral("venv"), QStringLiteral("__pycache__"), QStringLiteral("build"),
        QStringLiteral("dist"), QStringLiteral("target") };
    QStringList files;
    const QString root = QDir(checkout).absolutePath();
    QDirIterator it(root, QDir::Files | QDir::NoDotAndDotDot, QDirIterator::Subdirectories);
    while (it.hasNext() && files.size() < limit) {
        const QString relative = it.next().mid(root.size() + 1);
        const QStringList parts = relative.split(QLatin1Char('/'));
        if (std::none_of(parts.begin(), parts.end() - 1, [](const QString &part) { return skipped.contains(part); }))
            files.append(relative);
    }
    return files;
}

} // namespace

QStringList SourceRootsDialog::checkoutFiles(const QString &checkout, int limit)
{
    QProcess git;
    git.setWorkingDirectory(checkout);
    git.start(QStringLiteral("git"), { QStringLiteral("ls-files"), QStringLiteral("-z") });
    if (git.waitForFinished(20'000) && git.exitStatus() == QProcess::NormalExit && git.exitCode() == 0) {
        QStringList files;
        for (const QByteArray &file : git.readAllStandardOutput().split('\0'))
            if (!file.isEmpty() && files.size() < limit)
                files.append(QString::fromUtf8(file));
        return files;
    }
    return walkFiles(checkout, limit);
}

SourceRootsDialog::SourceRootsDialog(SourceWorkspace *workspace, QWidget *parent)
    : QDialog(parent)
    , m_workspace(workspace)
    , m_table(new QTableWidget(0, 2, this))
    , m_guessLabel(new QLabel(this))
    , m_useGuess(new QPushButton(tr("Use This Mapping"), this))
    , m_editor(new QComboBox(this))
    , m_customEditor(new QLineEdit(this))
    , m_gitTool(new QComboBox(this))
    , m_customGitTool(new QLineEdit(this))
    , m_error(new QLabel(this))
{
    setWindowTitle(tr("Source Roots and Editor"));
    auto *layout = new QVBoxLayout(this);

    auto *rootsBox = new QGroupBox(tr("Where this project's files are on this machine"), this);
    auto *rootsLayout = new QVBoxLayout(rootsBox);
    m_table->setObjectName(QStringLiteral("sourceRootsTable"));
    m_table->setHorizontalHeaderLabels({ tr("Frames under"), tr("are in your checkout") });
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
    m_table->verticalHeader()->hide();
    m_table->setMinimumHeight(110);
    rootsLayout->addWidget(m_table);
    auto *rowButtons = new QHBoxLayout;
    auto *add = new QPushButton(tr("Add"), rootsBox);
    auto *remove = new QPushButton(tr("Remove"), rootsBox);
    auto *guess = new QPushButton(tr("Guess from a Checkout…"), rootsBox);
    guess->setObjectName(QStringLiteral("guessSourceRoot"));
    guess->setToolTip(tr("Pick the folder of your checkout: the project's recent frames are matched to its files"));
    rowButtons->addWidget(add);
    rowButtons->addWidget(remove);
    rowButtons->addStretch(1);
    rowButtons->addWidget(guess);
    rootsLayout->addLayout(rowButtons);
    m_guessLabel->setObjectName(QStringLiteral("sourceRootGuess"));
    m_guessLabel->setWordWrap(true);
    m_guessLabel->setTextFormat(Qt::PlainText);
    m_guessLabel->hide();
    m_useGuess->hide();
    rootsLayout->addWidget(m_guessLabel);
    rootsLayout->addWidget(m_useGuess, 0, Qt::AlignRight);
    layout->addWidget(rootsBox);

    auto *editorBox = new QGroupBox(tr("Open frames in (all projects)"), this);
    auto *form = new QFormLayout(editorBox);
    for (EditorPreset preset : { EditorPreset::System, EditorPreset::VSCode, EditorPreset::JetBrains,
             EditorPreset::Kate, EditorPreset::Gedit, EditorPreset::TerminalEditor, EditorPreset::Custom })
        m_editor->addItem(EditorSettings::presetLabel(preset), int(preset));
    m_customEditor->setPlaceholderText(tr("e.g. subl {file}:{line}:{column}"));
    m_gitTool->addItem(tr("gitk if installed, else git show in a terminal"), int(GitToolPreset::Auto));
    m_gitTool->addItem(tr("git show in a terminal"), int(GitToolPreset::GitShowInTerminal));
    m_gitTool->addItem(tr("gitk"), int(GitToolPreset::Gitk));
    m_gitTool->addItem(tr("Custom command"), int(GitToolPreset::Custom));
    m_customGitTool->setPlaceholderText(tr("e.g. tig show {commit} (runs in {checkout})"));
    form->addRow(tr("Editor:"), m_editor);
    form->addRow(QString(), m_customEditor);
    form->addRow(tr("Git tool:"), m_gitTool);
    form->addRow(QString(), m_customGitTool);
    layout->addWidget(editorBox);

    m_error->setStyleSheet(QStringLiteral("color:#e53935"));
    m_error->hide();
    layout->addWidget(m_error);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    layout->addWidget(buttons);

    const EditorSettings settings = workspace->editorSettings();
    m_editor->setCurrentIndex(m_editor->findData(int(settings.editor)));
    m_customEditor->setText(settings.customEditor);
    m_gitTool->setCurrentIndex(m_gitTool->findData(int(settings.gitTool)));
    m_customGitTool->setText(settings.customGitTool);
    auto updateCustom = [this]() {
        m_customEditor->setVisible(m_editor->currentData().toInt() == int(EditorPreset::Custom));
        m_customGitTool->setVisible(m_gitTool->currentData().toInt() == int(GitToolPreset::Custom));
    };
    updateCustom();
    setRoots(workspace->roots());

    connect(m_editor, &QComboBox::currentIndexChanged, this, updateCustom);
    connect(m_gitTool, &QComboBox::currentIndexChanged, this, updateCustom);
    connect(add, &QPushButton::clicked, this, [this]() { addRow({}); });
    connect(remove, &QPushButton::clicked, this, [this]() {
        if (m_table->currentRow() >= 0)
            m_table->removeRow(m_table->currentRow());
    });
    connect(guess, &QPushButton::clicked, this, [this]() {
        const QString dir = QFileDialog::getExistingDirectory(this, tr("Your Checkout of This Project"));
        if (!dir.isEmpty())
            guessFrom(dir);
    });
    connect(&m_guess, &QFutureWatcher<std::optional<SourceRootGuess>>::finished, this, &SourceRootsDialog::showGuess);
    connect(m_useGuess, &QPushButton::clicked, this, &SourceRootsDialog::acceptGuess);
    connect(buttons, &QDialogButtonBox::accepted, this, &SourceRootsDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    resize(720, 480);
}

SourceRootsDialog *SourceRootsDialog::openFor(SourceWorkspace *workspace, QWidget *parent)
{
    auto *dialog = new SourceRootsDialog(workspace, parent);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->open();
    return dialog;
}

void SourceRootsDialog::addRow(const SourceRoot &root)
{
    const int row = m_table->rowCount();
    m_table->insertRow(row);
    m_table->setItem(row, 0, new QTableWidgetItem(root.remotePrefix));
    m_table->setItem(row, 1, new QTableWidgetItem(root.localRoot));
    if (root.remotePrefix.isEmpty())
        m_table->editItem(m_table->item(row, 0));
}

void SourceRootsDialog::setRoots(const QList<SourceRoot> &roots)
{
    m_table->setRowCount(0);
    for (const SourceRoot &root : roots)
        addRow(root);
}

QList<SourceRoot> SourceRootsDialog::roots() const
{
    QList<SourceRoot> roots;
    for (int row = 0; row < m_table->rowCount(); ++row) {
        const QString remote = m_table->item(row, 0) ? m_table->item(row, 0)->text().trimmed() : QString();
        const QString local = m_table->item(row, 1) ? m_table->item(row, 1)->text().trimmed() : QString();
        if (!remote.isEmpty() && !local.isEmpty())
            roots.append({ remote, local });
    }
    return roots;
}

void SourceRootsDialog::guessFrom(const QString &checkout)
{
    m_guessLabel->setText(tr("Matching the project's recent frames to the files in %1…").arg(checkout));
    m_guessLabel->show();
    m_useGuess->hide();
    const qint64 projectId = m_workspace->projectId();
    // The frames are read on the storage reader while the checkout is walked here (off the GUI thread).
    const QFuture<StorageResult<QStringList>> framePaths = m_workspace->storage().read(
        [projectId](StorageBackend &backend) { return recentFramePaths(backend.events(), projectId); });
    m_guess.setFuture(QtConcurrent::run([framePaths, checkout]() {
        const QStringList files = checkoutFiles(checkout);
        const StorageResult<QStringList> paths = framePaths.result();
        return guessSourceRoot(paths ? *paths : QStringList(), files, checkout);
    }));
}

void SourceRootsDialog::showGuess()
{
    m_proposal = m_guess.result();
    if (!m_proposal || m_proposal->matchedPaths == 0) {
        m_guessLabel->setText(tr("No frame of this project's recent events matches a file in that folder. "
                                 "Is it the right checkout? You can also add a mapping by hand."));
        m_useGuess->hide();
        return;
    }
    m_guessLabel->setText(tr("Frames under %1 are in %2: %3 of %4 app file paths match, e.g.\n%5")
                              .arg(m_proposal->root.remotePrefix, m_proposal->root.localRoot)
                              .arg(m_proposal->matchedPaths)
                              .arg(m_proposal->consideredPaths)
                              .arg(m_proposal->examples.join(QLatin1Char('\n'))));
    m_useGuess->show();
}

QString SourceRootsDialog::guessText() const { return m_guessLabel->text(); }

void SourceRootsDialog::acceptGuess()
{
    if (!m_proposal)
        return;
    QList<SourceRoot> current = roots();
    current.removeIf([this](const SourceRoot &root) { return root.remotePrefix == m_proposal->root.remotePrefix; });
    current.append(m_proposal->root);
    setRoots(current);
    m_useGuess->hide();
}

void SourceRootsDialog::accept()
{
    EditorSettings settings;
    settings.editor = EditorPreset(m_editor->currentData().toInt());
    settings.customEditor = m_customEditor->text().trimmed();
    settings.gitTool = GitToolPreset(m_gitTool->currentData().toInt());
    settings.customGitTool = m_customGitTool->text().trimmed();
    m_workspace->setEditorSettings(settings);
    QString error;
    if (!m_workspace->setRoots(roots(), &error)) {
        m_error->setText(tr("Could not store the source roots: %1").arg(shortErrorText(error)));
        m_error->setToolTip(error);
        m_error->show();
        return;
    }
    QDialog::accept();
}

} // namespace faultline
