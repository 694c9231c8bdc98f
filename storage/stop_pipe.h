#pragma once
// How the owner of a thread stops a wait of that thread that a condition
// variable cannot reach: a PostgreSQL connect or host name look-up
// (PgConnection::openStoppable polls readEnd()). stop() writes a byte; the
// read end stays readable until reset(), so every wait after a stop ends at
// once too.
namespace faultline {

class StopPipe {
public:
    StopPipe(); // both ends -1 when the system refused a pipe: waits then end only by themselves
    ~StopPipe();
    StopPipe(const StopPipe &) = delete;
    StopPipe &operator=(const StopPipe &) = delete;

    bool ok() const { return m_ends[0] >= 0; }
    int readEnd() const { return m_ends[0]; }
    void stop(); // any thread
    void reset(); // readable no more: for an owner that starts again after a stop

private:
    int m_ends[2] = { -1, -1 };
};

} // namespace faultline
