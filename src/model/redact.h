// Secrets never reach any output. Rules that quote values use these.
#pragma once

#include <string>
#include <string_view>

namespace obslint {

// "change-me-in-production" -> "ch***"; short values -> "***".
inline std::string MaskSecret(std::string_view value) {
  if (value.size() < 6) return "***";
  return std::string(value.substr(0, 2)) + "***";
}

// "postgres://user:pw@host:5432/db" -> "postgres://user:***@host:5432/db".
inline std::string RedactUrl(std::string_view url) {
  size_t scheme = url.find("://");
  size_t start = scheme == std::string_view::npos ? 0 : scheme + 3;
  size_t at = url.find('@', start);
  size_t slash = url.find('/', start);
  if (at == std::string_view::npos || (slash != std::string_view::npos && slash < at))
    return std::string(url);
  size_t colon = url.find(':', start);
  std::string out(url.substr(0, start));
  if (colon != std::string_view::npos && colon < at) {
    out += url.substr(start, colon - start);
    out += ":***";
  } else {
    out += "***";
  }
  out += url.substr(at);
  return out;
}

}  // namespace obslint
