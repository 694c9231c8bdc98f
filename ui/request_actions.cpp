#include "ui/request_actions.h"

#include "model/request_export.h"
#include "ui/replay_dialog.h"

#include <QApplication>
#include <QClipboard>
#include <QHBoxLayout>
#include <QToolButton>

namespace faultline {

RequestActions::RequestActions(QWidget *parent)
    : QWidget(parent)
    , m_copy(new QToolButton(this))
    , m_replay(new QToolButton(this))
{
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(4);
    m_copy->setObjectName(QStringLiteral("copyAsCurl"));
    m_copy->setText(tr("Copy as curl"));
    m_copy->setToolTip(tr("Copy the request as a curl command; scrubbed values stay [Filtered] and are listed"));
    m_replay->setObjectName(QStringLiteral("replayRequest"));
    m_replay->setText(tr("Replay…"));
    m_replay->setToolTip(tr("Send the request to a service you run and compare the answer"));
    layout->addWidget(m_copy);
    layout->addWidget(m_replay);
    connect(m_copy, &QToolButton::clicked, this, [this]() { QApplication::clipboard()->setText(curlText()); });
    connect(m_replay, &QToolButton::clicked, this, [this]() {
        auto *dialog = new ReplayDialog(m_event, m_workspace, window());
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        dialog->show();
    });
}

void RequestActions::setEvent(const Event &event)
{
    m_event = event;
    const bool hasUrl = requestSpecFromEvent(event.raw.value(QLatin1String("request")).toObject()).isValid();
    m_copy->setEnabled(hasUrl);
    m_replay->setEnabled(hasUrl);
}

QString RequestActions::curlText() const
{
    return curlCommand(requestSpecFromEvent(m_event.raw.value(QLatin1String("request")).toObject()));
}

} // namespace faultline
