#include "ui/agent_snippet.h"

#include <QJsonArray>
#include <QJsonDocument>

#include <algorithm>

namespace faultline {

namespace {

// A JSON string literal, escaped by Qt (paths may hold quotes or backslashes).
QString jsonString(const QString &text)
{
    return QString::fromUtf8(QJsonDocument(QJsonArray { text }).toJson(QJsonDocument::Compact)).mid(1).chopped(1);
}

// Single quotes for the shell, unless the word needs none.
QString shellWord(const QString &word)
{
    static const QString safe = QStringLiteral("/._-+:=@");
    const bool plain = !word.isEmpty()
        && std::all_of(word.begin(), word.end(), [](QChar c) { return c.isLetterOrNumber() || safe.contains(c); });
    return plain ? word : QLatin1Char('\'') + QString(word).replace(u'\'', QStringLiteral("'\\''")) + QLatin1Char('\'');
}

} // namespace

QString mcpAgentSnippet(
    const QString &faultlineBinary, const QString &dbPath, const Project &project, const QString &collectorHostPort)
{
    // Written out by hand so the keys read in the order the agents' documentation uses.
    const QString command = jsonString(faultlineBinary);
    const QString args = QStringLiteral("[\"mcp\", \"--db\", %1]").arg(jsonString(dbPath));
    return QStringLiteral("# Let your coding agent read these errors (Model Context Protocol).\n"
                          "# Tools: search_issues, get_issue, get_event, list_events, explain_grouping,\n"
                          "# resolve_issue / ignore_issue (the agent must ask you first).\n\n"
                          "# Claude Code:\n"
                          "claude mcp add faultline -- %1 mcp --db %2\n\n"
                          "# Claude Desktop (claude_desktop_config.json), Cursor (~/.cursor/mcp.json):\n"
                          "{\n"
                          "  \"mcpServers\": {\n"
                          "    \"faultline\": {\n"
                          "      \"command\": %3,\n"
                          "      \"args\": %4\n"
                          "    }\n"
                          "  }\n"
                          "}\n\n"
                          "# VS Code (.vscode/mcp.json):\n"
                          "{\n"
                          "  \"servers\": {\n"
                          "    \"faultline\": {\n"
                          "      \"type\": \"stdio\",\n"
                          "      \"command\": %3,\n"
                          "      \"args\": %4\n"
                          "    }\n"
                          "  }\n"
                          "}\n\n"
                          "# Agents that cannot start a program: HTTP on this collector (127.0.0.1 only).\n"
                          "{\n"
                          "  \"mcpServers\": {\n"
                          "    \"faultline\": {\n"
                          "      \"type\": \"http\",\n"
                          "      \"url\": %5,\n"
                          "      \"headers\": { \"Authorization\": %6 }\n"
                          "    }\n"
                          "  }\n"
                          "}\n")
        .arg(shellWord(faultlineBinary), shellWord(dbPath), command, args,
            jsonString(QStringLiteral("http://%1/mcp").arg(collectorHostPort)),
            jsonString(QStringLiteral("Bearer %1").arg(project.publicKey)));
}

} // namespace faultline
