#include "bench_common.h"

#include <QFile>

#include <algorithm>
#include <cmath>
#include <unistd.h>

namespace faultline::bench {

namespace {
constexpr int kGeneratorVersion = 2;
}

QString argument(const QStringList &arguments, const QString &name, const QString &fallback)
{
    const qsizetype at = arguments.indexOf(name);
    return at >= 0 && at + 1 < arguments.size() ? arguments.at(at + 1) : fallback;
}

GenerateParams GenerateParams::fromArguments(const QStringList &arguments)
{
    GenerateParams params;
    params.dbPath = argument(arguments, QStringLiteral("--db"));
    params.fixturesDir = argument(arguments, QStringLiteral("--fixtures"));
    params.events = argument(arguments, QStringLiteral("--events"), QString::number(params.events)).toLongLong();
    params.issues = argument(arguments, QStringLiteral("--issues"), QString::number(params.issues)).toInt();
    params.projects = argument(arguments, QStringLiteral("--projects"), QString::number(params.projects)).toInt();
    params.seed = argument(arguments, QStringLiteral("--seed"), QString::number(params.seed)).toULongLong();
    params.hotEvents
        = argument(arguments, QStringLiteral("--hot-events"), QString::number(params.hotEvents)).toLongLong();
    params.issues = std::max(1, params.issues);
    params.projects = std::max(1, params.projects);
    params.events = std::max<qint64>(params.events, params.issues);
    return params;
}

QString GenerateParams::signature() const
{
    return QStringLiteral("generator=%1 events=%2 issues=%3 projects=%4 seed=%5 hot=%6\n")
        .arg(kGeneratorVersion)
        .arg(events)
        .arg(issues)
        .arg(projects)
        .arg(seed)
        .arg(hotEvents);
}

QString paramsFile(const QString &dbPath) { return dbPath + QStringLiteral(".params"); }

double processUptimeSeconds()
{
    QFile stat(QStringLiteral("/proc/self/stat"));
    QFile uptime(QStringLiteral("/proc/uptime"));
    if (!stat.open(QIODevice::ReadOnly) || !uptime.open(QIODevice::ReadOnly))
        return -1;
    const QByteArray line = stat.readAll();
    // Fields after the command name (which may hold spaces) start after the last ')'.
    const QList<QByteArray> fields = line.mid(line.lastIndexOf(')') + 2).split(' ');
    if (fields.size() < 20)
        return -1;
    const double startTicks = fields.at(19).toDouble(); // field 22 overall
    const double bootSeconds = uptime.readAll().split(' ').first().toDouble();
    return bootSeconds - startTicks / double(sysconf(_SC_CLK_TCK));
}

double procStatusMiB(const char *key)
{
    QFile status(QStringLiteral("/proc/self/status"));
    if (!status.open(QIODevice::ReadOnly))
        return -1;
    const QByteArray prefix = QByteArray(key) + ':';
    for (const QByteArray &line : status.readAll().split('\n'))
        if (line.startsWith(prefix))
            return line.mid(prefix.size()).trimmed().split(' ').first().toDouble() / 1024.0;
    return -1;
}

Stats summarize(std::vector<double> values)
{
    Stats stats;
    if (values.empty())
        return stats;
    std::sort(values.begin(), values.end());
    stats.n = int(values.size());
    stats.min = values.front();
    stats.max = values.back();
    stats.median = values[values.size() / 2];
    const auto p99 = std::size_t(std::ceil(0.99 * double(values.size()))) - 1;
    stats.p99 = values[std::min(p99, values.size() - 1)];
    return stats;
}

} // namespace faultline::bench
