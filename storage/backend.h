#pragma once
// One storage backend behind one set of interfaces (#18): a SQLite file or a
// PostgreSQL database, chosen at open by what `--db` names. Callers talk to
// the interfaces (ProjectCatalog, storage/store_readers.h) and never ask which backend they have;
// each backend implements them on its own connection. No ORM: every
// implementation writes its own SQL.
#include "storage/storage_error.h"

#include <QString>

#include <memory>

namespace faultline {

class AlertStore;
class ActivityReader;
class EventReader;
class GroupingRuleStore;
class IssueMerger;
class IssueReader;
class PageReader;
class ProjectLimitStore;
class IssueStatusChanger;
class ProjectCatalog;
class ProjectToolSettings;

enum class BackendUse {
    Read, // an existing database; SQLite opens it read-only (works while the app collects)
    Write, // an existing database, read-write
    Create, // read-write, creating (SQLite: the file; PostgreSQL: the schema) when there is none yet
};

class StorageBackend {
public:
    virtual ~StorageBackend() = default;
    StorageBackend(const StorageBackend &) = delete;
    StorageBackend &operator=(const StorageBackend &) = delete;

    // The path, or the URI without its password: what messages may show.
    virtual QString displayName() const = 0;
    virtual ProjectCatalog &projects() = 0;
    virtual IssueReader &issues() = 0;
    virtual EventReader &events() = 0;
    virtual IssueStatusChanger &statuses() = 0; // needs Write or Create
    // A fact the running app published (storage/app_state.h); empty when there is none.
    virtual QString appState(const QString &key) const = 0;
    // pg-cli (#18): merge and split of issues; needs Write or Create.
    virtual IssueMerger &merger() = 0;
    // pg-cli (#18): per-project limits; setting them needs Write or Create.
    virtual ProjectLimitStore &limits() = 0;
    // pg-cli (#18): the error pages services attached to events.
    virtual PageReader &pages() = 0;
    // The server closed the connection while it was idle (a restart, a network cut): its
    // owner opens a new one rather than fail every task from now on. SQLite: never.
    virtual bool isConnectionLost() { return false; }
    // pg-rules (#18): a project's merge and split rules and its re-grouping
    // (storage/grouping_rule_store.h); removing and re-grouping need Write or Create.
    virtual GroupingRuleStore &groupingRules() = 0;
    // pg-rules (#18): alert rules, deliveries and the SMTP server
    // (storage/alert_store.h); changing them needs Write or Create.
    virtual AlertStore &alerts() = 0;
    // pg-window (#18): what the window's remaining views read and change.
    // Events per project per hour, client reports and refusals (overview, dropped events).
    virtual ActivityReader &activity() = 0;
    // Per-project source roots and replay target (storage/project_tools.h).
    virtual ProjectToolSettings &projectTools() = 0;
    // Publishes a fact under `key` (storage/app_state.h), replacing what was there.
    virtual StorageResult<void> setAppState(const QString &key, const QString &value) = 0;

protected:
    StorageBackend() = default;
};

// `location` is a file path, or a postgresql:// / postgres:// URI (pg_uri.h)
// that libpq completes from PG* variables and service files. PostgreSQL:
// Create migrates (under an advisory lock) and adds the default project to a
// fresh database; Read and Write need a database some Faultline set up.
// `stopFd`: for an owner that must be able to stop the thread that opens (the
// read end of its StopPipe, storage/stop_pipe.h): PostgreSQL's connect and host
// name look-up then give up when it turns readable. -1: libpq connects as it
// does, blocking.
StorageResult<std::unique_ptr<StorageBackend>> openStorageBackend(
    const QString &location, BackendUse use, int stopFd = -1);

} // namespace faultline
