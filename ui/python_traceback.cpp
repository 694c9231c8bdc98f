#include "ui/python_traceback.h"

namespace faultline {

namespace {

QString pythonExceptionLine(const ExceptionValue &exception)
{
    // traceback.format_exception_only qualifies the type except for these modules.
    QString type = exception.type;
    if (!exception.module.isEmpty() && exception.module != QLatin1String("builtins")
        && exception.module != QLatin1String("__main__"))
        type = exception.module + QLatin1Char('.') + type;
    if (type.isEmpty())
        return exception.value;
    return exception.value.isEmpty() ? type : type + QStringLiteral(": ") + exception.value;
}

QString framePath(const Frame &frame)
{
    if (!frame.absPath.isEmpty())
        return frame.absPath;
    if (!frame.filename.isEmpty())
        return frame.filename;
    return frame.module.isEmpty() ? QStringLiteral("<unknown>") : frame.module;
}

} // namespace

QString formatPythonTraceback(const QList<ExceptionValue> &chain)
{
    QString out;
    for (qsizetype i = 0; i < chain.size(); ++i) {
        const ExceptionValue &exception = chain.at(i);
        if (i > 0) {
            // The SDK says `raise … from` (source "__cause__") only for chains it walks itself;
            // without a word, the implicit chaining is the common case.
            const ExceptionValue &previous = chain.at(i - 1);
            if (previous.mechanism && previous.mechanism->source == u"__cause__")
                out += QStringLiteral("\nThe above exception was the direct cause of the following exception:\n\n");
            else
                out += QStringLiteral("\nDuring handling of the above exception, another exception occurred:\n\n");
        }
        if (!exception.frames.isEmpty()) {
            out += QStringLiteral("Traceback (most recent call last):\n");
            for (const Frame &frame : exception.frames) {
                out += QStringLiteral("  File \"%1\", line %2, in %3\n")
                           .arg(framePath(frame))
                           .arg(frame.lineno)
                           .arg(frame.function.isEmpty() ? QStringLiteral("<module>") : frame.function);
                const QString code = frame.contextLine.trimmed();
                if (!code.isEmpty())
                    out += QStringLiteral("    ") + code + QLatin1Char('\n');
            }
        }
        out += pythonExceptionLine(exception) + QLatin1Char('\n');
    }
    return out;
}

QString formatJavaScriptStack(const QList<ExceptionValue> &chain)
{
    QString out;
    // V8 prints the thrown error first; causes follow, as in Node's inspector output.
    for (qsizetype i = chain.size() - 1; i >= 0; --i) {
        const ExceptionValue &exception = chain.at(i);
        if (i != chain.size() - 1)
            out += QStringLiteral("Caused by: ");
        const QString type = exception.type.isEmpty() ? QStringLiteral("Error") : exception.type;
        out += exception.value.isEmpty() ? type : type + QStringLiteral(": ") + exception.value;
        out += QLatin1Char('\n');
        for (qsizetype f = exception.frames.size() - 1; f >= 0; --f) {
            const Frame &frame = exception.frames.at(f);
            QString location = QStringLiteral("%1:%2").arg(framePath(frame)).arg(frame.lineno);
            if (frame.colno > 0)
                location += QStringLiteral(":%1").arg(frame.colno);
            if (frame.function.isEmpty() || frame.function == QLatin1String("?"))
                out += QStringLiteral("    at %1\n").arg(location);
            else
                out += QStringLiteral("    at %1 (%2)\n").arg(frame.function, location);
        }
    }
    return out;
}

QString formatTraceback(const Event &event)
{
    QList<ExceptionValue> chain = event.exceptions;
    if (chain.isEmpty() && !event.threadFrames.isEmpty()) {
        ExceptionValue thread;
        thread.value = event.message.isEmpty() ? event.messageTemplate : event.message;
        thread.frames = event.threadFrames;
        chain.append(thread);
    }
    const bool javascript = event.platform == QLatin1String("node") || event.platform == QLatin1String("javascript");
    return javascript ? formatJavaScriptStack(chain) : formatPythonTraceback(chain);
}

} // namespace faultline
