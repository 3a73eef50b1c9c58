#pragma once
// SQL for the resident's side of 311 (issue 4, items 5, 7 and 8): filing from the web form with
// the reporter's language and intake notice in one transaction, duplicates near a point,
// following, the public page and list of requests (no personal data), "my requests", and the
// reporter's answer to a closure (confirm fixed, or reopen). Tables: migrations 0010 and 0011.
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "platform/core/result.hpp"
#include "platform/db/database.hpp"
#include "requests/model/geo_point.hpp"
#include "requests/model/request_intake.hpp"
#include "requests/model/service.hpp"
#include "requests/model/status.hpp"
#include "requests/store/area_locator.hpp"
#include "requests/store/request_store.hpp"

namespace zocalo::requests {

// An open request of the same service near a new report's point.
struct NearbyRequest {
  std::string folio;
  RequestStatus status = RequestStatus::kOpen;
  std::int64_t requested_at = 0;
  double distance_m = 0;
  std::string address;  // empty for private requests
};

struct PublicUpdate {
  RequestStatus status = RequestStatus::kOpen;
  std::string description;
  std::int64_t created_at = 0;
};

// A request as anyone may see it: no reporter name, e-mail, phone or device. Private requests
// carry no description or address and a point rounded to 0.001°.
struct PublicRequest {
  long long id = 0;
  std::string folio;
  std::string service_code;
  RequestStatus status = RequestStatus::kOpen;
  std::string status_notes;
  std::string area_code;
  std::string agency_code;
  std::string address;
  std::optional<GeoPoint> point;
  std::string description;
  bool is_private = false;
  std::int64_t requested_at = 0;
  std::int64_t updated_at = 0;
  std::optional<std::int64_t> expected_at;
  std::optional<std::int64_t> closed_at;
  std::vector<PublicUpdate> updates;  // public ones, oldest first
  long long followers = 0;
};

// One line of a list.
struct RequestSummary {
  std::string folio;
  std::string service_code;
  RequestStatus status = RequestStatus::kOpen;
  std::string area_code;
  std::string address;  // empty for private requests
  std::int64_t requested_at = 0;
  std::int64_t updated_at = 0;
};

inline constexpr int kPublicPageSizeMax = 50;
inline constexpr int kPublicPageMax = 1'000;  // page × size bounds the OFFSET a client can ask

struct PublicListFilter {
  std::string service_code;  // empty: any
  std::string area_code;     // empty: any
  std::optional<RequestStatus> status;
  int page = 1;  // 1-based
  int page_size = 20;
};

struct PublicListPage {
  std::vector<RequestSummary> rows;
  bool has_more = false;
};

struct MyRequests {
  std::vector<RequestSummary> reported;
  std::vector<RequestSummary> followed;
};

// Who answers a closure: the signed-in account that filed it, or whoever holds the request's
// token (the private link of the intake e-mail, for reporters without an account).
struct ReporterProof {
  std::optional<long long> account_id;
  std::string token;
};

class ResidentRequestStore {
 public:
  explicit ResidentRequestStore(db::Database& db) : db_(db) {}

  // RequestStore::insert plus the reporter's language and the intake notifications
  // (RequestNotifications, kReceived), one transaction. `locale` is "es-MX" or "en".
  // A point outside every area: "requests.location.outside" (invalid), nothing stored.
  // `chosen_area`: the alcaldía the resident picked for a report without a point, so that it
  // is routed to the right agency (a point's own area always wins). `also`, when given, runs
  // in the same transaction once the request is inserted (PhotoStore: the photo's row).
  using AlsoInTransaction = std::function<Status(soci::session&, const CreatedRequest&)>;
  Result<CreatedRequest> file(AreaLocator& areas, const NewServiceRequest& request,
                              const Service& service, const std::string& chosen_area,
                              std::string_view locale, std::string_view base_url,
                              const AlsoInTransaction& also = {});

  // Open requests (not closed) of `service_code` within `radius_m` of `point`, nearest first,
  // at most `limit` (1..50): a bounding box on lat/lon, then the exact distance.
  Result<std::vector<NearbyRequest>> nearby_open(const std::string& service_code, GeoPoint point,
                                                 double radius_m, int limit = 10);

  // The public view of a request by compact folio, or nullopt.
  Result<std::optional<PublicRequest>> find(const std::string& folio);

  // Whether `proof` shows the reader filed this request (constant-time token comparison).
  Result<bool> is_reporter(const std::string& folio, const ReporterProof& proof);

  // Newest first.
  Result<PublicListPage> list(const PublicListFilter& filter);

  // What an account filed (account_id) and follows, newest first, at most `limit` each.
  Result<MyRequests> mine(long long account_id, int limit = 100);

  // Follows a request: true when new, false when already following. Unknown folio: not_found.
  Result<bool> follow(const std::string& folio, long long account_id, std::int64_t now);
  Result<bool> is_following(long long request_id, long long account_id);

  // The alcaldías a resident may pick (areas of kind "alcaldia"): code → name, by name.
  Result<std::vector<std::pair<std::string, std::string>>> alcaldias();
  // An agency's names (es, en); empty strings when unknown.
  Result<LocalizedText> agency_name(const std::string& code);

  // The reporter's answer to a closure, with a public update and (reopen) notifications, in
  // one transaction. Reopen goes through check_transition (resident, within the window):
  // "requests.status.*" errors as the model gives them. Confirm on a request that is not
  // closed: "requests.status.not_allowed" (conflict). Not the reporter: forbidden.
  Status answer_closure(const std::string& folio, const ReporterProof& proof, bool reopen,
                        const std::string& note, std::int64_t now, std::string_view base_url);

 private:
  db::Database& db_;
};

}  // namespace zocalo::requests
