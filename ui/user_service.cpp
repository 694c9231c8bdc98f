#include "ui/user_service.h"

#include <QProcess>

namespace faultline {

SystemctlRunner realSystemctl(int timeoutMs)
{
    return [timeoutMs](const QStringList &arguments) {
        QProcess process;
        process.setProcessChannelMode(QProcess::MergedChannels);
        process.start(QStringLiteral("systemctl"), arguments);
        CommandResult result;
        if (!process.waitForStarted(timeoutMs)) {
            result.output = QStringLiteral("systemctl is not installed");
            return result;
        }
        if (!process.waitForFinished(timeoutMs)) {
            process.kill();
            process.waitForFinished(1000);
            result.output = QStringLiteral("systemctl did not answer within %1 s").arg(timeoutMs / 1000);
            return result;
        }
        result.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
        result.output = QString::fromLocal8Bit(process.readAll()).trimmed();
        return result;
    };
}

UserService::UserService(SystemctlRunner systemctl)
    : m_systemctl(std::move(systemctl))
{
}

UserServiceState UserService::probe() const
{
    UserServiceState state;
    const CommandResult manager = m_systemctl({ QStringLiteral("--user"), QStringLiteral("show-environment") });
    if (manager.exitCode != 0) {
        state.unavailableReason = QStringLiteral("No systemd user manager in this session (%1).")
                                      .arg(manager.output.section(QLatin1Char('\n'), 0, 0));
        return state;
    }
    // enabled, disabled, static, …; "not-found" (and exit 1, no output) when the unit is not installed.
    const CommandResult unit = m_systemctl({ QStringLiteral("--user"), QStringLiteral("is-enabled"), kUnit });
    const QString status = unit.output.section(QLatin1Char('\n'), 0, 0);
    if (status.isEmpty() || status == QLatin1String("not-found") || status.contains(QLatin1String("No such file"))) {
        state.unavailableReason
            = QStringLiteral("%1 is not installed (it comes with the faultline package).").arg(kUnit);
        return state;
    }
    state.available = true;
    state.enabled = status == QLatin1String("enabled") || status == QLatin1String("enabled-runtime");
    return state;
}

QString UserService::setEnabled(bool enabled, bool thisProcessCollects) const
{
    QStringList arguments { QStringLiteral("--user"), enabled ? QStringLiteral("enable") : QStringLiteral("disable") };
    if (!enabled || !thisProcessCollects)
        arguments.append(QStringLiteral("--now"));
    arguments.append(kUnit);
    const CommandResult result = m_systemctl(arguments);
    if (result.exitCode == 0)
        return {};
    return QStringLiteral("systemctl %1 failed: %2")
        .arg(arguments.join(QLatin1Char(' ')), result.output.isEmpty() ? QStringLiteral("no output") : result.output);
}

} // namespace faultline
