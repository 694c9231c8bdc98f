#pragma once
// Access to the captured client payloads in tests/fixtures/ (see
// docs/PROTOCOL.md, "Fixtures"). Every test area uses these, so
// they stay small: no parsing beyond the .meta.json files.
#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QPair>
#include <QString>
#include <QStringList>

namespace faultline::test {

// Absolute path of a file in the fixtures directory.
QString fixturePath(const QString &fileName);

// The bytes of FAULTLINE_FIXTURES_DIR/fileName ("python_exception_store.json").
// Empty (and a qWarning naming the path) when the file is missing, so callers
// can QVERIFY(!data.isEmpty()).
QByteArray readFixture(const QString &fileName);

// The parsed <baseName>.meta.json (method, path, query, headers, body_file, …).
// Accepts the base name with or without ".meta.json". Empty when missing.
QJsonObject fixtureMeta(const QString &baseName);

// The request headers recorded in <baseName>.meta.json, in order, original case.
QList<QPair<QByteArray, QByteArray>> fixtureHeaders(const QString &baseName);

// The decompressed body named by the meta file's "body_file" (the .json/.bin);
// a legacy raven body ("body_encoding": "base64+zlib") decoded to its JSON.
QByteArray fixtureBody(const QString &baseName);

// Every fixture's base name (one per *.meta.json), sorted.
QStringList fixtureNames();

} // namespace faultline::test
