// How deeply JSON text nests, measured before parsing, so that deeply nested input never
// reaches the recursive parts of a JSON library. Every bounded JSON reader counts it the same
// way: the root container is level 1.
#pragma once

#include <string_view>

namespace modelgate {

// The deepest nesting of brackets and braces outside strings (a backslash in a string skips
// the next character; a closing bracket with nothing open is ignored). Meaningful for
// well-formed JSON; any text gives some number.
int JsonNestingDepth(std::string_view text);

}  // namespace modelgate
