#pragma once
// A minimal X11 client for desktop tests under Xvfb: finds the app's
// top-level windows by title and asks them to close the way a window
// manager does when the user clicks × (a WM_DELETE_WINDOW client message).
#include <QList>
#include <QString>

struct xcb_connection_t;

namespace faultline::test {

class X11Client {
public:
    X11Client(); // connects to $DISPLAY
    ~X11Client();
    X11Client(const X11Client &) = delete;
    X11Client &operator=(const X11Client &) = delete;

    bool isConnected() const { return m_connection != nullptr; }
    // Mapped, viewable top-level windows titled exactly `title`.
    QList<quint32> viewableWindows(const QString &title);
    bool isViewable(quint32 window);
    bool requestClose(quint32 window);

private:
    quint32 atom(const char *name);
    QString title(quint32 window);

    xcb_connection_t *m_connection = nullptr;
    quint32 m_root = 0;
};

} // namespace faultline::test
