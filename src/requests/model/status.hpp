#pragma once
// The life of a service request: our internal statuses, who may move a request between them,
// and how they read in Open311 GeoReport v2 (`status` open/closed) and in FixMyStreet's
// servicerequestupdates extension (OPEN, IN_PROGRESS, ...).
//
// Mexico City's 311 tells the resident at intake, assignment and solution; the statuses between
// are what makes assignment and solution visible, and `reopened` is how a resident whose
// "fixed" pothole is still there reaches the agency again instead of starting over.
#include <cstdint>
#include <string_view>
#include <vector>

#include "platform/core/result.hpp"

namespace zocalo::requests {

enum class RequestStatus {
  kOpen,             // received and routed, nobody has looked yet
  kAcknowledged,     // the agency has seen it (Mexico City 311's "asignado")
  kInProgress,       // work has started
  kActionScheduled,  // work is planned for a date
  kFixed,            // closed: solved
  kClosedNotFixed,   // closed: the agency will not or cannot act (reason in the notes)
  kDuplicate,        // closed: the same problem as another request, which carries the work
  kNotOurs,          // the assigned agency says it is not theirs: waiting to be rerouted
  kReopened,         // a closed request brought back; counts as open
};

// Who asks for the change. Staff act for an agency or the 311 operators; the resident is the
// person who reported; the system is zocalo itself (routing, integrations).
enum class StatusActor { kStaff, kResident, kSystem };

// "in_progress", ...: the names stored in the database and used in staff pages.
std::string_view to_string(RequestStatus status);
// The inverse; unknown names fail with "requests.status.unknown".
Result<RequestStatus> parse_status(std::string_view name);

// Closed statuses stop the SLA clock and are the only ones a reopen may start from.
// `not_ours` is open: the city still owes the resident an answer, it just moves to another
// agency (or staff close it as closed_not_fixed when nobody in the city is responsible).
bool is_closed(RequestStatus status);

// --- Open311 GeoReport v2: `status` is "open" or "closed" (wiki.open311.org/GeoReport_v2,
// GET Service Requests).
enum class Open311Status { kOpen, kClosed };
Open311Status open311_status(RequestStatus status);
std::string_view to_string(Open311Status status);
// The `status` filter of GET requests; other values fail with "requests.status.unknown".
Result<Open311Status> parse_open311_status(std::string_view name);
// Every internal status a `status=open|closed` filter selects.
std::vector<RequestStatus> statuses_in(Open311Status status);

// --- FixMyStreet's servicerequestupdates extension (GeoReport v2 Extensions wiki page).
std::string_view to_fixmystreet(RequestStatus status);
// Names are matched exactly, upper case as sent; unknown ones fail with
// "requests.status.unknown". CLOSED and NO_FURTHER_ACTION both arrive as closed_not_fixed.
Result<RequestStatus> from_fixmystreet(std::string_view name);

// --- Transitions.
struct ReopenPolicy {
  // How long after closure a reopen is accepted. After that the work is history (and counted
  // in the agency's figures); a problem that comes back is a new request.
  std::int64_t window_seconds = 30 * 24 * 3600;
};

struct StatusChange {
  RequestStatus from = RequestStatus::kOpen;
  RequestStatus to = RequestStatus::kOpen;
  StatusActor actor = StatusActor::kStaff;
  std::int64_t now_unix = 0;
  std::int64_t closed_at_unix = 0;  // when `from` was entered; read only for reopens
};

// Ok when `actor` may move a request from `from` to `to`. Errors:
//   requests.status.not_allowed (conflict): no such transition from this status, or no change;
//   requests.status.actor_not_allowed (forbidden): the transition exists, not for this actor;
//   requests.status.reopen_window_closed (conflict): a reopen after the window.
Status check_transition(const StatusChange& change, const ReopenPolicy& policy = {});

// The statuses `actor` may move a request to from `from` (reopen window not considered): what
// a staff page offers in its drop-down.
std::vector<RequestStatus> next_statuses(RequestStatus from, StatusActor actor);

}  // namespace zocalo::requests
