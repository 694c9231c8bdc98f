#pragma once
// Runs the real `faultline` binary for end-to-end tests: a headless collector
// on an ephemeral port, and the CLI against the same database.
#include <QByteArray>
#include <QJsonArray>
#include <QJsonObject>
#include <QProcess>
#include <QString>
#include <QStringList>

#include <memory>

namespace faultline::test {

class FaultlineProcess {
public:
    FaultlineProcess(QString binary, QString dbPath);
    ~FaultlineProcess();

    // Starts `faultline --headless` on 127.0.0.1:0 and waits for the port in its log.
    bool start(const QStringList &extraArgs = {});
    void setEnvironment(const QProcessEnvironment &environment) { m_environment = environment; } // for start()
    // The desktop app (window and collector) in `environment` (DISPLAY, XDG_CONFIG_HOME…),
    // on 127.0.0.1:0; waits for the port like start(), or for `logLine` when given (a viewer or a
    // second launch collects nothing).
    bool startDesktop(
        const QProcessEnvironment &environment, const QStringList &extraArgs = {}, const QString &logLine = {});
    bool waitForLog(const QString &text, int timeoutMs = 15000);
    bool isRunning() const { return m_process && m_process->state() == QProcess::Running; }
    // Waits for the process to end by itself; its exit code, or -1 (crashed or still running).
    int waitForExit(int timeoutMs = 15000);
    void terminate(); // SIGTERM and wait: the clean shutdown path
    int exitCode() const; // once it ended by itself or by terminate(); -1 when it crashed or still runs
    void kill(); // SIGKILL: the crash path
    quint16 port() const { return m_port; }
    QString log() const { return m_log; }

    // `faultline <args> --db <dbPath>`; returns stdout, exit code in *exitCode.
    QByteArray cli(const QStringList &args, int *exitCode = nullptr, QByteArray *stderrOut = nullptr) const;
    QJsonObject defaultProject() const; // from `projects --json`
    QList<QJsonObject> events(const QString &query = {}) const; // `events --json --limit 0`
    QJsonArray issues(const QString &query = {}) const;

private:
    bool waitForListening();
    void readLog();

    QString m_binary;
    QString m_dbPath;
    QProcessEnvironment m_environment = QProcessEnvironment::systemEnvironment();
    std::unique_ptr<QProcess> m_process;
    quint16 m_port = 0;
    QString m_log;
};

} // namespace faultline::test
