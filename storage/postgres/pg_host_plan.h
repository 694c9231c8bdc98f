#pragma once
// Which host names of a connection string Faultline looks up itself before
// libpq connects (PgConnection::openStoppable, pg_host_lookup.h), and what
// it then adds to the string: each name's addresses as `hostaddr`, beside the
// name as `host`. libpq documents that a `hostaddr` spares it the look-up,
// while `host` still names the server for TLS verification (verify-full),
// .pgpass and Kerberos.
//
// Only where the hosts can be read as libpq reads them: the string's `host`
// (a URI's, a key=value string's), else PGHOST; with `port` (else PGPORT)
// either one for all hosts or one per host. When a service file may say
// where the server is (`service`, PGSERVICE), when `hostaddr` is already
// given (the string or PGHOSTADDR), when no host is named (the local socket)
// or only socket directories, or when libpq cannot parse the string, nothing
// is looked up here and libpq does as it always did.
#include <QByteArray>
#include <QHash>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace faultline {

struct PgHostEntry {
    QByteArray host; // as written: a name, a numeric address, "" or a socket directory ("/…", "@…")
    QByteArray port; // this host's own when the string gives one per host; empty otherwise
    bool isName() const; // looked up (numeric addresses too: getaddrinfo() answers those at once)
};

struct PgHostPlan {
    QList<PgHostEntry> entries; // in the string's order
    bool portPerHost = false;
    QList<QByteArray> names() const; // the entries to look up, each once
};

// Nothing when libpq must look the hosts up itself (see above). Reads PGHOST,
// PGHOSTADDR, PGPORT and PGSERVICE from the environment, as libpq would.
std::optional<PgHostPlan> hostsToLookUp(const QByteArray &conninfo);

struct PgLookedUp {
    QStringList addresses; // numeric, in getaddrinfo()'s order; empty when it failed
    QString error; // why it failed
};

// What follows the user's string in the connection parameters: every name
// becomes one entry per address (libpq tries them in order, as it tries the
// addresses of a name it looked up), socket directories stay as they are.
// A name without addresses is left out and said in `unresolved`, in libpq's
// words; no host left at all: `host` is empty.
struct PgHostAddresses {
    QByteArray host;
    QByteArray hostaddr;
    QByteArray port; // empty: the string's port (or PGPORT) stands
    QStringList unresolved;
};
PgHostAddresses withAddresses(const PgHostPlan &plan, const QHash<QByteArray, PgLookedUp> &lookedUp);

} // namespace faultline
