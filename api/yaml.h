// YAML to JSON, bounded: every manifest modelgate reads from a user goes through here, so a
// hostile file (huge, deeply nested, or an alias "billion laughs" bomb) is refused with an
// error instead of exhausting memory or the stack.
#pragma once

#include <cstddef>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "api/status.h"

namespace modelgate {

// Limits for one call of ParseYaml / ParseYamlDocuments.
struct YamlLimits {
  // Input larger than this is refused before parsing starts.
  size_t max_bytes = 8 << 20;
  // Maximum nesting of mappings and sequences (a document's root is depth 1).
  int max_depth = 64;
  // Maximum number of JSON values produced across all documents, counting every copy an
  // alias makes; this is what stops alias bombs.
  size_t max_nodes = 1'000'000;
  // Maximum number of documents in a stream.
  size_t max_documents = 10'000;
};

// Parses a stream of YAML documents (separated by "---") into JSON values, in order. Empty
// documents (such as a trailing "---") are skipped. Plain scalars are typed as kubectl types
// them: null/~/empty become null, true/false (and YAML 1.1's yes/no/on/off) booleans,
// integers and floats numbers; anything quoted stays a string. Mapping keys become strings.
// `source` (a file name, or "-" for stdin) prefixes every error message. Returns InvalidArgument
// "source:line:column: reason" (1-based) for a syntax error, a duplicate key, a non-scalar key or
// an unknown alias; ResourceExhausted "source:line:column: ..." when a limit in `limits` is
// exceeded (for max_bytes, without a position).
Result<std::vector<nlohmann::json>> ParseYamlDocuments(std::string_view text,
                                                       const std::string& source,
                                                       const YamlLimits& limits = {});

// Parses text that must hold exactly one YAML document.
// Returns what ParseYamlDocuments returns, or InvalidArgument when the stream holds no
// document or more than one.
Result<nlohmann::json> ParseYaml(std::string_view text, const std::string& source,
                                 const YamlLimits& limits = {});

}  // namespace modelgate
