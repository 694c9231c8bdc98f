#include "app/logging.h"

#include <QDir>

#include <spdlog/sinks/rotating_file_sink.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

namespace faultline {

bool setUpLogging(const QString &logDirectory, const QString &level, QString *error)
{
    auto console = std::make_shared<spdlog::sinks::stderr_color_sink_mt>();
    std::vector<spdlog::sink_ptr> sinks { console };
    bool ok = true;
    try {
        QDir().mkpath(logDirectory);
        const QString file = QDir(logDirectory).filePath(QStringLiteral("faultline.log"));
        sinks.push_back(std::make_shared<spdlog::sinks::rotating_file_sink_mt>(file.toStdString(), 5 * 1024 * 1024, 3));
    } catch (const spdlog::spdlog_ex &e) {
        if (error)
            *error = QStringLiteral("cannot open log file in %1: %2").arg(logDirectory, QString::fromUtf8(e.what()));
        ok = false;
    }
    auto logger = std::make_shared<spdlog::logger>("faultline", sinks.begin(), sinks.end());
    logger->set_pattern("%Y-%m-%dT%H:%M:%S.%e %^%l%$ [%t] %v");

    const auto parsed = spdlog::level::from_str(level.toStdString());
    // from_str answers "off" for anything it does not know; only accept that when asked.
    if (parsed == spdlog::level::off && level != QLatin1String("off")) {
        if (error)
            *error = QStringLiteral("unknown log level '%1' (trace, debug, info, warn, error, off)").arg(level);
        ok = false;
        logger->set_level(spdlog::level::info);
    } else {
        logger->set_level(parsed);
    }
    logger->flush_on(spdlog::level::warn);
    spdlog::set_default_logger(logger);
    spdlog::flush_every(std::chrono::seconds(2));
    return ok;
}

} // namespace faultline
