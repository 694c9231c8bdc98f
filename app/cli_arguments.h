#pragma once
// The words after a `faultline` subcommand, split into options and positionals
// the same way, and complained about in the same words, for every command.
#include <QHash>
#include <QSet>
#include <QString>
#include <QStringList>
#include <QTextStream>

#include <optional>

namespace faultline {

// What a command accepts. Options are named as typed, with their dashes.
struct CliSyntax {
    QStringList valueOptions; // take a value: "--db PATH" or "--db=PATH"
    QStringList flags; // take none: "--json"
    QHash<QString, QString> aliases = {}; // another spelling -> the option's name, e.g. "-q" -> "--query"
    bool positionals = false; // words that are not options; otherwise each is an "unexpected argument"
    QString usage = {}; // printed on its own line after any complaint about the arguments
};

struct CliArguments {
    QHash<QString, QString> values; // by option name; the last one given wins
    QSet<QString> flags;
    QStringList positionals;

    bool isSet(const QString &option) const { return values.contains(option) || flags.contains(option); }
    QString value(const QString &option) const { return values.value(option); }
    // The value of `option` as a whole number from min to max; nullopt for anything else.
    std::optional<qint64> number(const QString &option, qint64 min, qint64 max) const;
};

// Accepts "--opt value", "--opt=value" and "--" (every word after it is positional).
// On an unknown option, a missing value, a value given to a flag or an unexpected
// positional it writes "faultline: …" and the usage to err and returns nullopt:
// the command then exits 2.
std::optional<CliArguments> parseCliArguments(const QStringList &words, const CliSyntax &syntax, QTextStream &err);

} // namespace faultline
