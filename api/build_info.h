// What this build of modelgate is: its version and the commit it was built from.
#pragma once

#include <string>

namespace modelgate {

struct BuildInfo {
  std::string version;    // semantic version, such as "0.1.0"
  std::string gitCommit;  // abbreviated commit id, or "unknown" outside a git checkout
  std::string compiler;   // compiler name and version
  std::string apiGroup;   // the CRDs' API group and version, "modelgate.io/v1alpha1"
};

// Returns the build information compiled into this binary.
BuildInfo GetBuildInfo();

}  // namespace modelgate
