#include "ui/detail_section.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QToolButton>
#include <QVBoxLayout>

namespace faultline {

DetailSection::DetailSection(const QString &title, QWidget *parent)
    : QWidget(parent)
    , m_toggle(new QToolButton(this))
    , m_subtitle(new QLabel(this))
    , m_header(new QHBoxLayout)
    , m_layout(new QVBoxLayout(this))
{
    m_toggle->setText(title);
    m_toggle->setAutoRaise(true);
    m_toggle->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    m_toggle->setArrowType(Qt::DownArrow);
    QFont font = m_toggle->font();
    font.setBold(true);
    font.setPointSizeF(font.pointSizeF() * 1.1);
    m_toggle->setFont(font);
    m_subtitle->setForegroundRole(QPalette::PlaceholderText);

    m_header->setContentsMargins(0, 0, 0, 0);
    m_header->addWidget(m_toggle);
    m_header->addWidget(m_subtitle);
    m_header->addStretch(1);

    m_layout->setContentsMargins(0, 6, 0, 6);
    m_layout->setSpacing(4);
    m_layout->addLayout(m_header);

    m_toggle->setCursor(Qt::PointingHandCursor);
    connect(m_toggle, &QToolButton::clicked, this, [this]() { setExpanded(!m_expanded); });
}

void DetailSection::setContent(QWidget *content)
{
    m_content = content;
    m_layout->addWidget(content);
    content->setVisible(m_expanded);
}

void DetailSection::addHeaderWidget(QWidget *widget) { m_header->addWidget(widget); }

void DetailSection::setSubtitle(const QString &text) { m_subtitle->setText(text); }

void DetailSection::setExpanded(bool expanded)
{
    m_expanded = expanded;
    m_toggle->setArrowType(expanded ? Qt::DownArrow : Qt::RightArrow);
    if (m_content)
        m_content->setVisible(expanded);
}

bool DetailSection::isExpanded() const { return m_expanded; }

} // namespace faultline
