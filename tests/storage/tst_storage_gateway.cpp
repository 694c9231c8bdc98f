// The storage gateway: writes run in the order they were posted, answers reach
// the receiver on its own thread (and nobody once it is gone), stop() lets every
// queued write land, and a database locked by someone else keeps the caller's
// event loop running while the write waits.
#include "storage_test_helpers.h"

#include "storage/storage_gateway.h"

#include <QSignalSpy>
#include <QThread>
#include <QTimer>

#include <atomic>
#include <latch>
#include <sched.h>
#include <vector>

using namespace faultline;
using namespace faultline::test;

namespace {

// A table of the test's own on the gateway's write connection; its rowids give the order of the writes.
StorageResult<void> createLog(Database &db)
{
    QString error;
    if (!execSql(db.handle(), "CREATE TABLE IF NOT EXISTS gateway_log(n INTEGER)", &error))
        return lastStorageError(db.handle(), error);
    return {};
}

StorageResult<qint64> appendToLog(Database &db, int n)
{
    Statement insert(db.handle(), QStringLiteral("INSERT INTO gateway_log(n) VALUES (?) RETURNING rowid"));
    insert.bind(1, n);
    if (!insert.step())
        return insert.storageError();
    const qint64 rowid = insert.int64(0);
    insert.exec();
    return rowid;
}

// Runs the calling thread, and the threads it starts meanwhile, on one CPU: a thread woken there
// runs when its waker yields, which makes an interleaving that two CPUs rarely show a common one.
class OnOneCpu {
public:
    OnOneCpu()
    {
        sched_getaffinity(0, sizeof m_before, &m_before);
        cpu_set_t one;
        CPU_ZERO(&one);
        for (int cpu = 0; cpu < CPU_SETSIZE; ++cpu) {
            if (CPU_ISSET(cpu, &m_before)) {
                CPU_SET(cpu, &one);
                break;
            }
        }
        sched_setaffinity(0, sizeof one, &one);
    }
    ~OnOneCpu() { sched_setaffinity(0, sizeof m_before, &m_before); }
    OnOneCpu(const OnOneCpu &) = delete;
    OnOneCpu &operator=(const OnOneCpu &) = delete;

private:
    cpu_set_t m_before;
};

// Yields the CPU whenever it is copied or moved, as a continuation holding it is while it is attached.
struct YieldWhenCopied {
    YieldWhenCopied() = default;
    YieldWhenCopied(const YieldWhenCopied &) { QThread::yieldCurrentThread(); }
    YieldWhenCopied &operator=(const YieldWhenCopied &) = default;
};

} // namespace

class TestStorageGateway : public QObject {
    Q_OBJECT

private slots:
    void init();
    void writesRunInPostingOrder();
    void readsSeeCommittedWrites();
    void writeThenRunsItsContinuationOnce();
    void answersArriveOnTheReceiversThread();
    void aDeletedReceiverGetsNothing();
    void stopLetsQueuedWritesLand();
    void lockedDatabaseKeepsTheCallerResponsive();
    void unopenableDatabaseIsAnAnswer();
    void backendWorkRunsOnSqlite();

private:
    QString path() const { return m_dir.filePath(QStringLiteral("gateway.db")); }
    QTemporaryDir m_dir;
};

void TestStorageGateway::init()
{
    QVERIFY(m_dir.isValid());
    QFile::remove(path());
    QVERIFY(openOrFail(path())); // a Faultline schema to read from
}

void TestStorageGateway::writesRunInPostingOrder()
{
    StorageGateway gateway(path());
    QVERIFY(gateway.write(createLog).result().ok());
    QObject receiver;
    QList<int> delivered;
    constexpr int kWrites = 200;
    for (int i = 0; i < kWrites; ++i)
        gateway.write([i](Database &db) { return appendToLog(db, i); }, &receiver,
            [&delivered, i](const StorageResult<qint64> &rowid) {
                if (rowid.ok() && *rowid == i + 1)
                    delivered.append(i);
            });
    QTRY_COMPARE(delivered.size(), kWrites);
    for (int i = 0; i < kWrites; ++i)
        QCOMPARE(delivered.at(i), i);
}

