#pragma once
// The backend a storage test runs on (#18). The tests written against the
// backend-neutral interfaces (storage/backend.h, storage/store_readers.h) and
// the EventWriter, which takes a file path or a URI alike, are registered
// twice in tests/CMakeLists.txt: as `storage/tst_x` on a SQLite file in a
// temporary directory, and as `storage/tst_x@postgres` with
// FAULTLINE_TEST_BACKEND=postgres, on a throw-away PostgreSQL cluster of the
// test binary's own (support/postgres_cluster.h). The test itself is the same.
#include "storage/backend.h"
#include "storage/database.h"
#include "storage/postgres/pg_connection.h"
#include "storage/query_sql.h"
#include "storage/statement.h"
#include "support/postgres_cluster.h"

#include <QRegularExpression>
#include <QTemporaryDir>
#include <QVariantList>

#include <memory>
#include <optional>

namespace faultline::test {

class TestBackend {
public:
    TestBackend()
        : m_postgres(qEnvironmentVariable("FAULTLINE_TEST_BACKEND") == QLatin1String("postgres"))
    {
    }

    bool isPostgres() const { return m_postgres; }

    // Once, in initTestCase: the temporary directory, and on PostgreSQL the cluster with a
    // template database at this build's schema. False, and error() says why, when that failed:
    //   QVERIFY2(m_backend.start(), qPrintable(m_backend.error()));
    bool start()
    {
        if (!m_dir.isValid())
            return fail(QStringLiteral("no temporary directory"));
        if (!m_postgres)
            return true;
        m_cluster = std::make_unique<PostgresCluster>();
        if (!m_cluster->startWithDatabase(QString::fromLatin1(kTemplate)))
            return fail(m_cluster->error());
        // Migrated once as a collector's first start does (default project included);
        // each fresh database is a copy of it, much quicker than migrating again.
        StorageResult<std::unique_ptr<StorageBackend>> migrated
            = openStorageBackend(m_cluster->uri(QString::fromLatin1(kTemplate)), BackendUse::Create);
        return migrated ? true : fail(migrated.error().detail);
    }
    QString error() const { return m_error; }

    // A fresh database at this build's schema holding only the default project (id 1),
    // named after `name`: its location (a file path or a URI), empty when it failed.
    QString freshDatabase(const QString &name)
    {
        QString plain = name.toLower();
        plain.replace(QRegularExpression(QStringLiteral("[^a-z0-9]+")), QStringLiteral("_"));
        if (!m_postgres) {
            const QString path = m_dir.filePath(plain + QStringLiteral(".db"));
            StorageResult<std::unique_ptr<StorageBackend>> created = openStorageBackend(path, BackendUse::Create);
            if (!created)
                m_error = created.error().detail;
            return created ? path : QString();
        }
        PgResult<std::unique_ptr<PgConnection>> admin = PgConnection::open(m_cluster->uri(QStringLiteral("postgres")));
        if (!admin) {
            m_error = admin.error().message;
            return {};
        }
        const QByteArray create = QStringLiteral("CREATE DATABASE %1 TEMPLATE %2 STRATEGY FILE_COPY")
                                      .arg(plain, QString::fromLatin1(kTemplate))
                                      .toUtf8();
        if (PgStatus made = admin.value()->execScript(create.constData()); !made) {
            m_error = made.error().message;
            return {};
        }
        return m_cluster->uri(plain);
    }

    // `location` opened as the CLI and the window open it.
    std::unique_ptr<StorageBackend> open(const QString &location, BackendUse use = BackendUse::Write)
    {
        StorageResult<std::unique_ptr<StorageBackend>> opened = openStorageBackend(location, use);
        if (!opened) {
            fail(opened.error().detail);
            qWarning() << "cannot open" << location << m_error;
            return nullptr;
        }
        return std::move(opened).value();
    }

    // The first column of the first row, as a number (-1 when there is none or the query
    // failed), for SQL both dialects read alike; `?` placeholders are bound in order.
    qint64 scalar(const QString &location, const QString &sql, const QVariantList &values = {})
    {
        bool isNumber = false;
        const qint64 number = firstValue(location, sql, values).value_or(QString()).toLongLong(&isNumber);
        return isNumber ? number : -1;
    }
    // The same as text; "<no row>" when there is none or the query failed.
    QString text(const QString &location, const QString &sql, const QVariantList &values = {})
    {
        return firstValue(location, sql, values).value_or(QStringLiteral("<no row>"));
    }

private:
    static constexpr const char *kTemplate = "faultline_template";

    std::optional<QString> firstValue(const QString &location, const QString &sql, const QVariantList &values)
    {
        if (!m_postgres) {
            StorageResult<std::unique_ptr<Database>> db = Database::openChecked(location, Database::Mode::ReadOnly);
            if (!db)
                return std::nullopt;
            Statement statement(db.value()->handle(), sql);
            statement.bindAll(values);
            return statement.step() ? std::optional(statement.text(0)) : std::nullopt;
        }
        PgParams params;
        for (const QVariant &value : values)
            params.push_back(PgParam::text(value.toString()));
        PgResult<std::unique_ptr<PgConnection>> connection = PgConnection::open(location);
        if (!connection)
            return std::nullopt;
        PgResult<PgRows> rows = connection.value()->exec(pgPlaceholders(sql), params);
        if (!rows)
            qWarning() << sql << rows.error().message;
        return rows && rows->rowCount() > 0 ? std::optional(rows->text(0, 0)) : std::nullopt;
    }

    bool fail(const QString &error)
    {
        m_error = error;
        return false;
    }

    const bool m_postgres;
    QTemporaryDir m_dir;
    std::unique_ptr<PostgresCluster> m_cluster;
    QString m_error;
};

} // namespace faultline::test
