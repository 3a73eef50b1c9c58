#pragma once
// SQL for the agencies' inbox (/atencion) and the call-centre console (/operador): lists of
// requests for staff, one request with everything staff may see (personal data included), and
// a caller's open requests. Reads only; the writes are in assignment_store.hpp.
// Indexes: migrations/*/0012_requests_staff.sql.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "platform/core/result.hpp"
#include "platform/db/database.hpp"
#include "requests/model/status.hpp"

namespace zocalo::requests {

inline constexpr int kInboxPageSize = 25;
inline constexpr int kInboxMaxPage = 10'000;

enum class InboxSort {
  kAge,  // oldest first: who has waited longest
  kDue,  // SLA due time first; requests without one last
};

struct InboxQuery {
  // The agencies whose requests to list; empty with all_agencies false lists nothing.
  std::vector<std::string> agency_codes;
  bool all_agencies = false;  // admins
  std::optional<RequestStatus> status;
  std::string service_code;  // empty: any
  std::string area_code;     // empty: any
  bool overdue = false;      // expected_at < now and not closed
  bool open_only = false;    // every open status (the default view)
  InboxSort sort = InboxSort::kAge;
  int page = 1;  // 1-based
  int page_size = kInboxPageSize;
  std::int64_t now = 0;
};

struct InboxRow {
  long long id = 0;
  std::string folio;
  RequestStatus status = RequestStatus::kOpen;
  std::string service_code, service_es, service_en;
  std::string area_code, area_name;
  std::string agency_code;
  std::string address;
  std::int64_t requested_at = 0;
  std::optional<std::int64_t> expected_at;
  std::optional<long long> assignee_account_id;
  bool overdue = false;
};

struct InboxPage {
  std::vector<InboxRow> rows;
  long long total = 0;  // rows matching every filter
  // Requests of the agencies per status, whatever the other filters.
  std::map<RequestStatus, long long> counts;
  long long overdue = 0;  // open and past their SLA due time, whatever the other filters
};

struct StaffUpdate {
  long long id = 0;
  RequestStatus status = RequestStatus::kOpen;
  std::string description;
  std::string actor;
  std::int64_t created_at = 0;
  bool is_public = true;
};

// One request as staff see it. PERSONAL DATA: email, names, phone, account_id.
struct StaffRequest {
  long long id = 0;
  std::string folio;
  RequestStatus status = RequestStatus::kOpen;
  std::string status_notes;
  std::string service_code, service_es, service_en;
  std::string agency_code, agency_es, agency_en;
  long long agency_id = 0;
  std::string area_code, area_name;
  std::optional<double> lat, lon;
  std::string address_string;
  std::string description;
  std::string email, first_name, last_name, phone, account_id;
  std::string attributes_json;
  std::string channel;
  std::string media_url;
  std::int64_t requested_at = 0, updated_at = 0;
  std::optional<std::int64_t> expected_at, closed_at;
  std::string parent_folio;
  std::optional<long long> assignee_account_id;
  bool is_private = false;
  std::vector<StaffUpdate> updates;  // oldest first, public and internal
};

struct AgencyRef {
  long long id = 0;
  std::string code, name_es, name_en;
};

struct AreaRef {
  std::string code, name;
};

// A caller's requests for the operator: by account, or by the phone or e-mail given at intake.
struct CallerQuery {
  std::optional<long long> account_id;
  std::string phone;
  std::string email;
  bool open_only = true;
  int limit = 50;
};

class InboxStore {
 public:
  explicit InboxStore(db::Database& db) : db_(db) {}

  Result<InboxPage> list(const InboxQuery& query);
  // nullopt when no request has this folio.
  Result<std::optional<StaffRequest>> find(const std::string& folio);
  Result<std::vector<InboxRow>> for_caller(const CallerQuery& query, std::int64_t now);

  Result<std::vector<AgencyRef>> agencies();
  Result<std::vector<AreaRef>> areas();

 private:
  db::Database& db_;
};

}  // namespace zocalo::requests
