#pragma once
// Open311 GeoReport v2 documents about service requests: GET Service Requests and GET Service
// Request (both an array: a single request is an array of one), the POST Service Request
// answer, and the GET request id from a token answer. All are
// <service_requests><request>…</request>…</service_requests> in XML and arrays in JSON.
#include <string>
#include <string_view>
#include <vector>

#include "requests/open311/format.hpp"
#include "requests/open311/request_view.hpp"

namespace zocalo::requests::open311 {

// Fields in the spec's order: service_request_id, status, status_notes, service_name,
// service_code, description, agency_responsible, service_notice, requested_datetime,
// updated_datetime, expected_datetime, address, address_id, zipcode, lat, long, media_url, then
// extended_attributes when present. Empty text and absent values are null in JSON and empty
// elements in XML, as in the spec's examples; ids are strings; lat/long numbers with 7
// decimals; datetimes ISO 8601 in UTC ("Z").
std::string render_requests(const std::vector<RequestView>& requests, Format format,
                            std::string_view locale = kDefaultLocale);

// Open311 GeoReport v2, POST Service Request response: a realtime service answers with the
// service_request_id, a batch one with a token to exchange later (GET /tokens/{token}).
struct PostAnswer {
  std::string service_request_id;  // set for realtime services
  std::string token;               // set instead for batch services
  std::string service_notice;      // what happens next, e.g. the SLA in words
  std::string account_id;          // echoed when the caller sent one
};

// [{"service_request_id":…,"service_notice":…,"account_id":…}] (or "token" in place of the id
// when service_request_id is empty).
std::string render_post_answer(const std::vector<PostAnswer>& answers, Format format);

// Open311 GeoReport v2, GET request id from a token: service_request_id is null until the
// batch system has made the request.
struct TokenAnswer {
  std::string service_request_id;
  std::string token;
};

std::string render_token_answer(const std::vector<TokenAnswer>& answers, Format format);

}  // namespace zocalo::requests::open311
