#pragma once
// Running the real `faultline` binary (FAULTLINE_BINARY, set for every test)
// as a shell user would, and what it answered.
#include <QByteArray>
#include <QProcess>
#include <QString>
#include <QStringList>

namespace faultline::test {

struct Run {
    int code = -1;
    QByteArray out;
    QString err;
};

// `input` is what the command reads on stdin, closed after it.
inline Run runCli(const QStringList &args, const QByteArray &input = {})
{
    QProcess process;
    process.start(QStringLiteral(FAULTLINE_BINARY), args);
    process.write(input);
    process.closeWriteChannel();
    Run run;
    if (!process.waitForFinished(30000)) {
        run.err = QStringLiteral("did not finish");
        return run;
    }
    run.code = process.exitCode();
    run.out = process.readAllStandardOutput();
    run.err = QString::fromUtf8(process.readAllStandardError());
    return run;
}

} // namespace faultline::test
