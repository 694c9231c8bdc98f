#include "ui/settings_dialog.h"

#include "model/collector_address.h"
#include "storage/project_settings.h"
#include "storage/storage_error_text.h"
#include "storage/storage_gateway.h"
#include "storage/store_readers.h"
#include "ui/notification_rules_form.h"
#include "ui/settings_storage.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalBlocker>
#include <QSpinBox>
#include <QTabWidget>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

namespace faultline {

namespace {

QLabel *noteLabel(const QString &text, QWidget *parent)
{
    auto *label = new QLabel(text, parent);
    label->setWordWrap(true);
    label->setForegroundRole(QPalette::PlaceholderText);
    return label;
}

} // namespace

SettingsDialog::SettingsDialog(
    StorageGateway &storage, QList<Project> projects, qint64 selectedProjectId, QPalette systemPalette, QWidget *parent)
    : QDialog(parent)
    , m_storage(storage)
    , m_projects(std::move(projects))
    , m_selectedProjectId(selectedProjectId)
    , m_systemPalette(std::move(systemPalette))
    , m_initial(AppSettings::load())
    , m_listen(new QLineEdit(this))
    , m_dataDirectory(new QLineEdit(this))
    , m_minFreeMegabytes(new QSpinBox(this))
    , m_minFreePercent(new QSpinBox(this))
    , m_maxAgeDays(new QSpinBox(this))
    , m_maxEvents(new QSpinBox(this))
    , m_maxStoredMiB(new QSpinBox(this))
    , m_attachmentMiBPerHour(new QSpinBox(this))
    , m_scope(new QComboBox(this))
    , m_theme(new QComboBox(this))
    , m_keepCollecting(new QCheckBox(tr("Keep collecting when the window is closed"), this))
    , m_notifications(new NotificationRulesForm(m_projects, m_selectedProjectId, this))
    , m_userService(new QCheckBox(tr("Collect in the background as a user service"), this))
    , m_userServiceNote(new QLabel(this))
    , m_error(new QLabel(this))
{
    setWindowTitle(tr("Settings"));
    setObjectName(QStringLiteral("settingsDialog"));

    // Collector and storage: read once at start-up.
    auto *startup = new QGroupBox(tr("Collector and storage"), this);
    auto *startupForm = new QFormLayout(startup);
    m_listen->setObjectName(QStringLiteral("listenAddress"));
    m_listen->setPlaceholderText(QLatin1String(kDefaultCollectorHostPort));
    m_listen->setText(m_initial.listenAddress);
    m_dataDirectory->setObjectName(QStringLiteral("dataDirectory"));
    m_dataDirectory->setPlaceholderText(tr("default: %1").arg(QFileInfo(Database::defaultPath()).absolutePath()));
    m_dataDirectory->setText(m_initial.dataDirectory);
    auto *browse = new QPushButton(tr("Browse…"), this);
    auto *dataRow = new QHBoxLayout;
    dataRow->addWidget(m_dataDirectory, 1);
    dataRow->addWidget(browse);
    m_minFreeMegabytes->setObjectName(QStringLiteral("minFreeMegabytes"));
    m_minFreeMegabytes->setRange(0, 1'000'000);
    m_minFreeMegabytes->setSingleStep(256);
    m_minFreeMegabytes->setGroupSeparatorShown(true);
    m_minFreeMegabytes->setSuffix(tr(" MB"));
    m_minFreeMegabytes->setValue(m_initial.minFreeMegabytes);
    m_minFreePercent->setObjectName(QStringLiteral("minFreePercent"));
    m_minFreePercent->setRange(0, 50);
    m_minFreePercent->setSuffix(tr(" %"));
    m_minFreePercent->setValue(m_initial.minFreePercent);
    auto *diskRow = new QHBoxLayout;
    diskRow->addWidget(m_minFreeMegabytes);
    diskRow->addWidget(new QLabel(tr("or"), this));
    diskRow->addWidget(m_minFreePercent);
    diskRow->addWidget(new QLabel(tr("of the disk, whichever is smaller"), this), 1);
    const QString diskHelp = tr("While the disk holding the database has less free space than this, the collector "
                                "answers 507 instead of storing events, and resumes by itself when space returns. "
                                "0 MB and 0 % turn this off.");
    m_minFreeMegabytes->setToolTip(diskHelp);
    m_minFreePercent->setToolTip(diskHelp);
    startupForm->addRow(tr("Listen address:"), m_listen);
    startupForm->addRow(tr("Data directory:"), dataRow);
    startupForm->addRow(tr("Keep free on disk:"), diskRow);
    startupForm->addRow(noteLabel(tr("These apply when Faultline next starts. SDKs need the new DSN if the "
                                     "address changes; the data directory holds faultline.db and the log."),
        startup));

    // Retention: stored per project, read by the retention scheduler on its next run.
    auto *retention = new QGroupBox(tr("Retention"), this);
    auto *retentionForm = new QFormLayout(retention);
    m_scope->setObjectName(QStringLiteral("retentionScope"));
    for (const Project &project : m_projects)
        if (project.id == m_selectedProjectId)
            m_scope->addItem(tr("This project (%1)").arg(project.name), project.id);
    m_scope->addItem(tr("All projects"), qint64(0));
    m_maxAgeDays->setObjectName(QStringLiteral("maxAgeDays"));
    m_maxAgeDays->setRange(0, 36500);
    m_maxAgeDays->setSuffix(tr(" days"));
    m_maxAgeDays->setSpecialValueText(tr("keep forever"));
    m_maxEvents->setObjectName(QStringLiteral("maxEvents"));
    m_maxEvents->setRange(0, 100'000'000);
    m_maxEvents->setSingleStep(10'000);
    m_maxEvents->setGroupSeparatorShown(true);
    m_maxEvents->setSpecialValueText(tr("unlimited"));
    m_maxStoredMiB->setObjectName(QStringLiteral("maxStoredMiB"));
    m_maxStoredMiB->setRange(0, 100'000'000);
    m_maxStoredMiB->setSingleStep(1024);
    m_maxStoredMiB->setGroupSeparatorShown(true);
    m_maxStoredMiB->setSuffix(tr(" MiB"));
    m_maxStoredMiB->setSpecialValueText(tr("any size"));
    m_attachmentMiBPerHour->setObjectName(QStringLiteral("attachmentMiBPerHour"));
    m_attachmentMiBPerHour->setRange(0, 1'000'000);
    m_attachmentMiBPerHour->setSingleStep(10);
    m_attachmentMiBPerHour->setSuffix(tr(" MiB per hour"));
    m_attachmentMiBPerHour->setSpecialValueText(tr("unlimited"));
    retentionForm->addRow(tr("Apply to:"), m_scope);
    retentionForm->addRow(tr("Keep events for:"), m_maxAgeDays);
    retentionForm->addRow(tr("Keep at most:"), m_maxEvents);
    retentionForm->addRow(tr("Store at most:"), m_maxStoredMiB);
    retentionForm->addRow(tr("Accept attachments:"), m_attachmentMiBPerHour);
    retentionForm->addRow(noteLabel(tr("Older and surplus events are pruned in the background within minutes. "
                                       "The attachment quota applies from the next start; over it, events are "
                                       "kept without their attachments. Rate limits set with the CLI are kept."),
        retention));

    auto *appearance = new QGroupBox(tr("Desktop"), this);
    auto *appearanceForm = new QFormLayout(appearance);
    m_theme->setObjectName(QStringLiteral("theme"));
    m_theme->addItem(tr("System"), int(Theme::System));
    m_theme->addItem(tr("Light"), int(Theme::Light));
    m_theme->addItem(tr("Dark"), int(Theme::Dark));
    m_theme->setCurrentIndex(m_theme->findData(int(m_initial.theme)));
    appearanceForm->addRow(tr("Theme:"), m_theme);
    m_keepCollecting->setObjectName(QStringLiteral("keepCollecting"));
    m_keepCollecting->setChecked(m_initial.keepCollectingWhenClosed);
    m_keepCollecting->setToolTip(tr("Closing the window leaves Faultline in the tray so services can still "
                                    "report; Quit (Ctrl+Q) stops it. Off: closing the window quits."));
    appearanceForm->addRow(m_keepCollecting);
    m_userService->setObjectName(QStringLiteral("userService"));
    m_userService->setToolTip(tr("systemctl --user enable --now %1: the collector starts when you log in and runs "
                                 "without the window; the window opens as its viewer.")
                                  .arg(UserService::kUnit));
    m_userServiceNote->setObjectName(QStringLiteral("userServiceNote"));
    m_userServiceNote->setWordWrap(true);
    m_userServiceNote->setForegroundRole(QPalette::PlaceholderText);
    appearanceForm->addRow(m_userService);
    appearanceForm->addRow(m_userServiceNote);
    connect(&m_userServiceProbe, &QFutureWatcher<UserServiceState>::finished, this,
        [this]() { showUserServiceState(m_userServiceProbe.result()); });
    probeUserService();

    m_error->setObjectName(QStringLiteral("settingsError"));
    m_error->setWordWrap(true);
    m_error->setStyleSheet(QStringLiteral("color: #d32f2f"));
    m_error->hide();

    // Read on the storage reader; OK waits for it (see setLoading).
    setLoading(+1);
    readNotificationRules(m_storage, this, [this](const StorageResult<QString> &stored) {
        if (stored)
            m_initialRules = NotificationRules::fromJson(*stored);
        else
            showError(tr("Could not read the notification rules: %1."), storageErrorText(stored.error()));
        m_notifications->setRules(m_initialRules);
        setLoading(-1);
    });

    auto *general = new QWidget(this);
    auto *generalLayout = new QVBoxLayout(general);
    generalLayout->addWidget(startup);
    generalLayout->addWidget(retention);
    generalLayout->addWidget(appearance);
    generalLayout->addStretch(1);
    auto *notificationsPage = new QWidget(this);
    auto *notificationsLayout = new QVBoxLayout(notificationsPage);
    notificationsLayout->addWidget(m_notifications);
    notificationsLayout->addStretch(1);
    auto *tabs = new QTabWidget(this);
    tabs->setObjectName(QStringLiteral("settingsTabs"));
    tabs->addTab(general, tr("General"));
    tabs->addTab(notificationsPage, tr("Notifications"));

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    m_ok = buttons->button(QDialogButtonBox::Ok);
    m_ok->setEnabled(m_loading == 0);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(tabs);
    layout->addWidget(m_error);
    layout->addStretch(1);
    layout->addWidget(buttons);

    connect(buttons, &QDialogButtonBox::accepted, this, &SettingsDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &SettingsDialog::reject);
    connect(browse, &QPushButton::clicked, this, [this]() {
        const QString dir = QFileDialog::getExistingDirectory(this, tr("Data directory"), m_dataDirectory->text());
        if (!dir.isEmpty())
            m_dataDirectory->setText(dir);
    });
    connect(m_listen, &QLineEdit::textEdited, this, [this]() { showError({}); });
    connect(m_scope, &QComboBox::currentIndexChanged, this, &SettingsDialog::loadRetention);
    for (QSpinBox *limit : { m_maxAgeDays, m_maxEvents, m_maxStoredMiB, m_attachmentMiBPerHour })
        connect(limit, &QSpinBox::valueChanged, this, [this]() { m_retentionEdited |= !m_fillingRetention; });
    loadRetention();
}

bool SettingsDialog::appliesToAllProjects() const { return m_scope->currentData().toLongLong() == 0; }

QString SettingsDialog::errorText() const { return m_error->isVisibleTo(this) ? m_error->text() : QString(); }

void SettingsDialog::showError(const QString &text)
{
    m_error->setText(text);
    m_error->setToolTip({});
    m_error->setVisible(!text.isEmpty());
}

void SettingsDialog::showError(const QString &sentence, const QString &error)
{
    showError(sentence.arg(shortErrorText(error)));
    m_error->setToolTip(error);
}

void SettingsDialog::setLoading(int change)
{
    m_loading += change;
    // Nothing is stored from a form that does not show what is stored yet.
    if (m_ok)
        m_ok->setEnabled(m_loading == 0 && !m_applying);
    if (m_loading == 0 && change < 0)
        emit loaded();
}

void SettingsDialog::loadRetention()
{
    // The selected project's limits; for "all", the first project's as a starting point.
    const qint64 projectId = appliesToAllProjects() ? (m_projects.isEmpty() ? 0 : m_projects.first().id)
                                                    : m_scope->currentData().toLongLong();
    const quint64 serial = ++m_retentionSerial;
    setLoading(+1);
    m_storage.read([projectId](StorageBackend &backend) { return backend.limits().get(projectId); }, this,
        [this, projectId, serial](const StorageResult<ProjectSettings> &stored) {
            setLoading(-1);
            if (serial != m_retentionSerial)
                return; // the scope changed again meanwhile; its own read fills the form
            // No project (yet): the defaults are what it will get.
            if (!stored && stored.error().kind != StorageError::Kind::NotFound)
                showError(tr("Could not read the retention limits: %1."), storageErrorText(stored.error()));
            const ProjectSettings shown = stored ? *stored : ProjectSettings::defaults(projectId);
            m_fillingRetention = true;
            m_maxAgeDays->setValue(shown.maxAgeDays);
            m_maxEvents->setValue(int(qMin<qint64>(shown.maxEvents, m_maxEvents->maximum())));
            m_maxStoredMiB->setValue(int(qMin<qint64>(shown.maxStoredMiB, m_maxStoredMiB->maximum())));
            m_attachmentMiBPerHour->setValue(shown.attachmentMiBPerHour);
            m_fillingRetention = false;
            m_retentionEdited = false;
        });
}

bool SettingsDialog::apply()
{
    const QString problem = AppSettings::listenAddressProblem(m_listen->text());
    if (!problem.isEmpty()) {
        showError(problem);
        m_listen->setFocus();
        return false;
    }
    if (m_loading > 0 || m_applying)
        return false;
    StoredSettings wanted;
    // Limits the user did not touch are not written: a viewer of a shared database, who may not
    // change them, can still store the rest, and "All projects" never copies one project's limits.
    if (m_retentionEdited && appliesToAllProjects()) {
        for (const Project &project : std::as_const(m_projects))
            wanted.projectIds.append(project.id);
    } else if (m_retentionEdited) {
        wanted.projectIds.append(m_scope->currentData().toLongLong());
    }
    wanted.maxAgeDays = m_maxAgeDays->value();
    wanted.maxEvents = m_maxEvents->value();
    wanted.maxStoredMiB = m_maxStoredMiB->value();
    wanted.attachmentMiBPerHour = m_attachmentMiBPerHour->value();
    const NotificationRules rules = m_notifications->rules();
    if (rules != m_initialRules)
        wanted.rules = rules;
    m_applying = true;
    setLoading(0);
    // A write that may wait for the collector's lock during a flood: on the storage writer.
    StoredSettings inDatabase = wanted;
    if (notificationRulesPerDesktop(m_storage))
        inDatabase.rules.reset(); // this desktop's: stored below once the database part succeeded
    m_storage.write([inDatabase](StorageBackend &backend) { return storeSettings(backend, inDatabase); }, this,
        [this, wanted](const StorageResult<Result<void, QString>> &stored) {
            m_applying = false;
            setLoading(0);
            if (!stored || !stored->ok()) {
                if (stored)
                    showError(stored->error());
                else
                    showError(tr("Could not store the settings: %1."), storageErrorText(stored.error()));
                m_closeWhenApplied = false;
                emit applied(false);
                return;
            }
            if (wanted.rules && notificationRulesPerDesktop(m_storage))
                storeDesktopNotificationRules(m_storage, *wanted.rules);
            finishApply(wanted.rules);
        });
    return true;
}

void SettingsDialog::finishApply(const std::optional<NotificationRules> &storedRules)
{
    if (storedRules) { // stored: the window follows them even if the user service fails below
        m_initialRules = *storedRules;
        emit notificationRulesChanged(*storedRules);
    }
    QString error;
    if (!applyUserService(&error)) {
        showError(error);
        m_closeWhenApplied = false;
        emit applied(false);
        return;
    }
    AppSettings settings;
    settings.listenAddress = m_listen->text().trimmed();
    settings.dataDirectory = m_dataDirectory->text().trimmed();
    settings.theme = Theme(m_theme->currentData().toInt());
    settings.keepCollectingWhenClosed = m_keepCollecting->isChecked();
    settings.minFreeMegabytes = m_minFreeMegabytes->value();
    settings.minFreePercent = m_minFreePercent->value();
    settings.save();
    if (settings.theme != m_initial.theme) {
        applyTheme(settings.theme, m_systemPalette);
        emit themeChanged(settings.theme);
    }
    m_initial = settings;
    showError({});
    emit applied(true);
    if (std::exchange(m_closeWhenApplied, false))
        QDialog::accept();
}

void SettingsDialog::accept() { m_closeWhenApplied = apply(); }

QString SettingsDialog::userServiceNote() const { return m_userServiceNote->text(); }

void SettingsDialog::setThisProcessCollects(bool collects)
{
    m_thisProcessCollects = collects;
    if (m_userServiceState)
        showUserServiceState(*m_userServiceState);
}

void SettingsDialog::setUserService(UserService service)
{
    m_userServiceControl = std::move(service);
    probeUserService(); // a probe in flight keeps running; its result is not shown
}

void SettingsDialog::probeUserService()
{
    // systemctl can take a moment (or time out): not on the GUI thread.
    m_userServiceState.reset();
    m_userService->setEnabled(false);
    m_userServiceNote->setText(tr("Checking for a systemd user manager…"));
    m_userServiceProbe.setFuture(QtConcurrent::run([control = m_userServiceControl]() { return control.probe(); }));
}

void SettingsDialog::showUserServiceState(const UserServiceState &state)
{
    m_userServiceState = state;
    const QSignalBlocker quiet(m_userService);
    m_userService->setEnabled(state.available);
    m_userService->setChecked(state.enabled);
    if (!state.available)
        m_userServiceNote->setText(tr("Not available: %1").arg(state.unavailableReason));
    else if (m_thisProcessCollects)
        m_userServiceNote->setText(tr("Starts at your next login (this window collects until then) and keeps "
                                      "collecting without the window; the window then opens as its viewer."));
    else
        m_userServiceNote->setText(tr("Starts at login and keeps collecting without the window."));
}

bool SettingsDialog::applyUserService(QString *error)
{
    if (!m_userServiceState || !m_userServiceState->available
        || m_userService->isChecked() == m_userServiceState->enabled)
        return true;
    // A user action with a short timeout; systemctl answers in milliseconds when it answers at all.
    const QString problem = m_userServiceControl.setEnabled(m_userService->isChecked(), m_thisProcessCollects);
    if (!problem.isEmpty()) {
        *error = tr("Could not change the user service: %1").arg(problem);
        return false;
    }
    m_userServiceState->enabled = m_userService->isChecked();
    return true;
}

} // namespace faultline
