// bench/mhd_floor — the floor of Faultline's HTTP layer: libmicrohttpd with the
// collector's daemon options, reading the whole body, suspending the request and
// resuming it from another thread (as the writer's acknowledging thread does
// after a commit), then answering 200 with a small JSON id. No parsing, no
// storage. bench/ingest builds and runs it beside nginx: the gap between this
// and Faultline is Faultline's own work per event, not the HTTP library's.
//
// Usage: mhd_floor PORT
#include <microhttpd.h>

#include <algorithm>
#include <condition_variable>
#include <cstdlib>
#include <mutex>
#include <string>
#include <thread>
#include <unistd.h>
#include <vector>

namespace {

struct Request {
    std::string body;
    bool resumed = false;
};

std::mutex waitingMutex;
std::condition_variable waitingWake;
std::vector<MHD_Connection *> waiting;

MHD_Result onRequest(void *, MHD_Connection *connection, const char *, const char *, const char *, const char *data,
    size_t *size, void **state)
{
    if (!*state) {
        *state = new Request;
        return MHD_YES;
    }
    auto *request = static_cast<Request *>(*state);
    if (*size > 0) {
        request->body.append(data, *size);
        *size = 0;
        return MHD_YES;
    }
    if (!request->resumed) { // the whole body is in: hand it over, as the collector does
        request->resumed = true;
        MHD_suspend_connection(connection);
        {
            std::lock_guard lock(waitingMutex);
            waiting.push_back(connection);
        }
        waitingWake.notify_one();
        return MHD_YES;
    }
    static const char answer[] = "{\"id\":\"5936c5796583d21083c8a7482ed2c2a4\"}";
    MHD_Response *response
        = MHD_create_response_from_buffer(sizeof answer - 1, const_cast<char *>(answer), MHD_RESPMEM_PERSISTENT);
    MHD_add_response_header(response, "Content-Type", "application/json");
    const MHD_Result queued = MHD_queue_response(connection, 200, response);
    MHD_destroy_response(response);
    return queued;
}

void onCompleted(void *, MHD_Connection *, void **state, MHD_RequestTerminationCode)
{
    delete static_cast<Request *>(*state);
    *state = nullptr;
}

} // namespace

int main(int argc, char **argv)
{
    if (argc != 2)
        return 2;
    const auto port = static_cast<uint16_t>(std::atoi(argv[1]));
    const unsigned threads = std::max(2u, std::thread::hardware_concurrency()); // the collector's default
    MHD_Daemon *daemon = MHD_start_daemon(MHD_USE_AUTO_INTERNAL_THREAD | MHD_ALLOW_SUSPEND_RESUME, port, nullptr,
        nullptr, &onRequest, nullptr, MHD_OPTION_THREAD_POOL_SIZE, threads, MHD_OPTION_CONNECTION_MEMORY_LIMIT,
        size_t(64 * 1024), MHD_OPTION_NOTIFY_COMPLETED, &onCompleted, nullptr, MHD_OPTION_END);
    if (!daemon)
        return 1;
    std::thread([] {
        for (;;) {
            std::vector<MHD_Connection *> batch;
            {
                std::unique_lock lock(waitingMutex);
                waitingWake.wait(lock, [] { return !waiting.empty(); });
                batch.swap(waiting);
            }
            for (MHD_Connection *connection : batch)
                MHD_resume_connection(connection);
        }
    }).detach();
    pause();
}
