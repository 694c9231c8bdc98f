#include "ui/startup_failure_dialog.h"

#include "ui/app_icon.h"

#include <QApplication>
#include <QDesktopServices>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QSpinBox>
#include <QStyle>
#include <QUrl>
#include <QVBoxLayout>

namespace faultline {

StartupFailureDialog::StartupFailureDialog(
    StartupFailure failure, QString logFile, quint16 suggestedPort, QWidget *parent)
    : QDialog(parent)
    , m_failure(std::move(failure))
    , m_logFile(std::move(logFile))
    , m_heading(new QLabel(m_failure.heading(), this))
    , m_explanation(new QLabel(m_failure.explanation(), this))
    , m_detail(new QLabel(m_failure.detail, this))
{
    setObjectName(QStringLiteral("startupFailureDialog"));
    setWindowTitle(tr("Faultline could not start"));
    setWindowIcon(applicationIcon());

    auto *icon = new QLabel(this);
    const int iconSize = style()->pixelMetric(QStyle::PM_MessageBoxIconSize, nullptr, this);
    icon->setPixmap(style()->standardIcon(QStyle::SP_MessageBoxCritical, nullptr, this).pixmap(iconSize, iconSize));
    icon->setAlignment(Qt::AlignTop);

    m_heading->setObjectName(QStringLiteral("startupHeading"));
    QFont headingFont = m_heading->font();
    headingFont.setBold(true);
    headingFont.setPointSizeF(headingFont.pointSizeF() * 1.15);
    m_heading->setFont(headingFont);
    m_heading->setWordWrap(true);
    m_heading->setTextFormat(Qt::PlainText);
    m_heading->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_explanation->setObjectName(QStringLiteral("startupExplanation"));
    m_explanation->setWordWrap(true);
    m_explanation->setTextFormat(Qt::PlainText);
    m_detail->setObjectName(QStringLiteral("startupDetail"));
    m_detail->setWordWrap(true);
    m_detail->setTextFormat(Qt::PlainText);
    m_detail->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_detail->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_detail->setForegroundRole(QPalette::PlaceholderText);
    m_detail->setVisible(!m_failure.detail.isEmpty());

    auto *text = new QVBoxLayout;
    text->addWidget(m_heading);
    text->addWidget(m_explanation);
    text->addWidget(m_detail);

    // The remedy that fits the problem comes first, inline where it needs a value.
    if (m_failure.problem == StartupProblem::PortInUse) {
        m_port = new QSpinBox(this);
        m_port->setObjectName(QStringLiteral("startupPort"));
        m_port->setRange(1, 65535);
        m_port->setValue(suggestedPort);
        m_usePort = new QPushButton(tr("Use This Port"), this);
        m_usePort->setObjectName(QStringLiteral("startupUsePort"));
        m_usePort->setDefault(true);
        auto *portRow = new QHBoxLayout;
        portRow->addWidget(new QLabel(tr("Listen on port:"), this));
        portRow->addWidget(m_port);
        portRow->addWidget(m_usePort);
        portRow->addStretch(1);
        text->addSpacing(6);
        text->addLayout(portRow);
        connect(m_usePort, &QPushButton::clicked, this, [this]() { finish(Choice::UseAnotherPort); });
    }
    text->addStretch(1);

    auto *top = new QHBoxLayout;
    top->addWidget(icon, 0, Qt::AlignTop);
    top->addSpacing(8);
    top->addLayout(text, 1);

    auto *buttons = new QDialogButtonBox(this);
    if (m_failure.problem != StartupProblem::PortInUse && m_failure.problem != StartupProblem::AlreadyCollecting) {
        m_openDatabase = buttons->addButton(tr("Open Another Database…"), QDialogButtonBox::ActionRole);
        m_openDatabase->setObjectName(QStringLiteral("startupOpenDatabase"));
        m_openDatabase->setDefault(true);
        connect(m_openDatabase, &QPushButton::clicked, this, [this]() {
            const QString path = QFileDialog::getSaveFileName(this, tr("Open or create a Faultline database"),
                QFileInfo(m_failure.dbPath).absolutePath(), tr("Faultline databases (*.db);;All files (*)"), nullptr,
                QFileDialog::DontConfirmOverwrite);
            if (!path.isEmpty())
                chooseDatabase(path);
        });
    }
    if (!m_logFile.isEmpty() && QFileInfo::exists(m_logFile)) {
        m_openLog = buttons->addButton(tr("Open Log"), QDialogButtonBox::HelpRole);
        m_openLog->setObjectName(QStringLiteral("startupOpenLog"));
        connect(m_openLog, &QPushButton::clicked, this,
            [this]() { QDesktopServices::openUrl(QUrl::fromLocalFile(m_logFile)); });
    }
    m_retry = buttons->addButton(tr("Try Again"), QDialogButtonBox::ActionRole);
    m_retry->setObjectName(QStringLiteral("startupRetry"));
    connect(m_retry, &QPushButton::clicked, this, [this]() { finish(Choice::Retry); });
    QPushButton *quit = buttons->addButton(tr("Quit"), QDialogButtonBox::RejectRole);
    quit->setObjectName(QStringLiteral("startupQuit"));
    connect(quit, &QPushButton::clicked, this, [this]() { finish(Choice::Quit); });

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(top, 1);
    layout->addSpacing(8);
    layout->addWidget(buttons);
    setMinimumWidth(560);
}

quint16 StartupFailureDialog::port() const { return m_port ? quint16(m_port->value()) : 0; }

void StartupFailureDialog::chooseDatabase(const QString &path)
{
    m_databasePath = path;
    finish(Choice::OpenAnotherDatabase);
}

void StartupFailureDialog::finish(Choice choice)
{
    m_choice = choice;
    if (choice == Choice::Quit)
        reject();
    else
        accept();
}

} // namespace faultline
