#include "ui/frame_source_panel.h"

#include "ui/source_roots_dialog.h"
#include "ui/source_workspace.h"
#include "ui/triage/relative_time.h"

#include <QApplication>
#include <QClipboard>
#include <QDateTime>
#include <QHBoxLayout>
#include <QLabel>
#include <QTextDocumentFragment>
#include <QToolButton>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

namespace faultline {

namespace {

constexpr int kDefaultRadius = 5;

QLabel *smallLabel(QWidget *parent)
{
    auto *label = new QLabel(parent);
    label->setWordWrap(true);
    label->setMinimumWidth(1);
    label->setTextFormat(Qt::RichText);
    return label;
}

} // namespace

FrameSourcePanel::FrameSourcePanel(
    const Frame &frame, const QString &localFile, SourceWorkspace *workspace, bool blame, QWidget *parent)
    : QWidget(parent)
    , m_frame(frame)
    , m_localFile(localFile)
    , m_workspace(workspace)
    , m_blameWanted(blame)
    , m_note(smallLabel(this))
    , m_blameLabel(smallLabel(this))
    , m_copyCommit(new QToolButton(this))
    , m_showCommit(new QToolButton(this))
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(4);
    layout->addWidget(m_note);
    auto *blameRow = new QHBoxLayout;
    blameRow->addWidget(m_blameLabel, 1);
    blameRow->addWidget(m_copyCommit);
    blameRow->addWidget(m_showCommit);
    layout->addLayout(blameRow);
    m_note->setObjectName(QStringLiteral("frameSourceNote"));
    m_blameLabel->setObjectName(QStringLiteral("frameBlame"));
    m_blameLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_copyCommit->setText(tr("Copy commit"));
    m_showCommit->setText(tr("Show commit"));
    m_copyCommit->hide();
    m_showCommit->hide();
    m_blameLabel->hide();
    connect(m_note, &QLabel::linkActivated, this, [this]() {
        if (m_workspace)
            SourceRootsDialog::openFor(m_workspace, window());
    });
    connect(m_copyCommit, &QToolButton::clicked, this,
        [this]() { QApplication::clipboard()->setText(m_blameResult.commit); });
    connect(m_showCommit, &QToolButton::clicked, this, [this]() {
        QString error;
        if (m_workspace
            && !m_workspace->openCommit(m_workspace->checkoutFor(m_localFile), m_blameResult.commit, &error).isValid())
            m_showCommit->setToolTip(error);
    });
    const QString muted = palette().color(QPalette::PlaceholderText).name();
    if (localFile.isEmpty() || !workspace) {
        showNotFound(QString());
        return;
    }
    // A checkout on a slow or hung filesystem must not freeze the window: the file is read on the
    // thread pool, and the answer lands only while this panel (so this frame) is still shown.
    m_note->setText(tr("<span style=\"color:%1\">Reading %2…</span>").arg(muted, localFile.toHtmlEscaped()));
    const int radius = int(qMax<qsizetype>(kDefaultRadius, qMax(frame.preContext.size(), frame.postContext.size())));
    connect(&m_read, &QFutureWatcher<DiskContext>::finished, this, [this]() { showDiskContext(m_read.result()); });
    m_read.setFuture(
        QtConcurrent::run(workspace->diskPool(), workspace->sourceReader(), localFile, frame.lineno, radius));
}

void FrameSourcePanel::showNotFound(const QString &path)
{
    // Only app frames lead here: library code is not in the user's checkout.
    const QString muted = palette().color(QPalette::PlaceholderText).name();
    m_note->setText(tr("<span style=\"color:%1\">Not found on this machine%2.</span> "
                       "<a href=\"roots\">Set up source roots…</a>")
                        .arg(muted, path.isEmpty() ? QString() : QStringLiteral(": ") + path.toHtmlEscaped()));
}

void FrameSourcePanel::showDiskContext(const DiskContext &disk)
{
    m_disk = disk;
    m_readDone = true;
    if (disk.missing) {
        showNotFound(m_localFile);
        emit diskContextRead();
        return;
    }
    const Frame &frame = m_frame;
    const QString muted = palette().color(QPalette::PlaceholderText).name();
    const bool sdkSentContext = !frame.contextLine.isEmpty() || !frame.preContext.isEmpty();
    m_useDisk = !sdkSentContext && m_disk.ok();
    m_fileChanged = sdkSentContext && !sdkContextMatches(frame, m_disk);
    const QString path = m_localFile.toHtmlEscaped();
    if (m_useDisk)
        m_note->setText(tr("<span style=\"color:%1\">Source from your checkout: %2</span>").arg(muted, path));
    else if (m_fileChanged)
        m_note->setText(tr("<span style=\"color:#e0a100\">⚠ The file changed since this event:</span> "
                           "<span style=\"color:%1\">%2 no longer has these lines at line %3.</span>")
                            .arg(muted, path)
                            .arg(frame.lineno));
    else if (!sdkSentContext)
        m_note->setText(tr("<span style=\"color:%1\">%2: %3</span>").arg(muted, path, m_disk.error.toHtmlEscaped()));
    else
        m_note->setText(tr("<span style=\"color:%1\">Matches your checkout: %2</span>").arg(muted, path));
    emit diskContextRead();

    if (m_blameWanted && frame.lineno > 0) {
        m_blameLabel->setText(
            tr("<span style=\"color:%1\">Looking up who last changed line %2…</span>").arg(muted).arg(frame.lineno));
        m_blameLabel->show();
        connect(&m_blame, &QFutureWatcher<BlameResult>::finished, this, [this]() { showBlame(m_blame.result()); });
        m_blame.setFuture(blameLineAsync(m_workspace->diskPool(), m_localFile, frame.lineno));
    }
}

void FrameSourcePanel::showBlame(const BlameResult &result)
{
    m_blameResult = result;
    const QString muted = palette().color(QPalette::PlaceholderText).name();
    if (!result.ok()) {
        m_blameLabel->setText(
            tr("<span style=\"color:%1\">No blame: %2</span>").arg(muted, result.error.toHtmlEscaped()));
        return;
    }
    if (result.isUncommitted()) {
        m_blameLabel->setText(tr("<span style=\"color:%1\">Line %2 has changes not committed yet.</span>")
                                  .arg(muted)
                                  .arg(m_frame.lineno));
        return;
    }
    const qint64 ms = result.authorTime.toMSecsSinceEpoch();
    m_blameLabel->setText(
        tr("Suspect commit <b><code>%1</code></b> by %2, %3 "
           "<span style=\"color:%4\">(%5)</span>: %6")
            .arg(result.commit.left(10), result.author.toHtmlEscaped(),
                relativeTime(ms, QDateTime::currentMSecsSinceEpoch()), muted,
                result.authorTime.toString(QStringLiteral("yyyy-MM-dd")), result.summary.toHtmlEscaped()));
    m_blameLabel->setToolTip(
        tr("%1\n%2 <%3>\n%4")
            .arg(result.commit, result.author, result.authorMail, result.authorTime.toString(Qt::ISODate)));
    m_copyCommit->show();
    m_showCommit->show();
}

QString FrameSourcePanel::noteText() const { return QTextDocumentFragment::fromHtml(m_note->text()).toPlainText(); }

QString FrameSourcePanel::blameText() const
{
    return m_blameLabel->isHidden() ? QString() : QTextDocumentFragment::fromHtml(m_blameLabel->text()).toPlainText();
}

} // namespace faultline
