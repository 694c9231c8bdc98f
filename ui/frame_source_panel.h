#pragma once
// Under an expanded frame: where its source came from ("from your checkout"),
// whether the file changed since the event, and the suspect commit from
// `git blame` of the frame's line, with buttons to copy it or open it in the
// user's git tool. Unmapped app frames get a link to set up source roots.
#include "model/event.h"
#include "ui/disk_source.h"
#include "ui/git_blame.h"

#include <QFutureWatcher>
#include <QWidget>

#include <optional>

class QLabel;
class QToolButton;

namespace faultline {

class SourceWorkspace;

class FrameSourcePanel : public QWidget {
    Q_OBJECT
public:
    // `localFile`: the frame's mapped path, empty = unmapped. The file is read and blamed off the GUI
    // thread; diskContextRead() says when the note and diskContext() are known.
    // `blame`: run git blame for the line (crash line, app frames).
    FrameSourcePanel(const Frame &frame, const QString &localFile, SourceWorkspace *workspace, bool blame,
        QWidget *parent = nullptr);

    bool isRead() const { return m_readDone; }
    // The lines from disk, when the SDK sent none and the file has the line.
    std::optional<DiskContext> diskContext() const { return m_useDisk ? std::optional(m_disk) : std::nullopt; }
    bool fileChanged() const { return m_fileChanged; }
    QString noteText() const; // as shown, plain text
    QString blameText() const; // as shown, plain text; empty until git answered
    QFuture<BlameResult> blameFuture() const { return m_blame.future(); }
    BlameResult blameResult() const { return m_blameResult; }

signals:
    void diskContextRead();

private:
    void showNotFound(const QString &path);
    void showDiskContext(const DiskContext &disk);
    void showBlame(const BlameResult &result);

    Frame m_frame;
    QString m_localFile;
    SourceWorkspace *m_workspace;
    bool m_blameWanted;
    bool m_readDone = false;
    DiskContext m_disk;
    bool m_useDisk = false;
    bool m_fileChanged = false;
    BlameResult m_blameResult;
    QLabel *m_note;
    QLabel *m_blameLabel;
    QToolButton *m_copyCommit;
    QToolButton *m_showCommit;
    QFutureWatcher<DiskContext> m_read;
    QFutureWatcher<BlameResult> m_blame;
};

} // namespace faultline
