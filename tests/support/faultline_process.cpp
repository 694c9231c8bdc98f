#include "support/faultline_process.h"

#include "model/database_location.h"

#include <QDeadlineTimer>
#include <QJsonDocument>
#include <QRegularExpression>

namespace faultline::test {

FaultlineProcess::FaultlineProcess(QString binary, QString dbPath)
    : m_binary(std::move(binary))
    , m_dbPath(std::move(dbPath))
{
}

FaultlineProcess::~FaultlineProcess() { kill(); }

bool FaultlineProcess::start(const QStringList &extraArgs)
{
    m_process = std::make_unique<QProcess>();
    m_process->setProcessChannelMode(QProcess::MergedChannels);
    m_process->setProcessEnvironment(m_environment);
    m_process->start(m_binary, QStringList { "--headless", "--db", m_dbPath, "--listen", "127.0.0.1:0" } + extraArgs);
    return waitForListening();
}

bool FaultlineProcess::startDesktop(
    const QProcessEnvironment &environment, const QStringList &extraArgs, const QString &logLine)
{
    m_process = std::make_unique<QProcess>();
    m_process->setProcessChannelMode(QProcess::MergedChannels);
    m_process->setProcessEnvironment(environment);
    // A window on PostgreSQL is a viewer unless --listen is given: these start it as one.
    const bool viewsPostgres = isPostgresUri(m_dbPath);
    const QStringList listen = viewsPostgres ? QStringList {} : QStringList { "--listen", "127.0.0.1:0" };
    m_process->start(m_binary, QStringList { "--db", m_dbPath } + listen + extraArgs);
    if (logLine.isEmpty())
        return waitForListening();
    return m_process->waitForStarted(5000) && waitForLog(logLine);
}

void FaultlineProcess::readLog()
{
    if (m_process)
        m_log += QString::fromUtf8(m_process->readAll());
}

bool FaultlineProcess::waitForLog(const QString &text, int timeoutMs)
{
    QDeadlineTimer deadline(timeoutMs);
    readLog();
    while (!m_log.contains(text) && !deadline.hasExpired() && isRunning()) {
        m_process->waitForReadyRead(100);
        readLog();
    }
    readLog();
    return m_log.contains(text);
}

int FaultlineProcess::waitForExit(int timeoutMs)
{
    if (!m_process || !m_process->waitForFinished(timeoutMs))
        return -1;
    m_log += QString::fromUtf8(m_process->readAll());
    return m_process->exitStatus() == QProcess::NormalExit ? m_process->exitCode() : -1;
}

bool FaultlineProcess::waitForListening()
{
    if (!m_process->waitForStarted(5000))
        return false;
    static const QRegularExpression listening(QStringLiteral("collector listening on http://127\\.0\\.0\\.1:(\\d+)"));
    QDeadlineTimer deadline(15000);
    while (!deadline.hasExpired() && m_process->state() == QProcess::Running) {
        m_process->waitForReadyRead(100);
        m_log += QString::fromUtf8(m_process->readAll());
        const QRegularExpressionMatch match = listening.match(m_log);
        if (match.hasMatch()) {
            m_port = quint16(match.captured(1).toUInt());
            return true;
        }
    }
    m_log += QString::fromUtf8(m_process->readAll());
    return false;
}

int FaultlineProcess::exitCode() const
{
    if (!m_process || m_process->state() != QProcess::NotRunning || m_process->exitStatus() != QProcess::NormalExit)
        return -1;
    return m_process->exitCode();
}

void FaultlineProcess::terminate()
{
    if (!m_process || m_process->state() == QProcess::NotRunning)
        return;
    m_process->terminate();
    m_process->waitForFinished(15000);
    m_log += QString::fromUtf8(m_process->readAll());
}

void FaultlineProcess::kill()
{
    if (!m_process || m_process->state() == QProcess::NotRunning)
        return;
    m_process->kill();
    m_process->waitForFinished(5000);
    m_log += QString::fromUtf8(m_process->readAll());
}

QByteArray FaultlineProcess::cli(const QStringList &args, int *exitCode, QByteArray *stderrOut) const
{
    QProcess process;
    process.start(m_binary, args + QStringList { "--db", m_dbPath });
    process.waitForFinished(30000);
    if (exitCode)
        *exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    if (stderrOut)
        *stderrOut = process.readAllStandardError();
    return process.readAllStandardOutput();
}

QJsonObject FaultlineProcess::defaultProject() const
{
    const QJsonArray projects = QJsonDocument::fromJson(cli({ "projects", "--json" })).array();
    for (const QJsonValue &project : projects)
        if (project.toObject().value("name").toString() == QLatin1String("default"))
            return project.toObject();
    return {};
}

QList<QJsonObject> FaultlineProcess::events(const QString &query) const
{
    QStringList args { "events", "--json", "--limit", "0" };
    if (!query.isEmpty())
        args << "--query" << query;
    QList<QJsonObject> result;
    for (const QByteArray &line : cli(args).split('\n'))
        if (!line.trimmed().isEmpty())
            result.append(QJsonDocument::fromJson(line).object());
    return result;
}

QJsonArray FaultlineProcess::issues(const QString &query) const
{
    QStringList args { "issues", "--json" };
    if (!query.isEmpty())
        args << "--query" << query;
    return QJsonDocument::fromJson(cli(args)).array();
}

} // namespace faultline::test
