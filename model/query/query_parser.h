#pragma once
// Parses the search language (see model/query/query.h for the terms). Errors
// name the offending term: FieldError::loc is [start, length] of the term in
// the text (UTF-16 positions), msg is for a person, type is "query.<what>".
#include "model/query/query.h"
#include "model/result.h"

#include <QString>

namespace faultline {

Result<Query> parseQuery(const QString &text);

// The [start, length] span of a parseQuery error, {0, 0} when it has none.
struct QuerySpan {
    int start = 0;
    int length = 0;
};
QuerySpan querySpan(const FieldError &error);

} // namespace faultline
