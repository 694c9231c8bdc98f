#include "ui/stack_trace_view.h"

#include "model/grouping.h"
#include "ui/frame_view.h"

#include <QPushButton>
#include <QVBoxLayout>

namespace faultline {

StackTraceView::StackTraceView(QWidget *parent)
    : QWidget(parent)
    , m_layout(new QVBoxLayout(this))
{
    m_layout->setContentsMargins(0, 0, 0, 0);
    m_layout->setSpacing(2);
}

void StackTraceView::setFrames(const QList<Frame> &frames, const QJsonObject &framesMeta)
{
    while (QLayoutItem *item = m_layout->takeAt(0)) {
        delete item->widget();
        delete item;
    }
    m_frames.clear();

    bool anyInApp = false;
    for (const Frame &frame : frames)
        anyInApp = anyInApp || isInApp(frame);

    bool expandedOne = false;
    QList<FrameView *> pendingRun; // consecutive library frames waiting to be folded
    auto flushRun = [&]() {
        if (pendingRun.isEmpty())
            return;
        auto *more = new QPushButton(
            pendingRun.size() == 1 ? tr("Show 1 more frame") : tr("Show %1 more frames").arg(pendingRun.size()), this);
        more->setFlat(true);
        more->setCursor(Qt::PointingHandCursor);
        more->setStyleSheet(QStringLiteral("text-align:left; padding:2px 8px;"));
        m_layout->addWidget(more);
        const QList<FrameView *> run = pendingRun;
        for (FrameView *view : run) {
            view->hide();
            m_layout->addWidget(view);
        }
        connect(more, &QPushButton::clicked, more, [more, run]() {
            for (FrameView *view : run)
                view->show();
            more->hide();
        });
        pendingRun.clear();
    };

    for (qsizetype i = frames.size() - 1; i >= 0; --i) {
        const Frame &frame = frames.at(i);
        const bool inApp = isInApp(frame);
        const bool crashing = i == frames.size() - 1;
        auto *view = new FrameView(frame, inApp, crashing, m_workspace, this);
        connect(view, &FrameView::activated, this, &StackTraceView::frameActivated);
        view->setVarsMeta(framesMeta.value(QString::number(i)).toObject().value(QLatin1String("vars")).toObject());
        m_frames.append(view);
        // The crashing frame always shows: it is where the error surfaced, app code or not.
        if (anyInApp && !inApp && !crashing) {
            pendingRun.append(view);
            continue;
        }
        flushRun();
        m_layout->addWidget(view);
        if (!expandedOne && (inApp || !anyInApp) && view->hasDetails()) {
            view->setExpanded(true);
            expandedOne = true;
        }
    }
    flushRun();
}

void StackTraceView::showAllFrames()
{
    for (int i = 0; i < m_layout->count(); ++i) {
        QWidget *widget = m_layout->itemAt(i)->widget();
        if (!widget)
            continue;
        if (qobject_cast<QPushButton *>(widget))
            widget->hide();
        else
            widget->show();
    }
}

FrameView *StackTraceView::firstExpandedFrame() const
{
    for (FrameView *view : m_frames)
        if (view->isExpanded())
            return view;
    return nullptr;
}

int StackTraceView::hiddenFrameCount() const
{
    int hidden = 0;
    for (const FrameView *view : m_frames)
        hidden += view->isHidden() ? 1 : 0;
    return hidden;
}

} // namespace faultline
