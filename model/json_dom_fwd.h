#pragma once
// Names from model/json_dom.h, for headers: simdjson.h is 1.3 MB, so only the
// files that read JSON include the full header.
namespace faultline::json {
class Node;
class Document;
} // namespace faultline::json
