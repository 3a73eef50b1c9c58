#pragma once
// Open311 GeoReport v2, POST Service Request (and FixMyStreet's POST Service Request Update):
// the form fields read into typed structs, every field checked (model/request_intake.hpp).
// Pure: the api_key and the service are checked by the caller against the store, first, so
// that a bad key is a 403 and an unknown service a 404 whatever else is wrong.
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "requests/model/attribute.hpp"
#include "requests/model/request_intake.hpp"
#include "requests/model/status.hpp"
#include "requests/open311/open311_error.hpp"

namespace zocalo::requests::open311 {

using FormFields = std::vector<std::pair<std::string, std::string>>;

struct PostRequestInput {
  std::optional<GeoPoint> point;
  std::string address_string;
  std::string address_id;
  std::string description;
  std::string media_url;
  ContactDetails contact;
  std::vector<SubmittedAttribute> attributes;  // still to validate against the service
};

struct ParsedPostRequest {
  PostRequestInput input;
  std::vector<Open311Error> errors;  // each 400
  bool ok() const { return errors.empty(); }
};

// The first non-empty value of `name` (Open311: an empty parameter is an absent one), or
// nullopt; `twice` is set when a second non-empty value follows.
std::optional<std::string> single_field(const FormFields& fields, std::string_view name,
                                        bool* twice = nullptr);

// Reads lat/long (both or neither; decimal degrees on the globe), address_string, address_id
// (one of the three locations is required: 400 "a location is required"), description
// (≤ 4,000 characters), media_url, email, phone, first_name, last_name, device_id, account_id,
// and the attribute[CODE] / attribute[CODE][] fields. Single-valued fields given twice with
// different values are an error. Other names (api_key, service_code, jurisdiction_id, unknown
// extensions) are left to the caller.
ParsedPostRequest parse_post_request(const FormFields& fields);

struct PostUpdateInput {
  std::string service_request_id;
  RequestStatus status = RequestStatus::kOpen;
  std::string description;
  std::string media_url;
};

struct ParsedPostUpdate {
  PostUpdateInput input;
  std::vector<Open311Error> errors;
  bool ok() const { return errors.empty(); }
};

// FixMyStreet's POST servicerequestupdates: service_request_id and status (OPEN, IN_PROGRESS,
// ACTION_SCHEDULED, FIXED, CLOSED, DUPLICATE, NOT_COUNCILS_RESPONSIBILITY, NO_FURTHER_ACTION,
// REOPEN) required; description ≤ 4,000; media_url. updated_datetime, update_id and the
// updater's contact fields are accepted and not kept: the update is dated when it arrives.
ParsedPostUpdate parse_post_update(const FormFields& fields);

}  // namespace zocalo::requests::open311
