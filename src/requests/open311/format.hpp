#pragma once
// Open311 GeoReport v2, "Format Support": the client picks the format with the resource's suffix
// (/services.xml, /requests.json). XML is mandatory, JSON optional; zocalo serves both.
#include <string_view>

#include "platform/core/result.hpp"

namespace zocalo::requests::open311 {

enum class Format { kXml, kJson };

// "xml" or "json", exactly and in lower case as the spec writes them. Anything else fails with
// kNotFound ("requests.open311.unknown_format"): there is no such resource. The route then
// answers 404 with an XML error document, XML being the one format every client reads.
Result<Format> parse_format(std::string_view suffix);

std::string_view to_string(Format format);  // "xml", "json"
// Open311 GeoReport v2: text/xml and application/json, always UTF-8.
std::string_view content_type(Format format);
// The MIME types as service discovery lists them in `formats` ("text/xml", "application/json").
std::string_view media_type(Format format);

// Locale used for service names, descriptions and groups when the request names none.
inline constexpr std::string_view kDefaultLocale = "es-MX";

}  // namespace zocalo::requests::open311
