#pragma once
// Reading a tools/call's `arguments` against what the tool's inputSchema
// promises, with messages an agent can correct itself from ("limit must be an
// integer from 1 to 100, got 500"). The first problem is kept; later reads
// return defaults so a tool can read everything and then check ok().
#include <QJsonObject>
#include <QString>
#include <QStringList>

#include <optional>

namespace faultline {

class ToolArguments {
public:
    ToolArguments(QJsonObject arguments, const QStringList &known);

    qint64 requiredId(const QString &name);
    QString optionalString(const QString &name, const QString &fallback = {});
    QString requiredString(const QString &name);
    int limit(const QString &name, int fallback, int maximum);
    bool confirmation(const QString &name); // must be exactly true
    int cursorOffset(const QString &name); // 0 when absent

    bool ok() const { return m_error.isEmpty(); }
    QString error() const { return m_error; }

private:
    void fail(const QString &message);
    QJsonObject m_arguments;
    QString m_error;
};

// Paging cursors are opaque to clients (MCP pagination): base64url of "o:<offset>".
QString encodeCursor(int offset);
std::optional<int> decodeCursor(const QString &cursor);

} // namespace faultline
