#pragma once
// A 311 service in the catalog: what a resident can report, who answers it, how fast.
// A new service is data, not code (ARCHITECTURE.md): admins edit it in pages or import it
// (catalog_import.hpp); the store is store/service_store.hpp.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "requests/model/attribute.hpp"

namespace zocalo::requests {

// Text in the platform's two languages; Spanish is required, English falls back to Spanish.
struct LocalizedText {
  std::string es;
  std::string en;
  const std::string& in(std::string_view locale) const {
    return locale.starts_with("en") && !en.empty() ? en : es;
  }
};

// Open311 GeoReport v2 service types: realtime (a request id at once), batch (a token first),
// blackbox (no updates published).
enum class ServiceType { kRealtime, kBatch, kBlackbox };

// The GeoReport v2 names, as stored in services.type. (Not called to_string: the open311
// renderers define their own, and ADL would make the two ambiguous there.)
inline std::string_view service_type_name(ServiceType type) {
  switch (type) {
    case ServiceType::kBatch:
      return "batch";
    case ServiceType::kBlackbox:
      return "blackbox";
    case ServiceType::kRealtime:
      break;
  }
  return "realtime";
}

inline std::optional<ServiceType> parse_service_type(std::string_view name) {
  for (const ServiceType t :
       {ServiceType::kRealtime, ServiceType::kBatch, ServiceType::kBlackbox}) {
    if (service_type_name(t) == name) return t;
  }
  return std::nullopt;
}

struct Service {
  std::string code;  // Open311 service_code: 1..64 of [A-Za-z0-9_-], unique
  LocalizedText name;
  LocalizedText description;
  LocalizedText group;                // Open311 group, e.g. "Alumbrado y calles"
  std::vector<std::string> keywords;  // Open311 keywords, Spanish and English together
  std::string agency_code;  // agencies.code answering by default (routing rules may override)
  double sla_hours = 0;     // working hours until expected_datetime; 0: no commitment
  ServiceType type = ServiceType::kRealtime;
  int order = 0;  // position in lists
  bool active = true;
  std::vector<AttributeDefinition> attributes;  // Open311 metadata=true when non-empty

  bool has_metadata() const { return !attributes.empty(); }
};

// Bounds of one service, checked on import (catalog_import.hpp). Lengths in code points.
inline constexpr std::size_t kServiceCodeMaxBytes = 64;
// A service_code travels in URLs (GET /services/{code}.xml), form values and XML text: 1..64 of
// A-Z a-z 0-9 _ -. Anything else cannot name a service.
inline bool is_valid_service_code(std::string_view code) {
  if (code.empty() || code.size() > kServiceCodeMaxBytes) return false;
  for (char c : code) {
    if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
          c == '-')) {
      return false;
    }
  }
  return true;
}
inline constexpr std::size_t kServiceNameMaxChars = 200;
inline constexpr std::size_t kServiceDescriptionMaxChars = 2'000;
inline constexpr std::size_t kServiceGroupMaxChars = 100;
inline constexpr std::size_t kServiceKeywordsMax = 50;
inline constexpr std::size_t kServiceKeywordMaxChars = 60;
inline constexpr std::size_t kServiceAttributesMax = 100;
inline constexpr std::size_t kAttributeValuesMax = 200;
inline constexpr std::size_t kAttributeDescriptionMaxChars = 1'000;
inline constexpr double kServiceSlaHoursMax = 10'000;
inline constexpr int kServiceOrderMax = 1'000'000;  // |order|, for services and attributes

// Open311 publishes keywords as "a comma separated list"; imports (CSV) and the store take
// them the same way, so a keyword never contains a comma.
// "luz, lámpara ,light" → {"luz", "lámpara", "light"}: trimmed, empty items dropped.
inline std::vector<std::string> split_keyword_list(std::string_view list) {
  std::vector<std::string> out;
  while (!list.empty()) {
    const std::size_t comma = list.find(',');
    std::string_view item = list.substr(0, comma);
    list = comma == std::string_view::npos ? std::string_view{} : list.substr(comma + 1);
    while (!item.empty() && (item.front() == ' ' || item.front() == '\t')) item.remove_prefix(1);
    while (!item.empty() && (item.back() == ' ' || item.back() == '\t')) item.remove_suffix(1);
    if (!item.empty()) out.emplace_back(item);
  }
  return out;
}

}  // namespace zocalo::requests
