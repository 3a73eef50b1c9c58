#pragma once
// The agencies' work on a request (issue 4, item 6): status changes with public notes, internal
// notes, assignment to a person, merging a duplicate into its parent and rerouting a request
// that is not ours. Each action is one transaction holding the change, its update row
// (service_request_updates: public or internal) and the resident's notifications
// (RequestNotifications::queue), so none is ever saved without the others.
//
// Who may act is the caller's business (the routes check the staff member's roles against the
// request's agency). To close the gap between that check and the write, every action takes the
// agency the caller saw: if the request moved to another agency meanwhile, the action fails
// with "atencion.agency_changed" (conflict) and changes nothing.
#include <cstdint>
#include <optional>
#include <string>

#include "platform/core/result.hpp"
#include "platform/db/database.hpp"
#include "requests/model/status.hpp"

namespace zocalo::requests {

struct StaffAction {
  std::string folio;
  std::string seen_agency_code;  // the request's agency when the staff member was authorised
  long long actor_account_id = 0;
  std::int64_t now = 0;
};

class AssignmentStore {
 public:
  AssignmentStore(db::Database& db, std::string base_url)
      : db_(db), base_url_(std::move(base_url)) {}

  // Moves the request to `to` (model/status transitions for staff), with an optional public
  // note the resident reads. Notifies: kClosed for a closed status, kReopened for reopened,
  // kStatusChanged otherwise.
  Status change_status(const StaffAction& action, RequestStatus to, const std::string& note);

  // An internal note: kept in the history, never shown to the public nor sent to anyone.
  Status add_internal_note(const StaffAction& action, const std::string& note);

  // Assigns the request to `assignee` (an account; nullopt clears it). `label` is the internal
  // note recorded with it (e.g. "Asignado a Ana Pérez"). An open or reopened request becomes
  // acknowledged (Mexico City 311's "asignado") with a public update, and the resident is told
  // (kAssigned).
  Status assign(const StaffAction& action, std::optional<long long> assignee,
                const std::string& label);

  // Closes the request as a duplicate of `parent_folio` (issue 4, item 5): parent_id set, status
  // duplicate with the public note, its followers and its signed-in reporter follow the parent
  // from now on, and the reporter is told (kMerged). The parent must exist, be another request
  // and not be a duplicate itself ("atencion.merge.*", invalid).
  Status merge_into(const StaffAction& action, const std::string& parent_folio,
                    const std::string& note);

  // Not ours → another agency: the request passes through not_ours (unless already there),
  // moves to `agency_code`, loses its assignee and opens again there; the public note says why.
  // The resident is told (kAssigned).
  Status reroute(const StaffAction& action, const std::string& agency_code,
                 const std::string& note);

 private:
  db::Database& db_;
  std::string base_url_;
};

}  // namespace zocalo::requests
