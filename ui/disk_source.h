#pragma once
// Source lines read from the user's checkout: context for frames the SDK sent
// none for, and a check that the SDK's context still matches the file.
#include "model/event.h"

#include <QString>
#include <QStringList>

namespace faultline {

struct DiskContext {
    QStringList preContext;
    QString contextLine;
    QStringList postContext;
    QString error; // "no such file", "line 120 is past the end (98 lines)", …
    bool missing = false; // nothing at the mapped path

    bool ok() const { return error.isEmpty(); }
};

// Up to `radius` lines either side of `line` (1-based). Files over a few MB, and
// anything but a regular file, are refused. Blocks on the disk: call off the GUI thread.
DiskContext readDiskContext(const QString &localFile, int line, int radius = 5);

// Whether the lines the SDK sent are the file's lines at the same numbers
// (trailing whitespace and the SDK's "..." truncation aside). True when the
// SDK sent no context.
bool sdkContextMatches(const Frame &frame, const DiskContext &disk);

// The frame with its context lines replaced by the disk's.
Frame withDiskContext(Frame frame, const DiskContext &disk);

} // namespace faultline
