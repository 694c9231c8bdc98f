#pragma once
// The frames of one exception, most recent call first (as Sentry shows them).
// Library frames between app frames are folded behind "Show N more frames".
#include "model/event.h"

#include <QJsonObject>
#include <QWidget>

class QVBoxLayout;

namespace faultline {

class FrameView;
class SourceWorkspace;

class StackTraceView : public QWidget {
    Q_OBJECT
public:
    explicit StackTraceView(QWidget *parent = nullptr);

    // Frames built afterwards can open in the editor and show blame; may be null.
    void setSourceWorkspace(SourceWorkspace *workspace) { m_workspace = workspace; }
    // `frames` oldest first, as in the event. `framesMeta`: the event's `_meta` for
    // this stacktrace's "frames" ({"3": {"vars": {"": {"len": 22}}}}), to mark trimmed locals.
    void setFrames(const QList<Frame> &frames, const QJsonObject &framesMeta = {});
    QList<FrameView *> frameViews() const { return m_frames; }
    void showAllFrames();
    int hiddenFrameCount() const;
    FrameView *firstExpandedFrame() const;

signals:
    void frameActivated(FrameView *view);

private:
    QVBoxLayout *m_layout;
    QList<FrameView *> m_frames; // display order: newest first
    SourceWorkspace *m_workspace = nullptr;
};

} // namespace faultline
