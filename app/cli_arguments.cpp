#include "app/cli_arguments.h"

namespace faultline {

namespace {

std::nullopt_t complain(const QString &message, const CliSyntax &syntax, QTextStream &err)
{
    err << "faultline: " << message << "\n";
    if (!syntax.usage.isEmpty())
        err << syntax.usage << "\n";
    return std::nullopt;
}

} // namespace

std::optional<qint64> CliArguments::number(const QString &option, qint64 min, qint64 max) const
{
    bool ok = false;
    const qint64 number = value(option).toLongLong(&ok);
    if (!ok || number < min || number > max)
        return std::nullopt;
    return number;
}

std::optional<CliArguments> parseCliArguments(const QStringList &words, const CliSyntax &syntax, QTextStream &err)
{
    CliArguments arguments;
    bool optionsEnded = false;
    for (int i = 0; i < words.size(); ++i) {
        const QString &word = words[i];
        // A lone "-" is not an option.
        if (optionsEnded || !word.startsWith(u'-') || word.size() == 1) {
            arguments.positionals.append(word);
            continue;
        }
        if (word == u"--") {
            optionsEnded = true;
            continue;
        }
        QString typed = word; // as the user spelt it, for complaints
        std::optional<QString> inlineValue;
        if (word.startsWith(QLatin1String("--")) && word.contains(u'=')) {
            typed = word.left(word.indexOf(u'='));
            inlineValue = word.mid(word.indexOf(u'=') + 1);
        }
        const QString name = syntax.aliases.value(typed, typed);
        if (syntax.flags.contains(name)) {
            if (inlineValue)
                return complain(typed + QStringLiteral(" takes no value"), syntax, err);
            arguments.flags.insert(name);
        } else if (syntax.valueOptions.contains(name)) {
            if (!inlineValue && i + 1 >= words.size())
                return complain(typed + QStringLiteral(" needs a value"), syntax, err);
            // The next word is the value even when it starts with a dash: "--query -level:info".
            arguments.values.insert(name, inlineValue ? *inlineValue : words[++i]);
        } else {
            return complain(QStringLiteral("unknown option ") + typed, syntax, err);
        }
    }
    // Checked after the options, so that a bad option is named before a stray word.
    if (!syntax.positionals && !arguments.positionals.isEmpty())
        return complain(QStringLiteral("unexpected argument '%1'").arg(arguments.positionals.first()), syntax, err);
    return arguments;
}

} // namespace faultline
