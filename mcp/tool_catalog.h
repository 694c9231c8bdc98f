#pragma once
// The tools Faultline offers an agent, as tools/list describes them: name,
// title, description, inputSchema, outputSchema (what structuredContent
// holds) and annotations. The descriptions are what the model reads to pick a
// tool, so they say when to use it and how to page.
#include <QJsonArray>
#include <QStringList>

namespace faultline {

QJsonArray toolDefinitions();
QStringList toolNames();

// Limits shared by the schemas and the tools that enforce them.
constexpr int kDefaultPageSize = 20;
constexpr int kMaxPageSize = 100;

} // namespace faultline
