// Label and field selectors as the API server evaluates them, for the fake client and for
// filtering cached objects.
#pragma once

#include <string>

#include "api/status.h"
#include "kube/client.h"

namespace modelgate::kube {

// Returns whether `labels` (a JSON object of strings, or null) matches `selector`:
// comma-separated terms "k", "!k", "k=v", "k==v", "k!=v", "k in (a,b)", "k notin (a,b)".
// An empty selector matches everything. InvalidArgument naming the term when it does not
// parse.
Result<bool> MatchesLabelSelector(const std::string& selector, const Json& labels);

// Returns whether `object` matches a field selector: comma-separated "path=value",
// "path==value" or "path!=value" terms where path is a dotted JSON path
// ("metadata.name", "status.phase"). A missing field compares as "".
Result<bool> MatchesFieldSelector(const std::string& selector, const Json& object);

}  // namespace modelgate::kube
