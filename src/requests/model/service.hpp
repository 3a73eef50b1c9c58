#pragma once
// A 311 service in the catalog: what a resident can report, who answers it, how fast.
// A new service is data, not code (ARCHITECTURE.md): admins edit it in pages or import it.
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

}  // namespace zocalo::requests
