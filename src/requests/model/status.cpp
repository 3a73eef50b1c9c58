#include "requests/model/status.hpp"

#include <array>
#include <string>

#include "platform/core/text.hpp"

namespace zocalo::requests {
namespace {

struct StatusNames {
  RequestStatus status;
  std::string_view internal;
  std::string_view fixmystreet;
};

// One row per status; to_fixmystreet reads the third column. FixMyStreet has no
// "acknowledged" among the update statuses we exchange, so it goes out as OPEN: to the other
// side the request is still open and untouched by work.
constexpr std::array<StatusNames, 9> kNames{{
    {RequestStatus::kOpen, "open", "OPEN"},
    {RequestStatus::kAcknowledged, "acknowledged", "OPEN"},
    {RequestStatus::kInProgress, "in_progress", "IN_PROGRESS"},
    {RequestStatus::kActionScheduled, "action_scheduled", "ACTION_SCHEDULED"},
    {RequestStatus::kFixed, "fixed", "FIXED"},
    {RequestStatus::kClosedNotFixed, "closed_not_fixed", "NO_FURTHER_ACTION"},
    {RequestStatus::kDuplicate, "duplicate", "DUPLICATE"},
    {RequestStatus::kNotOurs, "not_ours", "NOT_COUNCILS_RESPONSIBILITY"},
    {RequestStatus::kReopened, "reopened", "REOPEN"},
}};

// Incoming FixMyStreet names. CLOSED is FixMyStreet's generic "closed" (shown to residents as
// "Closed", as distinct from "Fixed"), so it is a closure without a fix.
struct IncomingName {
  std::string_view fixmystreet;
  RequestStatus status;
};
constexpr std::array<IncomingName, 9> kFromFixMyStreet{{
    {"OPEN", RequestStatus::kOpen},
    {"IN_PROGRESS", RequestStatus::kInProgress},
    {"ACTION_SCHEDULED", RequestStatus::kActionScheduled},
    {"FIXED", RequestStatus::kFixed},
    {"CLOSED", RequestStatus::kClosedNotFixed},
    {"NO_FURTHER_ACTION", RequestStatus::kClosedNotFixed},
    {"DUPLICATE", RequestStatus::kDuplicate},
    {"NOT_COUNCILS_RESPONSIBILITY", RequestStatus::kNotOurs},
    {"REOPEN", RequestStatus::kReopened},
}};

constexpr unsigned bit(StatusActor a) {
  return 1u << static_cast<unsigned>(a);
}
constexpr unsigned kStaff = bit(StatusActor::kStaff);
constexpr unsigned kResident = bit(StatusActor::kResident);
constexpr unsigned kSystem = bit(StatusActor::kSystem);

struct Transition {
  RequestStatus from;
  RequestStatus to;
  unsigned actors;  // bit set of StatusActor
};

using S = RequestStatus;

// Everything not listed is refused. The shape:
//   - staff move an open request through the working statuses and close it; the system may
//     acknowledge (an agency integration confirming receipt) but never closes anything;
//   - not_ours goes back to open when the request is rerouted (by routing or by an operator),
//     or is closed by staff when nobody in the city is responsible;
//   - a fixed or closed_not_fixed request may be reopened by its resident or by staff, within
//     the reopen window; a duplicate only by staff (it was wrongly merged: the resident follows
//     the original request instead);
//   - reopened behaves like open.
constexpr std::array kTransitions = std::to_array<Transition>({
    {S::kOpen, S::kAcknowledged, kStaff | kSystem},
    {S::kOpen, S::kInProgress, kStaff},
    {S::kOpen, S::kActionScheduled, kStaff},
    {S::kOpen, S::kFixed, kStaff},
    {S::kOpen, S::kClosedNotFixed, kStaff},
    {S::kOpen, S::kDuplicate, kStaff},
    {S::kOpen, S::kNotOurs, kStaff},

    {S::kAcknowledged, S::kInProgress, kStaff},
    {S::kAcknowledged, S::kActionScheduled, kStaff},
    {S::kAcknowledged, S::kFixed, kStaff},
    {S::kAcknowledged, S::kClosedNotFixed, kStaff},
    {S::kAcknowledged, S::kDuplicate, kStaff},
    {S::kAcknowledged, S::kNotOurs, kStaff},

    {S::kInProgress, S::kActionScheduled, kStaff},
    {S::kInProgress, S::kFixed, kStaff},
    {S::kInProgress, S::kClosedNotFixed, kStaff},
    {S::kInProgress, S::kDuplicate, kStaff},
    {S::kInProgress, S::kNotOurs, kStaff},

    {S::kActionScheduled, S::kInProgress, kStaff},
    {S::kActionScheduled, S::kFixed, kStaff},
    {S::kActionScheduled, S::kClosedNotFixed, kStaff},
    {S::kActionScheduled, S::kDuplicate, kStaff},
    {S::kActionScheduled, S::kNotOurs, kStaff},

    {S::kNotOurs, S::kOpen, kStaff | kSystem},
    {S::kNotOurs, S::kClosedNotFixed, kStaff},

    {S::kFixed, S::kReopened, kStaff | kResident},
    {S::kClosedNotFixed, S::kReopened, kStaff | kResident},
    {S::kDuplicate, S::kReopened, kStaff},

    {S::kReopened, S::kAcknowledged, kStaff | kSystem},
    {S::kReopened, S::kInProgress, kStaff},
    {S::kReopened, S::kActionScheduled, kStaff},
    {S::kReopened, S::kFixed, kStaff},
    {S::kReopened, S::kClosedNotFixed, kStaff},
    {S::kReopened, S::kDuplicate, kStaff},
    {S::kReopened, S::kNotOurs, kStaff},
});

std::string_view actor_name(StatusActor actor) {
  switch (actor) {
    case StatusActor::kStaff:
      return "staff";
    case StatusActor::kResident:
      return "resident";
    case StatusActor::kSystem:
      return "system";
  }
  return "unknown";
}

}  // namespace

std::string_view to_string(RequestStatus status) {
  for (const auto& row : kNames) {
    if (row.status == status) return row.internal;
  }
  return "unknown";
}

Result<RequestStatus> parse_status(std::string_view name) {
  for (const auto& row : kNames) {
    if (row.internal == name) return row.status;
  }
  return fail(
      Error::invalid("requests.status.unknown", "unknown status " + text::quote_for_log(name)));
}

bool is_closed(RequestStatus status) {
  return status == S::kFixed || status == S::kClosedNotFixed || status == S::kDuplicate;
}

Open311Status open311_status(RequestStatus status) {
  return is_closed(status) ? Open311Status::kClosed : Open311Status::kOpen;
}

std::string_view to_string(Open311Status status) {
  return status == Open311Status::kClosed ? "closed" : "open";
}

Result<Open311Status> parse_open311_status(std::string_view name) {
  // GeoReport v2 lists exactly "open" and "closed"; we do not guess at other spellings.
  if (name == "open") return Open311Status::kOpen;
  if (name == "closed") return Open311Status::kClosed;
  return fail(
      Error::invalid("requests.status.unknown",
                     "unknown Open311 status " + text::quote_for_log(name) + " (open, closed)"));
}

std::vector<RequestStatus> statuses_in(Open311Status status) {
  std::vector<RequestStatus> out;
  for (const auto& row : kNames) {
    if (open311_status(row.status) == status) out.push_back(row.status);
  }
  return out;
}

std::string_view to_fixmystreet(RequestStatus status) {
  for (const auto& row : kNames) {
    if (row.status == status) return row.fixmystreet;
  }
  return "OPEN";
}

Result<RequestStatus> from_fixmystreet(std::string_view name) {
  for (const auto& row : kFromFixMyStreet) {
    if (row.fixmystreet == name) return row.status;
  }
  return fail(Error::invalid("requests.status.unknown",
                             "unknown FixMyStreet status " + text::quote_for_log(name)));
}

Status check_transition(const StatusChange& change, const ReopenPolicy& policy) {
  const std::string what = std::string(to_string(change.from)) + " -> " +
                           std::string(to_string(change.to)) + " by " +
                           std::string(actor_name(change.actor));
  const Transition* found = nullptr;
  for (const auto& t : kTransitions) {
    if (t.from == change.from && t.to == change.to) found = &t;
  }
  if (found == nullptr) return fail(Error::conflict("requests.status.not_allowed", what));
  if ((found->actors & bit(change.actor)) == 0) {
    return fail(Error{ErrorKind::kForbidden, "requests.status.actor_not_allowed", what});
  }
  if (change.to == S::kReopened &&
      change.now_unix - change.closed_at_unix > policy.window_seconds) {
    return fail(Error::conflict(
        "requests.status.reopen_window_closed",
        what + ": closed " + std::to_string(change.now_unix - change.closed_at_unix) +
            " s ago, window " + std::to_string(policy.window_seconds) + " s"));
  }
  return {};
}

std::vector<RequestStatus> next_statuses(RequestStatus from, StatusActor actor) {
  std::vector<RequestStatus> out;
  for (const auto& t : kTransitions) {
    if (t.from == from && (t.actors & bit(actor)) != 0) out.push_back(t.to);
  }
  return out;
}

}  // namespace zocalo::requests
