#include "storage/postgres/pg_host_plan.h"

#include <QtGlobal>

#include <libpq-fe.h>

namespace faultline {

namespace {

// The value libpq would take for `keyword`: the string's (set, even empty, it
// wins), else the environment variable's. Null when neither says anything.
struct Option {
    QByteArray value;
    bool given = false;
};

Option option(const PQconninfoOption *parsed, const char *keyword, const char *environmentVariable)
{
    for (const PQconninfoOption *it = parsed; it && it->keyword; ++it) {
        if (qstrcmp(it->keyword, keyword) == 0 && it->val)
            return { QByteArray(it->val), true };
    }
    if (qEnvironmentVariableIsSet(environmentVariable))
        return { qgetenv(environmentVariable), true };
    return {};
}

bool saysSomething(const Option &option) { return option.given && !option.value.isEmpty(); }

} // namespace

bool PgHostEntry::isName() const { return !host.isEmpty() && !host.startsWith('/') && !host.startsWith('@'); }

QList<QByteArray> PgHostPlan::names() const
{
    QList<QByteArray> names;
    for (const PgHostEntry &entry : entries) {
        if (entry.isName() && !names.contains(entry.host))
            names.append(entry.host);
    }
    return names;
}

std::optional<PgHostPlan> hostsToLookUp(const QByteArray &conninfo)
{
    char *parseError = nullptr;
    PQconninfoOption *parsed = PQconninfoParse(conninfo.constData(), &parseError);
    if (!parsed) {
        PQfreemem(parseError);
        return std::nullopt; // libpq says why when it connects
    }
    const Option host = option(parsed, "host", "PGHOST");
    const Option port = option(parsed, "port", "PGPORT");
    const bool leftToLibpq = saysSomething(option(parsed, "hostaddr", "PGHOSTADDR"))
        || saysSomething(option(parsed, "service", "PGSERVICE"));
    PQconninfoFree(parsed);
    if (leftToLibpq || !saysSomething(host))
        return std::nullopt;

    PgHostPlan plan;
    const QList<QByteArray> hosts = host.value.split(',');
    const QList<QByteArray> ports = port.value.isEmpty() ? QList<QByteArray>() : port.value.split(',');
    if (ports.size() > 1 && ports.size() != hosts.size())
        return std::nullopt; // libpq refuses it in its own words
    plan.portPerHost = ports.size() > 1;
    for (qsizetype i = 0; i < hosts.size(); ++i)
        plan.entries.append({ hosts[i], plan.portPerHost ? ports[i] : QByteArray() }); // libpq trims nothing either
    if (plan.names().isEmpty())
        return std::nullopt; // socket directories only: nothing to look up
    return plan;
}

PgHostAddresses withAddresses(const PgHostPlan &plan, const QHash<QByteArray, PgLookedUp> &lookedUp)
{
    QList<QByteArray> hosts;
    QList<QByteArray> hostaddrs;
    QList<QByteArray> ports;
    PgHostAddresses result;
    for (const PgHostEntry &entry : plan.entries) {
        if (!entry.isName()) {
            hosts.append(entry.host);
            hostaddrs.append(QByteArray()); // an empty hostaddr: libpq uses the host as it is
            ports.append(entry.port);
            continue;
        }
        const PgLookedUp found = lookedUp.value(entry.host);
        if (found.addresses.isEmpty()) {
            result.unresolved.append(QStringLiteral("could not translate host name \"%1\" to address: %2")
                                         .arg(QString::fromUtf8(entry.host), found.error));
            continue;
        }
        for (const QString &address : found.addresses) {
            hosts.append(entry.host);
            hostaddrs.append(address.toLatin1());
            ports.append(entry.port);
        }
    }
    if (hosts.isEmpty())
        return result;
    result.host = hosts.join(',');
    result.hostaddr = hostaddrs.join(',');
    if (plan.portPerHost)
        result.port = ports.join(',');
    return result;
}

} // namespace faultline
