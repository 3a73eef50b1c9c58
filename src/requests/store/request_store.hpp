#pragma once
// SQL for service requests and their updates (migrations/*/0010_requests.sql). Every write is
// one transaction; reads for Open311 never select personal data (request_intake.hpp).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "platform/core/result.hpp"
#include "platform/db/database.hpp"
#include "requests/model/request_intake.hpp"
#include "requests/model/service.hpp"
#include "requests/model/status.hpp"
#include "requests/open311/request_query.hpp"
#include "requests/open311/request_view.hpp"
#include "requests/store/area_locator.hpp"
#include "requests/store/request_notifications.hpp"

namespace zocalo::requests {

struct CreatedRequest {
  long long id = 0;
  std::string folio;      // Open311 service_request_id
  std::string token;      // Open311 token (batch services answer with it)
  std::string area_code;  // empty when given by address only
  std::string agency_code;
  std::string agency_name_es;
  std::string agency_name_en;
  std::optional<std::int64_t> expected_at;
};

struct RequestUpdateInput {
  std::string folio;
  RequestStatus status = RequestStatus::kOpen;  // the same as now: a note, no status change
  std::string description;
  std::string media_url;
  StatusActor actor = StatusActor::kStaff;
  std::string actor_name;  // "api:<key name>", "staff:<id>", ...
  bool is_public = true;
  std::int64_t now = 0;
};

// FixMyStreet's GET servicerequestupdates: one public update.
struct RequestUpdateView {
  long long update_id = 0;
  std::string service_request_id;
  RequestStatus status = RequestStatus::kOpen;
  std::int64_t updated_at = 0;
  std::string description;
  std::string media_url;
};

struct UpdateQuery {
  std::optional<std::int64_t> start_date;  // created_at >= start_date
  std::optional<std::int64_t> end_date;    // created_at <= end_date
  std::vector<std::string> service_request_ids;
  int limit = 1'000;
};

// The facts of a request insert() has just written in `locale`, for its intake notices
// (RequestNotifications::queue_received).
RequestFacts intake_facts(const NewServiceRequest& request, const Service& service,
                          const CreatedRequest& created, std::string_view locale);

class RequestStore {
 public:
  RequestStore(db::Database& db, AreaLocator& areas) : db_(db), areas_(areas) {}

  // Routes and stores a new request with its first update ("open") in one transaction: the
  // point's area (a point outside every area fails with "requests.location.outside", kind
  // invalid), the agency from routing_rules (else the service's), the SLA due time from the
  // Mexico City working calendar, a fresh folio and token.
  Result<CreatedRequest> create(const NewServiceRequest& request, const Service& service);

  // Open311 GET Service Requests: newest first, filtered and paged as `query` says; private
  // requests have their point rounded to 0.001° (about 100 m) and no description.
  Result<std::vector<open311::RequestView>> query(const open311::RequestQuery& query,
                                                  std::string_view locale);
  // The version of everything query() answers from (migration 0017, ADR 0008): it grows with
  // every committed change to requests, their updates, services or agencies.
  Result<std::int64_t> list_version();

  // The folio a token was answered for (tokens are exchanged at once: we file synchronously).
  Result<std::optional<std::string>> folio_for_token(const std::string& token);

  // Applies a status change or a note. Unknown folio → kNotFound; a transition the model
  // refuses → its error (check_transition); otherwise the new update's id.
  Result<long long> add_update(const RequestUpdateInput& update);

  // The area a new request is routed by: its point's (a point outside every area fails with
  // "requests.location.outside", kind invalid), or `chosen_area` for a request without one.
  static Result<std::string> area_of(AreaLocator& areas, const NewServiceRequest& request,
                                     const std::string& chosen_area);

  // The steps of create() and add_update() inside a transaction the caller runs (demo
  // seeding writes hundreds in one). `area_code`: empty for a request without a point.
  // `locale`: the language the reporter is told in ("en…" is English, else es-MX).
  static Result<CreatedRequest> insert(soci::session& sql, const NewServiceRequest& request,
                                       const Service& service, const std::string& area_code,
                                       std::string_view locale = "es-MX");
  static Result<long long> apply_update(soci::session& sql, bool postgres,
                                        const RequestUpdateInput& update);

  // Public updates, oldest first.
  Result<std::vector<RequestUpdateView>> updates(const UpdateQuery& query);

 private:
  db::Database& db_;
  AreaLocator& areas_;
};

}  // namespace zocalo::requests
