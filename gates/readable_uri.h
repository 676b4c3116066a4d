// Which URIs the gates can read. The API accepts more schemes than the validator reads:
// gs:// (a Google Cloud Storage object; the validator has no Google client) and pvc://claim/path
// (validation Jobs mount no PersistentVolumeClaim) name data a serving image may reach but a
// gate cannot. Saying so before anything is read spares a run that would fail halfway.
#pragma once

#include <string>

#include "api/gate_name.h"
#include "api/model_version.h"
#include "api/status.h"

namespace modelgate::gates {

// OK when the gates can open `uri`: a plain path, file://, http://, https:// or s3://.
// Otherwise InvalidArgument naming the URI (without credentials), its scheme, why it cannot
// be read and the schemes that can.
Status CheckReadableUri(const std::string& uri);

// Checks every URI `gate` reads from `spec` (its datasets, the reference when the features
// are inferred from it, the robustness gate's user cases) with CheckReadableUri. Returns the
// first problem with the field in front ("spec.datasets.training.uri: gs://..."), else OK.
// Datasets the spec lacks are not this check's business: the gate reports them.
Status CheckGateInputUris(const ModelVersionSpec& spec, GateName gate);

}  // namespace modelgate::gates
