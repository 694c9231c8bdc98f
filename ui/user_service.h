#pragma once
// The collector as a systemd user service (faultline-collector.service, shipped
// in the package): whether this session has a `systemd --user` to run it, whether
// it is enabled, and turning it on or off with systemctl. Settings shows the
// toggle, disabled with the reason when there is no user manager or no unit.
#include <QString>
#include <QStringList>

#include <functional>

namespace faultline {

struct CommandResult {
    int exitCode = -1; // -1: did not start or timed out
    QString output; // stdout and stderr, trimmed
};

// Runs `systemctl` with the arguments; tests give their own.
using SystemctlRunner = std::function<CommandResult(const QStringList &arguments)>;
SystemctlRunner realSystemctl(int timeoutMs = 3000);

struct UserServiceState {
    bool available = false; // a user manager answers and knows the unit
    bool enabled = false;
    QString unavailableReason; // for the settings, when !available
};

class UserService {
public:
    explicit UserService(SystemctlRunner systemctl = realSystemctl());

    UserServiceState probe() const; // a few systemctl calls: run it off the GUI thread
    // `enable --now`, or without --now while this process collects (the service would find the
    // database taken and stop); `disable --now` to turn it off. Empty on success, else why not.
    QString setEnabled(bool enabled, bool thisProcessCollects) const;

    static inline const QString kUnit = QStringLiteral("faultline-collector.service");

private:
    SystemctlRunner m_systemctl;
};

} // namespace faultline