void TestStorageGateway::readsSeeCommittedWrites()
{
    StorageGateway gateway(path());
    QVERIFY(gateway.write(createLog).result().ok());
    QVERIFY(gateway.write([](Database &db) { return appendToLog(db, 7); }).result().ok());
    const StorageResult<qint64> read
        = gateway.read([](Database &db) { return scalar(db, QStringLiteral("SELECT n FROM gateway_log")); }).result();
    QVERIFY(read.ok());
    QCOMPARE(*read, 7);
    // The reader's connection is read-only: a write sent there is refused, not run.
    const StorageResult<qint64> refused = gateway.read([](Database &db) { return appendToLog(db, 8); }).result();
    QVERIFY(!refused.ok());
    QCOMPARE(refused.error().kind, StorageError::Kind::ReadOnly);
}

void TestStorageGateway::writeThenRunsItsContinuationOnce()
{
    // Attached after posting, a continuation would sometimes be attached to a finished answer: it
    // would then run here rather than on the writer, and Qt 6.4 sometimes runs it twice. On one CPU,
    // with a continuation that yields while writeThen() takes it, the writer finishes a write
    // posted before that point almost every time.
    const OnOneCpu oneCpu;
    constexpr int kWrites = 2000;
    std::vector<std::atomic<int>> calls(kWrites + 1);
    std::vector<std::atomic<QThread *>> ranOn(kWrites + 1);
    std::atomic<QThread *> writer = nullptr;
    auto continuation = [&calls, &ranOn](int i) {
        return [&calls, &ranOn, i, yield = YieldWhenCopied()](const StorageResult<int> &answer) {
            ++calls[std::size_t(i)];
            ranOn[std::size_t(i)] = QThread::currentThread();
            return answer.ok() ? *answer : -1;
        };
    };
    QList<QFuture<int>> continued;
    StorageGateway gateway(path());
    for (int i = 0; i < kWrites; ++i) {
        auto work = [&writer, i](StorageBackend &) {
            writer = QThread::currentThread();
            return i;
        };
        continued.append(gateway.writeThen(work, continuation(i)).second);
    }
    gateway.stop();
    // Answered at once with Stopped, here.
    auto [stopped, late] = gateway.writeThen([](StorageBackend &) { return 1; }, continuation(kWrites));
    QCOMPARE(stopped.result().error().kind, StorageError::Kind::Stopped);
    QCOMPARE(late.result(), -1);
    QCOMPARE(ranOn[kWrites].load(), QThread::currentThread());
    int onTheWriter = 0;
    for (int i = 0; i < kWrites; ++i) {
        QCOMPARE(continued.at(i).result(), i);
        onTheWriter += ranOn[std::size_t(i)] == writer ? 1 : 0;
    }
    QCOMPARE(onTheWriter, kWrites);
    for (std::size_t i = 0; i < calls.size(); ++i)
        QVERIFY2(calls[i] == 1, qPrintable(QStringLiteral("write %1: %2 calls").arg(i).arg(calls[i].load())));
}

void TestStorageGateway::answersArriveOnTheReceiversThread()
{
    StorageGateway gateway(path());
    std::atomic<QThread *> ranOn = nullptr;
    QThread *answeredOn = nullptr;
    QObject here;
    gateway.read(
        [&ranOn](Database &) {
            ranOn = QThread::currentThread();
            return 1;
        },
        &here, [&answeredOn](const StorageResult<int> &) { answeredOn = QThread::currentThread(); });
    QTRY_VERIFY(answeredOn);
    QCOMPARE(answeredOn, QThread::currentThread());
    QVERIFY(ranOn.load() != QThread::currentThread()); // the work itself ran on the reader

    // A receiver living on another thread gets its answer there.
    QThread other;
    other.start();
    QObject elsewhere;
    elsewhere.moveToThread(&other);
    std::atomic<QThread *> answeredElsewhere = nullptr;
    gateway.write([](Database &) { return 2; }, &elsewhere,
        [&answeredElsewhere](const StorageResult<int> &) { answeredElsewhere = QThread::currentThread(); });
    QTRY_VERIFY(answeredElsewhere.load());
    QCOMPARE(answeredElsewhere.load(), &other);
    other.quit();
    QVERIFY(other.wait());
}

