#pragma once
// A strip across the top of the window for a condition the user must act on
// (the collector refusing events because the disk is nearly full): an icon, the
// text, and one button for the remedy. Hidden while there is nothing to say.
#include <QFrame>

class QLabel;
class QPushButton;

namespace faultline {

class WarningBanner : public QFrame {
    Q_OBJECT
public:
    // An empty `actionText`: no button (the condition ends by itself).
    WarningBanner(const QString &actionText, QWidget *parent = nullptr);

    void setMessage(const QString &text); // empty hides the banner
    QString message() const;

signals:
    void actionClicked();

private:
    QLabel *m_text;
    QPushButton *m_action;
};

} // namespace faultline
