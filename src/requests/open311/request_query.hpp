#pragma once
// Open311 GeoReport v2, GET Service Requests (/requests.{fmt}): the query string read into a
// typed struct, with the spec's defaults made explicit. Pure: the caller passes the decoded
// query pairs and the current time; the store turns the struct into SQL.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "requests/model/status.hpp"
#include "requests/open311/open311_error.hpp"

namespace zocalo::requests::open311 {

// Open311 GeoReport v2: "Default query limit is a span of 90 days or first 1000 requests
// returned, whichever is smallest."
inline constexpr std::int64_t kDefaultWindowSeconds = 90 * 24 * 3600;
inline constexpr int kDefaultPageSize = 1'000;
// Open311 GeoReport v2 Extensions, page/page_size: bounded so one call stays cheap.
inline constexpr int kMaxPageSize = 1'000;
inline constexpr int kMaxPage = 1'000'000;
// service_request_id lists fit in one page of results.
inline constexpr std::size_t kMaxRequestIds = kMaxPageSize;
inline constexpr std::size_t kMaxServiceCodes = 200;

struct RequestQuery {
  // Open311 GeoReport v2: service_request_id "overrides all other arguments". When non-empty,
  // every filter below is empty or absent, page is 1 and page_size kMaxPageSize (the list is at
  // most kMaxRequestIds long); only `extensions` still applies.
  std::vector<std::string> service_request_ids;
  std::vector<std::string> service_codes;  // empty: every service
  std::vector<Open311Status> statuses;     // empty: both open and closed
  // requested_datetime window, both ends included ("earliest/latest datetime to include").
  // Filled in by the default span when the caller gave no date at all (see parse_request_query).
  std::optional<std::int64_t> start_date;
  std::optional<std::int64_t> end_date;
  // Open311 GeoReport v2 Extensions: updated_datetime strictly after / strictly before.
  std::optional<std::int64_t> updated_after;
  std::optional<std::int64_t> updated_before;
  int page = 1;  // 1-based
  int page_size = kDefaultPageSize;
  // Open311 GeoReport v2 Extensions: extensions=true adds extended_attributes to each request.
  bool extensions = false;
  // True when start_date/end_date are the spec's default window rather than the caller's.
  bool default_window = false;

  // Rows to skip: (page - 1) * page_size.
  std::int64_t offset() const { return static_cast<std::int64_t>(page - 1) * page_size; }
};

struct ParsedRequestQuery {
  RequestQuery query;                // meaningful only when there are no errors
  std::vector<Open311Error> errors;  // every problem found, each with code 400
  bool ok() const { return errors.empty(); }
};

// Reads `params` (decoded name/value pairs in query order). Rules:
//   - Open311 GeoReport v2: an empty parameter is the same as an absent one (values are trimmed
//     of spaces and tabs first); in comma lists, empty items are skipped too.
//   - service_request_id, service_code and status are comma lists and may also be repeated;
//     items are deduplicated keeping their first position. Ids are 1..64 of [A-Za-z0-9_.-],
//     codes 1..64 of [A-Za-z0-9_-]; status items are "open" or "closed".
//   - service_request_id present: every other filter, and page/page_size, are ignored without
//     being read (the spec's override); extensions still applies.
//   - start_date, end_date, updated_after, updated_before: ISO 8601 with a zone
//   (time::parse_iso8601);
//     naive times are rejected. end_date before start_date, or updated_before not after
//     updated_after, is an error.
//   - The default span: with none of the four dates, the window is [now − 90 days, now]; with
//     only start_date, end_date = start_date + 90 days; with only end_date, start_date =
//     end_date − 90 days. page_size defaults to 1,000. Both limits hold at once, so the smaller
//     wins, as the spec says. With updated_after/updated_before alone no requested_datetime
//     window is added: a client syncing changes must see old requests updated recently.
//   - page 1..kMaxPage, page_size 1..kMaxPageSize, whole decimal numbers.
//   - extensions "true" or "false".
//   - Other names (jurisdiction_id, api_key, unknown extensions) are left to the caller.
//   - Single-valued parameters given twice (with non-empty values) are an error.
ParsedRequestQuery parse_request_query(
    const std::vector<std::pair<std::string, std::string>>& params, std::int64_t now_unix);

}  // namespace zocalo::requests::open311
