#pragma once
// Who last changed a line: `git blame --porcelain -L n,n` in the mapped
// checkout, run on a worker thread with a timeout (a huge history or a hung
// filesystem must not freeze the window). No network, no hosting service.
#include <QDateTime>
#include <QFuture>
#include <QString>

class QThreadPool;

namespace faultline {

struct BlameResult {
    QString commit; // 40 hex; all zeros = not committed yet
    QString author;
    QString authorMail; // without the angle brackets
    QDateTime authorTime;
    QString summary;
    QString error; // set when there is no answer (not a repository, timeout, line past the end, …)

    bool isUncommitted() const { return commit.count(QLatin1Char('0')) == commit.size() && !commit.isEmpty(); }
    bool ok() const { return error.isEmpty() && !commit.isEmpty(); }
};

// Parses the porcelain output for one line.
BlameResult parseBlamePorcelain(const QByteArray &output);

// Runs git in the file's directory; blocks up to `timeoutMs`. Call off the GUI thread.
BlameResult blameLine(const QString &localFile, int line, int timeoutMs = 5000);

// blameLine() on `pool`.
QFuture<BlameResult> blameLineAsync(QThreadPool *pool, const QString &localFile, int line, int timeoutMs = 5000);

} // namespace faultline
