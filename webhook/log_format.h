// How the webhook's logs are written: key=value text for people, or one JSON object per
// line for log collectors (`--log-format json`).
#pragma once

#include <string_view>

#include "api/status.h"

namespace modelgate::webhook {

// Sets the default spdlog logger's pattern for `format`, "text" or "json". In JSON each
// line is {"time":..., "level":..., "msg":...} with the message escaped.
// Returns InvalidArgument naming the flag for any other format.
Status ConfigureLogFormat(std::string_view format);

}  // namespace modelgate::webhook
