#include "ui/warning_banner.h"

#include <QApplication>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QStyle>

namespace faultline {

WarningBanner::WarningBanner(const QString &actionText, QWidget *parent)
    : QFrame(parent)
    , m_text(new QLabel(this))
    , m_action(new QPushButton(actionText, this))
{
    setObjectName(QStringLiteral("warningBanner"));
    // Amber with dark text reads as "act on this" in light and dark themes alike.
    setStyleSheet(QStringLiteral("#warningBanner { background: #fff3cd; border-bottom: 1px solid #e0b84c; }"
                                 "#warningBanner QLabel { color: #533f03; }"));
    auto *icon = new QLabel(this);
    icon->setPixmap(QApplication::style()->standardIcon(QStyle::SP_MessageBoxWarning).pixmap(20, 20));
    m_text->setObjectName(QStringLiteral("warningBannerText"));
    m_text->setWordWrap(true);
    m_text->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(10, 6, 10, 6);
    layout->addWidget(icon);
    layout->addWidget(m_text, 1);
    layout->addWidget(m_action);
    connect(m_action, &QPushButton::clicked, this, &WarningBanner::actionClicked);
    m_action->setVisible(!actionText.isEmpty()); // a condition that passes by itself needs no button
    hide();
}

void WarningBanner::setMessage(const QString &text)
{
    m_text->setText(text);
    setVisible(!text.isEmpty());
}

QString WarningBanner::message() const { return isVisibleTo(parentWidget()) ? m_text->text() : QString(); }

} // namespace faultline
