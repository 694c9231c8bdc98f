#pragma once
// A titled, collapsible block of the issue detail (Exception, Breadcrumbs, …).
// Sections hide themselves when they have nothing to show.
#include <QWidget>

class QToolButton;
class QLabel;
class QHBoxLayout;
class QVBoxLayout;

namespace faultline {

class DetailSection : public QWidget {
    Q_OBJECT
public:
    explicit DetailSection(const QString &title, QWidget *parent = nullptr);

    void setContent(QWidget *content);
    void addHeaderWidget(QWidget *widget); // right-aligned buttons, e.g. "Raw", "Copy"
    void setSubtitle(const QString &text); // e.g. "12 entries"
    void setExpanded(bool expanded);
    bool isExpanded() const;

private:
    QToolButton *m_toggle;
    QLabel *m_subtitle;
    QHBoxLayout *m_header;
    QVBoxLayout *m_layout;
    QWidget *m_content = nullptr;
    bool m_expanded = true;
};

} // namespace faultline
