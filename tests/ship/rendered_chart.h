// The Helm chart as the API server would receive it: `helm template` of charts/modelgate with
// a set of values, parsed into one JSON object per manifest, and the lookups the chart tests
// share.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "api/status.h"

namespace modelgate::ship {

// The release the tests render: its name and namespace appear in object names and flags.
inline constexpr char kReleaseName[] = "modelgate";
inline constexpr char kReleaseNamespace[] = "modelgate-system";

// charts/modelgate in the source tree.
std::string ChartDir();

// The pinned helm binary built by scripts/helm.sh. Returns Unavailable, saying to run
// scripts/setup.sh, when it has not been built.
Result<std::string> HelmBinary();

// Runs `helm ARGS` (ARGS shell-quoted by the caller) and returns what it printed on stdout.
// Returns Internal with helm's stderr when it exits non-zero.
Result<std::string> RunHelm(const std::string& args);

// The manifests `helm template` renders for kReleaseName in kReleaseNamespace with the given
// `--set`/`--values` flags (shell-quoted by the caller). CRDs from crds/ are included.
// Returns helm's error, or the YAML parser's, on failure.
Result<std::vector<nlohmann::json>> RenderChart(const std::string& value_flags = "");

// The manifests of `kind` (e.g. "ClusterRole") in `manifests`, in rendered order.
std::vector<nlohmann::json> OfKind(const std::vector<nlohmann::json>& manifests,
                                   const std::string& kind);

// The one manifest of `kind` named `name`; null JSON when there is none.
nlohmann::json Named(const std::vector<nlohmann::json>& manifests, const std::string& kind,
                     const std::string& name);

// Reads a file of the source tree (path relative to its root); empty when unreadable.
std::string ReadSourceFile(const std::string& relative_path);

// Single-quotes `text` for /bin/sh.
std::string ShellQuote(const std::string& text);

}  // namespace modelgate::ship
