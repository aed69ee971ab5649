// Internal to src/disclose: escaping text for HTML and Markdown.
#pragma once

#include <string>
#include <string_view>

#include "disclose/svg_format.hpp"

namespace assay::disclose::internal {

// HTML text and attribute values: the charts' XML escaping (valid UTF-8
// only, no control characters; &apos; is HTML5 too).
inline std::string html(std::string_view s) { return svg::escape_xml(s); }

// A Markdown table cell: pipes escaped, line breaks flattened.
inline std::string md_cell(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == '|') {
      out += "\\|";
    } else if (c == '\n' || c == '\r') {
      out += ' ';
    } else {
      out += c;
    }
  }
  return out;
}

}  // namespace assay::disclose::internal
