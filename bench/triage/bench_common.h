#pragma once
// Small helpers shared by the triage bench executables: the generator's
// parameters (and the stamp that lets bench/triage/run reuse a database), and
// what /proc says about this process.
#include <QString>
#include <QStringList>

#include <vector>

namespace faultline::bench {

struct GenerateParams {
    QString dbPath;
    QString fixturesDir;
    qint64 events = 1'000'000;
    int issues = 50'000;
    int projects = 20;
    quint64 seed = 42;
    // Events of one more issue, in the first project, over the last 90 days: the
    // issue-14 figures (summary, Events tab, 90 d chart) on a 100,000-event issue.
    qint64 hotEvents = 100'000;

    static GenerateParams fromArguments(const QStringList &arguments);
    // Changes whenever the generated data would: bump kGeneratorVersion with the generator.
    QString signature() const;
};

// "<db>.params": the signature of the parameters the database was generated with.
QString paramsFile(const QString &dbPath);

// The value after `--name` in arguments, or `fallback`.
QString argument(const QStringList &arguments, const QString &name, const QString &fallback = {});

// Seconds since the kernel started this process (/proc/self/stat starttime; 10 ms ticks).
double processUptimeSeconds();
// A "VmHWM"/"VmRSS" line of /proc/self/status, in MiB; -1 when unreadable.
double procStatusMiB(const char *key);

struct Stats {
    double median = 0;
    double p99 = 0;
    double max = 0;
    double min = 0;
    int n = 0;
};
Stats summarize(std::vector<double> values);

} // namespace faultline::bench
