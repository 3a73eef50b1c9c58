#pragma once
// A service request as Open311 GeoReport v2 publishes it (GET Service Requests, GET Service
// Request): only what the formatter needs, filled by the store. No personal data of the
// reporter (name, e-mail, phone, account) ever appears here: GET requests are public.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "requests/model/geo_point.hpp"
#include "requests/model/service.hpp"
#include "requests/model/status.hpp"

namespace zocalo::requests::open311 {

// Open311 GeoReport v2 Extensions, "extensions=true": notes on the request's history.
struct RequestNote {
  std::int64_t datetime = 0;  // Unix seconds
  std::string summary;        // e.g. "Asignado a Obras y Servicios"
  std::string description;    // optional longer text
};

// Open311 GeoReport v2 Extensions: photos beyond the one media_url.
struct RequestPhoto {
  std::string media_url;
  std::string title;
  std::optional<std::int64_t> created_datetime;
};

// Open311 GeoReport v2 Extensions: `extended_attributes`, sent when the client asks for
// extensions=true.
struct ExtendedAttributes {
  std::string channel;                    // how it arrived: "web", "phone", "app", "open311"
  std::string duplicate_of;               // for a duplicate: the request that carries the work
  std::string parent_service_request_id;  // a request grouping this one, if any
  std::vector<RequestNote> notes;
  std::vector<RequestPhoto> photos;
};

struct RequestView {
  std::string service_request_id;  // the folio, compact form
  Open311Status status = Open311Status::kOpen;
  std::string status_notes;
  LocalizedText service_name;  // written in the locale the call asks for
  std::string service_code;
  std::string description;
  std::string agency_responsible;
  std::string service_notice;
  std::int64_t requested_datetime = 0;  // Unix seconds, like every datetime here
  std::optional<std::int64_t> updated_datetime;
  std::optional<std::int64_t> expected_datetime;  // the SLA due time, when there is one
  std::string address;
  std::string address_id;
  std::string zipcode;
  std::optional<GeoPoint> location;  // nullopt: reported with an address only
  std::string media_url;
  // Present only when the call asked for extensions=true.
  std::optional<ExtendedAttributes> extended_attributes;
};

}  // namespace zocalo::requests::open311
