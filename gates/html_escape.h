// Text for an HTML report that may hold anything a user or a server wrote (feature names,
// messages, request and answer bodies). The page is also well-formed XML, so it can be
// checked by a strict parser and its SVG read by any SVG tool.
#pragma once

#include <string>
#include <string_view>

namespace modelgate::gates {

// `text` safe as HTML and XML element content or attribute value: & < > " ' become
// entities, bytes that are not valid UTF-8 become U+FFFD, and control characters that
// XML 1.0 forbids (all below 0x20 but tab, newline and carriage return, and DEL) are shown as
// "\xNN".
std::string EscapeHtml(std::string_view text);

// A number as a report shows it: up to 4 significant digits ("0.9123", "1.235e+04"),
// "—" for NaN, "∞" / "-∞" for infinities.
std::string FormatReportNumber(double value);

// `text` cut to at most `max_bytes` bytes at a UTF-8 character boundary, with "…" added when
// it was cut.
std::string TruncateUtf8(std::string_view text, std::size_t max_bytes);

}  // namespace modelgate::gates
