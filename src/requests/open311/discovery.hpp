#pragma once
// Open311 Service Discovery (wiki.open311.org/Service_Discovery): GET /discovery.{json,xml}
// tells clients which endpoints exist, for which specification, in which formats.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "requests/open311/format.hpp"

namespace zocalo::requests::open311 {

// The `specification` value that names GeoReport v2, exactly as the discovery page writes it.
inline constexpr std::string_view kGeoReportV2Specification =
    "http://wiki.open311.org/GeoReport_v2";

struct DiscoveryEndpoint {
  std::string specification = std::string(kGeoReportV2Specification);
  std::string url;                  // base URL, e.g. "https://zocalo.example/open311/v2"
  std::int64_t changeset = 0;       // when this endpoint last changed (Unix seconds)
  std::string type = "production";  // "production" or "test"
  std::vector<Format> formats = {Format::kXml, Format::kJson};
};

struct Discovery {
  std::int64_t changeset = 0;  // when this document last changed (Unix seconds)
  std::string contact;         // whom to ask, in words
  std::string key_service;     // where to get an api_key, in words or a URL
  std::vector<DiscoveryEndpoint> endpoints;
};

// JSON: {"changeset":…,"contact":…,"key_service":…,"endpoints":[{"specification":…,"url":…,
// "changeset":…,"type":…,"formats":["text/xml","application/json"]}]}. XML: <discovery>…
// <endpoints><endpoint>…<formats><format>text/xml</format>…</formats></endpoint></endpoints>
// </discovery>. Changesets are ISO 8601 in UTC.
std::string render_discovery(const Discovery& discovery, Format format);

}  // namespace zocalo::requests::open311
