#pragma once
// What one stack frame contributes to a v2 grouping key: the parts of it that
// stay the same when the same code fails again on another deploy, host or
// bundle. Line and column numbers never count: any edit above moves them.
#include "model/event.h"

#include <QString>
#include <QStringView>

namespace faultline {

struct FrameIdentity {
    QString location; // module, else the script's cleaned path or the file's base name
    QString function; // empty when unknown or anonymous
    QString contextLine; // the source line, whitespace collapsed; empty when not used
    QString ignored; // why the frame does not count at all (eval, native code); empty when it does
    bool isEmpty() const { return location.isEmpty() && function.isEmpty() && contextLine.isEmpty(); }
};

// `platform` is the event's ("python", "javascript", "node", …): it decides
// JavaScript's URL cleaning and function trimming and whether context lines
// count (they do where SDKs send the real source line, as Sentry trusts them).
FrameIdentity frameIdentity(const Frame &frame, QStringView platform);

// "https://cdn.example.com/static/main.3f9a1c.js?v=2#x" -> "static/main.js":
// scheme, host, query and fragment dropped, content hashes removed from the
// file name and from hash-only directories.
QString cleanScriptPath(QStringView url);

bool isJavaScriptPlatform(QStringView platform);

} // namespace faultline
