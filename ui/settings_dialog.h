#pragma once
// Settings…: where the collector listens and where the data lives (both take
// effect on the next start, and say so), how long projects keep events
// (stored per project with ProjectSettingsStore, for the selected project or
// all), the colour theme (applies at once), and which issues notify
// (NotificationRulesForm; where they are kept: ui/settings_storage.h).
#include "model/notification_rules.h"
#include "storage/project_store.h"
#include "ui/app_settings.h"
#include "ui/user_service.h"

#include <QDialog>
#include <QFutureWatcher>
#include <QPalette>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;

namespace faultline {

class NotificationRulesForm;
class StorageGateway;

class SettingsDialog : public QDialog {
    Q_OBJECT
public:
    // `selectedProjectId` 0 = "All projects" selected; `systemPalette` is what System restores.
    // Reads and writes through `storage`, off the GUI thread: loaded() says when the form shows
    // what is stored (OK is disabled until then).
    SettingsDialog(StorageGateway &storage, QList<Project> projects, qint64 selectedProjectId, QPalette systemPalette,
        QWidget *parent = nullptr);

    // Stores everything and applies the theme; applied(ok) follows (false: the message is in
    // the dialog). Returns false at once, with a message, on a bad listen address, and while
    // the form is loading or an apply runs. What OK does before closing.
    bool apply();
    void accept() override; // closes once applied(true)
    bool isLoading() const { return m_loading > 0; }

    QLineEdit *listenAddressEdit() const { return m_listen; }
    QLineEdit *dataDirectoryEdit() const { return m_dataDirectory; }
    QSpinBox *maxAgeDaysSpin() const { return m_maxAgeDays; }
    QSpinBox *maxEventsSpin() const { return m_maxEvents; }
    QSpinBox *maxStoredMiBSpin() const { return m_maxStoredMiB; }
    QSpinBox *attachmentMiBPerHourSpin() const { return m_attachmentMiBPerHour; }
    QComboBox *retentionScopeCombo() const { return m_scope; }
    QComboBox *themeCombo() const { return m_theme; }
    QCheckBox *keepCollectingCheck() const { return m_keepCollecting; }
    QSpinBox *minFreeMegabytesSpin() const { return m_minFreeMegabytes; }
    QSpinBox *minFreePercentSpin() const { return m_minFreePercent; }
    QString errorText() const;

    bool appliesToAllProjects() const;

    NotificationRulesForm *notificationRulesForm() const { return m_notifications; }
    QCheckBox *userServiceCheck() const { return m_userService; }
    QString userServiceNote() const;
    // Whether this process collects: then enabling does not start the service now (it would
    // find the database taken).
    void setThisProcessCollects(bool collects);
    // How to reach systemctl (tests give their own); probes again.
    void setUserService(UserService service);
    bool isProbingUserService() const { return m_userServiceProbe.isRunning(); }

signals:
    void themeChanged(faultline::Theme theme);
    void notificationRulesChanged(const faultline::NotificationRules &rules);
    void loaded();
    void applied(bool ok);

private:
    void loadRetention();
    void setLoading(int change); // +1 when a read starts, -1 when it is in; 0 re-checks OK
    void finishApply(const std::optional<NotificationRules> &storedRules);
    void showError(const QString &text);
    // `sentence`'s %1 is the error's first line (storage/storage_error_text.h); all of it on hover.
    void showError(const QString &sentence, const QString &error);
    void probeUserService();
    void showUserServiceState(const UserServiceState &state);
    bool applyUserService(QString *error);

    StorageGateway &m_storage;
    int m_loading = 0;
    quint64 m_retentionSerial = 0;
    bool m_fillingRetention = false; // the form shows what a read found: no edit
    bool m_retentionEdited = false; // the user changed a limit since the last read
    bool m_applying = false;
    bool m_closeWhenApplied = false;
    QPushButton *m_ok = nullptr;
    QList<Project> m_projects;
    qint64 m_selectedProjectId;
    QPalette m_systemPalette;
    AppSettings m_initial;

    QLineEdit *m_listen;
    QLineEdit *m_dataDirectory;
    QSpinBox *m_minFreeMegabytes;
    QSpinBox *m_minFreePercent;
    QSpinBox *m_maxAgeDays;
    QSpinBox *m_maxEvents;
    QSpinBox *m_maxStoredMiB;
    QSpinBox *m_attachmentMiBPerHour;
    QComboBox *m_scope;
    QComboBox *m_theme;
    QCheckBox *m_keepCollecting;
    NotificationRulesForm *m_notifications;
    QCheckBox *m_userService;
    QLabel *m_userServiceNote;
    UserService m_userServiceControl;
    bool m_thisProcessCollects = false;
    std::optional<UserServiceState> m_userServiceState;
    QFutureWatcher<UserServiceState> m_userServiceProbe;
    NotificationRules m_initialRules;
    QLabel *m_error;
};

} // namespace faultline
