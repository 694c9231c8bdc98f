#include "support/collector/running_collector.h"

#include "storage/database.h"

namespace faultline::test {

bool RunningCollector::start(CollectorOptions options, QString *error)
{
    QString ignored;
    QString &message = error ? *error : ignored;
    if (!m_dir.isValid()) {
        message = QStringLiteral("no temporary directory: %1").arg(m_dir.errorString());
        return false;
    }
    m_dbPath = m_dir.filePath(QStringLiteral("collector.db"));
    {
        auto db = Database::open(m_dbPath, Database::Mode::ReadWrite, &message);
        if (!db)
            return false;
        const QList<Project> projects = ProjectStore(*db).all();
        if (projects.isEmpty()) {
            message = QStringLiteral("the new database has no default project");
            return false;
        }
        m_project = projects.first();
    }
    m_writer = std::make_unique<EventWriter>(m_dbPath);
    if (!m_writer->start(&message))
        return false;
    options.http.port = 0;
    m_collector = std::make_unique<Collector>(options, m_dbPath, *m_writer);
    return m_collector->start(&message);
}

void RunningCollector::stop()
{
    m_collector.reset();
    m_writer.reset();
}

QByteArray RunningCollector::storePath() const { return "/api/" + QByteArray::number(m_project.id) + "/store/"; }

QByteArray RunningCollector::envelopePath() const { return "/api/" + QByteArray::number(m_project.id) + "/envelope/"; }

QByteArray RunningCollector::sentryAuth(const QByteArray &version) const
{
    return "Sentry sentry_key=" + publicKey() + (version.isEmpty() ? QByteArray() : ", sentry_version=" + version);
}

std::optional<EventRow> RunningCollector::storedEvent(const QString &eventId) const
{
    QString error;
    auto db = Database::open(m_dbPath, Database::Mode::ReadOnly, &error);
    if (!db) {
        qWarning("cannot read %s: %s", qPrintable(m_dbPath), qPrintable(error));
        return std::nullopt;
    }
    StorageResult<EventRow> row = EventQueries(*db).byEventId(eventId);
    return row ? std::optional<EventRow>(std::move(*row)) : std::nullopt;
}

} // namespace faultline::test
