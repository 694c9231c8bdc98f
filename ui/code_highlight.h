#pragma once
// Syntax colouring for the source lines of a stack frame: keywords, strings,
// comments and numbers of Python and JavaScript/TypeScript, one line at a
// time (SDKs send a few lines around the error, not whole files). Colours
// are picked for the palette's base, so dark themes get light hues.
#include <QPalette>
#include <QString>

namespace faultline {

enum class CodeLanguage { Plain, Python, JavaScript };

// From the frame's file name ("views.py", "app.min.js", "handler.ts"), else the event's platform.
CodeLanguage codeLanguage(const QString &filename, const QString &platform = {});

// `line` as HTML: escaped, spaces kept by the caller's white-space:pre, tokens in <span style="color:…">.
QString highlightedLineHtml(const QString &line, CodeLanguage language, const QPalette &palette);

} // namespace faultline
