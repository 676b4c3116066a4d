// The rows the quality gate scores: the features to send to a model and the known answer of
// each row, read from a hold-out or training dataset.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "api/model_version.h"
#include "api/status.h"
#include "gates/dataset.h"
#include "gates/inference_types.h"

namespace modelgate::gates {

struct LabeledRows {
  std::string source;                // file path or URL, for messages
  InferenceBatch features;           // the schema's features, in schema order
  std::vector<std::string> targets;  // the target's raw text, one per row
};

// Reads up to `max_rows` rows of `source` (`name` in messages): the schema's features and its
// target column. Numeric features become numbers, null values (dataset.h) nulls, others text.
// With `stop_at_max_rows` the rest of the file is left unread (a sample of the head);
// without it, more rows than `max_rows` is ResourceExhausted. Returns InvalidArgument naming
// the source and line for a missing column, a numeric feature or a regression target that is
// not a number, or a null target; the reader's own errors (ragged rows, invalid UTF-8) pass
// through with their file:line:column.
// REQUIRES: schema.target is set.
Result<LabeledRows> ReadLabeledRows(RowSource& source, const std::string& name,
                                    const ModelSchema& schema, std::size_t max_rows,
                                    bool stop_at_max_rows = false);

}  // namespace modelgate::gates
