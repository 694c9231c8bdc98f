#include "storage/stop_pipe.h"

#include <fcntl.h>
#include <unistd.h>

namespace faultline {

StopPipe::StopPipe()
{
    if (::pipe2(m_ends, O_CLOEXEC | O_NONBLOCK) != 0)
        m_ends[0] = m_ends[1] = -1;
}

StopPipe::~StopPipe()
{
    for (int end : m_ends) {
        if (end >= 0)
            ::close(end);
    }
}

void StopPipe::stop()
{
    if (m_ends[1] < 0)
        return;
    const char byte = 1;
    [[maybe_unused]] const auto written = ::write(m_ends[1], &byte, 1); // full: readable already
}

void StopPipe::reset()
{
    if (m_ends[0] < 0)
        return;
    char drained[64];
    while (::read(m_ends[0], drained, sizeof drained) > 0) { }
}

} // namespace faultline
