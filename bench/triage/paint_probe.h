#pragma once
// Counts the Paint events a widget receives, for "until it has painted".
#include <QElapsedTimer>
#include <QEvent>
#include <QObject>
#include <QWidget>

#include <functional>

namespace faultline::bench {

class PaintProbe : public QObject {
public:
    // `ready`, when given, decides whether a paint counts (e.g. "the model has rows").
    explicit PaintProbe(QWidget *widget, std::function<bool()> ready = {})
        : QObject(widget)
        , m_ready(std::move(ready))
    {
        widget->installEventFilter(this);
    }

    int paints() const { return m_paints; }
    void reset() { m_paints = 0; }

protected:
    bool eventFilter(QObject *watched, QEvent *event) override
    {
        if (event->type() == QEvent::Paint && (!m_ready || m_ready()))
            ++m_paints; // counted before the paint runs; callers wait for the event loop to return after it
        return QObject::eventFilter(watched, event);
    }

private:
    std::function<bool()> m_ready;
    int m_paints = 0;
};

} // namespace faultline::bench
