#include "x11_client.h"

#include <xcb/xcb.h>

#include <cstdlib>
#include <cstring>
#include <memory>

namespace faultline::test {

namespace {
template<typename T> using Reply = std::unique_ptr<T, decltype(&std::free)>;
template<typename T> Reply<T> reply(T *raw) { return Reply<T>(raw, &std::free); }
} // namespace

X11Client::X11Client()
{
    int screenNumber = 0;
    xcb_connection_t *connection = xcb_connect(nullptr, &screenNumber);
    if (xcb_connection_has_error(connection)) {
        xcb_disconnect(connection);
        return;
    }
    xcb_screen_iterator_t screens = xcb_setup_roots_iterator(xcb_get_setup(connection));
    for (int i = 0; i < screenNumber; ++i)
        xcb_screen_next(&screens);
    m_connection = connection;
    m_root = screens.data->root;
}

X11Client::~X11Client()
{
    if (m_connection)
        xcb_disconnect(m_connection);
}

quint32 X11Client::atom(const char *name)
{
    auto answer = reply(xcb_intern_atom_reply(
        m_connection, xcb_intern_atom(m_connection, 0, uint16_t(std::strlen(name)), name), nullptr));
    return answer ? answer->atom : quint32(XCB_ATOM_NONE);
}

QString X11Client::title(quint32 window)
{
    for (const char *property : { "_NET_WM_NAME", "WM_NAME" }) {
        auto answer = reply(xcb_get_property_reply(m_connection,
            xcb_get_property(m_connection, 0, window, atom(property), XCB_GET_PROPERTY_TYPE_ANY, 0, 1024), nullptr));
        if (answer && xcb_get_property_value_length(answer.get()) > 0)
            return QString::fromUtf8(static_cast<const char *>(xcb_get_property_value(answer.get())),
                xcb_get_property_value_length(answer.get()));
    }
    return {};
}

bool X11Client::isViewable(quint32 window)
{
    auto attributes = reply(
        xcb_get_window_attributes_reply(m_connection, xcb_get_window_attributes(m_connection, window), nullptr));
    return attributes && attributes->map_state == XCB_MAP_STATE_VIEWABLE;
}

QList<quint32> X11Client::viewableWindows(const QString &wanted)
{
    QList<quint32> found;
    if (!m_connection)
        return found;
    // Without a window manager, top-level windows are the root's own children.
    auto tree = reply(xcb_query_tree_reply(m_connection, xcb_query_tree(m_connection, m_root), nullptr));
    if (!tree)
        return found;
    const xcb_window_t *children = xcb_query_tree_children(tree.get());
    for (int i = 0; i < xcb_query_tree_children_length(tree.get()); ++i)
        if (isViewable(children[i]) && title(children[i]) == wanted)
            found.append(children[i]);
    return found;
}

bool X11Client::requestClose(quint32 window)
{
    if (!m_connection)
        return false;
    xcb_client_message_event_t event;
    std::memset(&event, 0, sizeof event);
    event.response_type = XCB_CLIENT_MESSAGE;
    event.format = 32;
    event.window = window;
    event.type = atom("WM_PROTOCOLS");
    event.data.data32[0] = atom("WM_DELETE_WINDOW");
    event.data.data32[1] = XCB_CURRENT_TIME;
    xcb_send_event(m_connection, 0, window, XCB_EVENT_MASK_NO_EVENT, reinterpret_cast<const char *>(&event));
    return xcb_flush(m_connection) > 0;
}

} // namespace faultline::test
