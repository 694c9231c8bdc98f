#pragma once
// The one owner of the app's own storage connections (apart from the collector's
// writer and the retention pruner): a reader thread with a read-only connection
// and a writer thread with a read-write one, so nothing the window or a dialog
// asks for opens, migrates or waits for a lock or the network on the GUI thread.
// Created once by app/ and handed to the window and the dialogs.
//
// The location is a SQLite file or a PostgreSQL URI (storage/backend.h). Work is
// a callable taking StorageBackend& (any backend: what the window's reads are
// written against) or Database& (SQLite only; on PostgreSQL it does not run and
// answers StorageError::Kind::Unsupported), returning a value (or a StorageResult,
// or nothing). Its answer arrives as a StorageResult through a QFuture, or at
// `done` on the receiver's thread; a receiver deleted meanwhile gets nothing.
// Tasks of one kind run in the order they were posted; stop() runs what is
// queued (writes land), then closes both connections.
#include "storage/connection_thread.h"
#include "storage/sqlite_backend.h"
#include "storage/storage_error.h"

#include <QFuture>
#include <QFutureWatcher>
#include <QObject>
#include <QPromise>
#include <QThread>

#include <memory>
#include <type_traits>
#include <utility>

namespace faultline {

namespace detail {

template<typename R> struct AsStorageResult {
    using type = StorageResult<R>;
};
template<typename T> struct AsStorageResult<Result<T, StorageError>> {
    using type = Result<T, StorageError>;
};

// What the work needs: any backend, or SQLite's Database.
template<typename Work> constexpr bool kTakesBackend = std::is_invocable_v<Work &, StorageBackend &>;
template<typename Work> struct WorkSubject {
    using type = std::conditional_t<kTakesBackend<Work>, StorageBackend, Database>;
};
template<typename Work>
using AnswerOf = typename AsStorageResult<std::invoke_result_t<Work &, typename WorkSubject<Work>::type &>>::type;

struct Nothing {
    template<typename... Any> void operator()(Any &&...) const { }
};

} // namespace detail

class StorageGateway {
public:
    // `location`: a SQLite file path or a postgresql:// URI.
    explicit StorageGateway(QString location);
    ~StorageGateway(); // stop()
    StorageGateway(const StorageGateway &) = delete;
    StorageGateway &operator=(const StorageGateway &) = delete;

    const QString &path() const { return m_dbPath; } // the location as given (a URI keeps its password)
    bool isPostgres() const { return m_postgres; }

    template<typename Work> auto read(Work work) { return submit(*m_reader, std::move(work)); }
    template<typename Work> auto write(Work work) { return submit(*m_writer, std::move(work)); }
    template<typename Work, typename Done> void read(Work work, QObject *receiver, Done done)
    {
        deliver(read(std::move(work)), receiver, std::move(done));
    }
    template<typename Work, typename Done> void write(Work work, QObject *receiver, Done done)
    {
        deliver(write(std::move(work)), receiver, std::move(done));
    }
    // write(), with `then` attached to the answer before the work is posted; returns the answer and
    // what `then` makes of it. Use this rather than then() on write()'s future: Qt 6.4 runs a
    // continuation twice (and crashes) when then() is attached while the writer finishes the future.
    // `then` runs on the thread that finishes the answer (Launch::Sync). deliver() is safe either way.
    template<typename Work, typename Then> auto writeThen(Work work, Then then);

    // Runs what both threads have queued, then closes their connections; later work answers Stopped.
    void stop();

    // Hands `future`'s answer to `done` on `receiver`'s thread (dropped if it is deleted first).
    template<typename Answer, typename Done> static void deliver(QFuture<Answer> future, QObject *receiver, Done done);

private:
    // `beforePosting` gets the answer's future before any thread can finish it.
    template<typename Work, typename BeforePosting = detail::Nothing>
    static auto submit(ConnectionThread &thread, Work work, BeforePosting beforePosting = {});

    const QString m_dbPath;
    const bool m_postgres;
    std::unique_ptr<ConnectionThread> m_reader;
    std::unique_ptr<ConnectionThread> m_writer;
};

template<typename Work, typename Then> auto StorageGateway::writeThen(Work work, Then then)
{
    using Answer = detail::AnswerOf<Work>;
    QFuture<std::invoke_result_t<Then, const Answer &>> continued;
    QFuture<Answer> answer = submit(*m_writer, std::move(work),
        [&](QFuture<Answer> &future) { continued = future.then(QtFuture::Launch::Sync, std::move(then)); });
    return std::pair { answer, continued };
}

template<typename Work, typename BeforePosting>
auto StorageGateway::submit(ConnectionThread &thread, Work work, BeforePosting beforePosting)
{
    using Subject = typename detail::WorkSubject<Work>::type;
    using Returned = std::invoke_result_t<Work &, Subject &>;
    using Answer = detail::AnswerOf<Work>;
    auto promise = std::make_shared<QPromise<Answer>>();
    QFuture<Answer> future = promise->future();
    promise->start();
    beforePosting(future);
    const bool posted = thread.post(
        [promise, work = std::move(work)](StorageBackend *backend, const StorageError &openError) mutable {
            Subject *subject = nullptr;
            if constexpr (detail::kTakesBackend<Work>) {
                subject = backend;
            } else if (auto *sqlite = dynamic_cast<SqliteBackend *>(backend)) {
                subject = &sqlite->database();
            }
            if (!backend) {
                promise->addResult(Answer(openError));
            } else if (!subject) {
                promise->addResult(Answer(StorageError::unsupported(backend->displayName())));
            } else if constexpr (std::is_void_v<Returned>) {
                work(*subject);
                promise->addResult(Answer());
            } else {
                promise->addResult(Answer(work(*subject)));
            }
            promise->finish();
        });
    if (!posted) {
        promise->addResult(Answer(StorageError::stopped()));
        promise->finish();
    }
    return future;
}

template<typename Answer, typename Done>
void StorageGateway::deliver(QFuture<Answer> future, QObject *receiver, Done done)
{
    // The watcher is the receiver's child: deleting the receiver deletes it, and with it the call.
    auto watch = [future = std::move(future), done = std::move(done)](QObject *parent) mutable {
        auto *watcher = new QFutureWatcher<Answer>(parent);
        QObject::connect(watcher, &QFutureWatcherBase::finished, parent, [watcher, done]() mutable {
            watcher->deleteLater();
            done(watcher->result());
        });
        watcher->setFuture(future);
    };
    if (receiver->thread() == QThread::currentThread())
        watch(receiver);
    else
        QMetaObject::invokeMethod(
            receiver, [watch = std::move(watch), receiver]() mutable { watch(receiver); }, Qt::QueuedConnection);
}

} // namespace faultline