void TestStorageGateway::aDeletedReceiverGetsNothing()
{
    StorageGateway gateway(path());
    std::latch release(1);
    auto receiver = std::make_unique<QObject>();
    bool answered = false;
    auto future = gateway.write([&release](Database &) {
        release.wait();
        return 1;
    });
    StorageGateway::deliver(future, receiver.get(), [&answered](const StorageResult<int> &) { answered = true; });
    receiver.reset(); // the dialog closed while its write waited
    release.count_down();
    future.waitForFinished();
    // What was pending for the receiver went with it; the next answer to someone alive arrives.
    QObject alive;
    bool next = false;
    gateway.write([](Database &) { return 2; }, &alive, [&next](const StorageResult<int> &) { next = true; });
    QTRY_VERIFY(next);
    QVERIFY(!answered);
}

void TestStorageGateway::stopLetsQueuedWritesLand()
{
    constexpr int kWrites = 100;
    {
        StorageGateway gateway(path());
        gateway.write(createLog);
        for (int i = 0; i < kWrites; ++i)
            gateway.write([i](Database &db) { return appendToLog(db, i); });
        gateway.stop();
        const StorageResult<int> late = gateway.write([](Database &) { return 1; }).result();
        QVERIFY(!late.ok());
        QCOMPARE(late.error().kind, StorageError::Kind::Stopped);
    }
    auto db = openOrFail(path(), Database::Mode::ReadOnly);
    QCOMPARE(scalar(*db, QStringLiteral("SELECT count(*) FROM gateway_log")), kWrites);
}

void TestStorageGateway::lockedDatabaseKeepsTheCallerResponsive()
{
    StorageGateway gateway(path());
    QVERIFY(gateway.write(createLog).result().ok());
    // Another program (the collector's writer during a flood) holds the write lock.
    auto holder = openOrFail(path());
    QVERIFY(execSql(holder->handle(), "BEGIN EXCLUSIVE"));
    QObject receiver;
    std::optional<StorageResult<qint64>> answer;
    gateway.write([](Database &db) { return appendToLog(db, 1); }, &receiver,
        [&answer](const StorageResult<qint64> &result) { answer = result; });
    // The caller's event loop runs on while the write waits for the lock.
    bool timerFired = false;
    QTimer::singleShot(0, &receiver, [&timerFired] { timerFired = true; });
    QTRY_VERIFY(timerFired);
    QVERIFY(!answer);
    QVERIFY(execSql(holder->handle(), "COMMIT"));
    QTRY_VERIFY(answer);
    QVERIFY(answer->ok());
}

void TestStorageGateway::unopenableDatabaseIsAnAnswer()
{
    StorageGateway gateway(m_dir.filePath(QStringLiteral("no/such/dir/x.db")));
    const StorageResult<int> read = gateway.read([](Database &) { return 1; }).result();
    QVERIFY(!read.ok());
    QCOMPARE(read.error().kind, StorageError::Kind::Io);
    const StorageResult<int> write = gateway.write([](Database &) { return 1; }).result();
    QVERIFY(!write.ok());
    QCOMPARE(write.error().kind, StorageError::Kind::Io);
}

// Work written against StorageBackend (what runs on PostgreSQL too) sees the same file.
void TestStorageGateway::backendWorkRunsOnSqlite()
{
    StorageGateway gateway(path());
    QVERIFY(!gateway.isPostgres());
    const StorageResult<Project> added
        = gateway.write([](StorageBackend &backend) { return backend.projects().add(QStringLiteral("billing")); })
              .result();
    QVERIFY(added.ok());
    const StorageResult<qint64> read
        = gateway
              .read([](Database &db) {
                  return scalar(db, QStringLiteral("SELECT count(*) FROM projects WHERE name = 'billing'"));
              })
              .result();
    QVERIFY(read.ok());
    QCOMPARE(*read, 1);
    const StorageResult<Project> found
        = gateway.read([id = added->id](StorageBackend &backend) { return backend.projects().byId(id); }).result();
    QVERIFY(found.ok());
    QCOMPARE(found->name, QStringLiteral("billing"));
}

QTEST_GUILESS_MAIN(TestStorageGateway)
#include "tst_storage_gateway.moc"
