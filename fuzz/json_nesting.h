// The nesting depth of JSON text, counted the way modelgate's bounded parsers count it (the
// root container is level 1), so a fuzz target knows whether a parser had to refuse a text
// for depth or had to accept it.
#pragma once

#include <cstddef>
#include <string_view>

namespace modelgate::fuzz {

// The deepest nesting of brackets and braces outside strings. Meaningful for well-formed
// JSON; any text gives some number.
inline int JsonNesting(std::string_view text) {
  int depth = 0;
  int deepest = 0;
  bool in_string = false;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > deepest) deepest = depth;
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
  return deepest;
}

}  // namespace modelgate::fuzz
