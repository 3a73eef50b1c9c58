#include "requests/open311/format.hpp"

#include <string>

namespace zocalo::requests::open311 {

Result<Format> parse_format(std::string_view suffix) {
  if (suffix == "xml") return Format::kXml;
  if (suffix == "json") return Format::kJson;
  // The suffix goes to the log only; it is the caller's text.
  return fail({ErrorKind::kNotFound, "requests.open311.unknown_format",
               "unknown format suffix: " + std::string(suffix.substr(0, 32))});
}

std::string_view to_string(Format format) {
  return format == Format::kXml ? "xml" : "json";
}

std::string_view content_type(Format format) {
  return format == Format::kXml ? "text/xml; charset=utf-8" : "application/json; charset=utf-8";
}

std::string_view media_type(Format format) {
  return format == Format::kXml ? "text/xml" : "application/json";
}

}  // namespace zocalo::requests::open311
