#include "support/faultline_process.h"

#include <QDeadlineTimer>
#include <QJsonDocument>
#include <QRegularExpression>

namespace faultline::test {

FaultlineProcess::FaultlineProcess(QString binary, QString dbPath)
    : m_binary(std::move(binary)), m_dbPath(std::move(dbPath))
{
}

FaultlineProcess::~FaultlineProcess() { kill(); }

bool FaultlineProcess::start(const QStringList &extraArgs)
{
    m_process = std::make_unique<QProcess>();
    m_process->setProcessChannelMode(QProcess::MergedChannels);
    m_process->start(m_binary, QStringList{"--headless", "--db", m_dbPath, "--listen", "127.0.0.1:0"} + extraArgs);
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
    process.start(m_binary, args + QStringList{"--db", m_dbPath});
    process.waitForFinished(30000);
    if (exitCode)
        *exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    if (stderrOut)
        *stderrOut = process.readAllStandardError();
    return process.readAllStandardOutput();
}

QJsonObject FaultlineProcess::defaultProject() const
{
    const QJsonArray projects = QJsonDocument::fromJson(cli({"projects", "--json"})).array();
    for (const QJsonValue &project : projects)
        if (project.toObject().value("name").toString() == QLatin1String("default"))
            return project.toObject();
    return {};
}

QList<QJsonObject> FaultlineProcess::events(const QString &query) const
{
    QStringList args{"events", "--json", "--limit", "0"};
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
    QStringList args{"issues", "--json"};
    if (!query.isEmpty())
        args << "--query" << query;
    return QJsonDocument::fromJson(cli(args)).array();
}

}  // namespace faultline::test
