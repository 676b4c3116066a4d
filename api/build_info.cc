#include "api/build_info.h"

namespace modelgate {

BuildInfo GetBuildInfo() {
  BuildInfo info;
  info.version = MODELGATE_VERSION;
  info.gitCommit = MODELGATE_GIT_COMMIT;
  info.compiler = "g++ " __VERSION__;
  info.apiGroup = "modelgate.io/v1alpha1";
  return info;
}

}  // namespace modelgate
