#include "requests/store/assignment_store.hpp"

#include <charconv>

#include "platform/core/text.hpp"
#include "requests/store/request_notifications.hpp"
#include "requests/store/request_store.hpp"

namespace zocalo::requests {
namespace {

struct Locked {
  long long id = 0;
  RequestStatus status = RequestStatus::kOpen;
  std::string agency_code;
  std::string account_id;
};

// Reads (and on PostgreSQL locks) the request, and checks it still belongs to the agency the
// staff member was authorised for.
Result<Locked> lock(soci::session& sql, bool postgres, const StaffAction& action) {
  Locked out;
  std::string status;
  sql << "SELECT id, status, agency_code, account_id FROM service_requests WHERE folio = :folio" +
             std::string(postgres ? " FOR UPDATE" : ""),
      soci::use(action.folio), soci::into(out.id), soci::into(status), soci::into(out.agency_code),
      soci::into(out.account_id);
  if (!sql.got_data())
    return fail(Error::not_found("no request " + text::quote_for_log(action.folio)));
  if (out.agency_code != action.seen_agency_code) {
    return fail(Error::conflict("atencion.agency_changed", "the request moved to another agency"));
  }
  const auto parsed = parse_status(status);
  if (!parsed) return fail(Error::internal("service_requests.status " + status + " unknown"));
  out.status = *parsed;
  return out;
}

RequestUpdateInput update_for(const StaffAction& action, RequestStatus status,
                              const std::string& description, bool is_public) {
  RequestUpdateInput u;
  u.folio = action.folio;
  u.status = status;
  u.description = description;
  u.actor = StatusActor::kStaff;
  u.actor_name = "staff:" + std::to_string(action.actor_account_id);
  u.is_public = is_public;
  u.now = action.now;
  return u;
}

Status apply(soci::session& sql, bool postgres, const RequestUpdateInput& update) {
  auto id = RequestStore::apply_update(sql, postgres, update);
  return id ? Status{} : fail(id.error());
}

RequestEvent event_for(RequestStatus to) {
  if (is_closed(to)) return RequestEvent::kClosed;
  if (to == RequestStatus::kReopened) return RequestEvent::kReopened;
  return RequestEvent::kStatusChanged;
}

std::optional<long long> account_number(std::string_view text) {
  long long id = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
  if (ec != std::errc() || end != text.data() + text.size() || id <= 0) return std::nullopt;
  return id;
}

}  // namespace

Status AssignmentStore::change_status(const StaffAction& action, RequestStatus to,
                                      const std::string& note) {
  const bool postgres = db_.is_postgres();
  return db_.transaction([&](soci::session& sql) -> Status {
    auto row = lock(sql, postgres, action);
    if (!row) return fail(row.error());
    if (row->status == to) {
      return fail(Error::conflict("requests.status.not_allowed", "no change of status"));
    }
    // Duplicates need their parent (merge_into); not ours needs a new agency or a closure.
    if (to == RequestStatus::kDuplicate) {
      return fail(Error::invalid("atencion.merge.parent_required", "duplicate without a parent"));
    }
    if (Status s = apply(sql, postgres, update_for(action, to, note, true)); !s) return s;
    return RequestNotifications::queue(sql, {row->id, event_for(to), note}, base_url_);
  });
}

Status AssignmentStore::add_internal_note(const StaffAction& action, const std::string& note) {
  if (note.empty()) return fail(Error::invalid("atencion.note.empty", "empty internal note"));
  const bool postgres = db_.is_postgres();
  return db_.transaction([&](soci::session& sql) -> Status {
    auto row = lock(sql, postgres, action);
    if (!row) return fail(row.error());
    return apply(sql, postgres, update_for(action, row->status, note, false));
  });
}

Status AssignmentStore::assign(const StaffAction& action, std::optional<long long> assignee,
                               const std::string& label) {
  const bool postgres = db_.is_postgres();
  return db_.transaction([&](soci::session& sql) -> Status {
    auto row = lock(sql, postgres, action);
    if (!row) return fail(row.error());
    long long who = assignee.value_or(0);
    soci::indicator who_ind = assignee ? soci::i_ok : soci::i_null;
    sql << "UPDATE service_requests SET assignee_account_id = :who WHERE id = :id",
        soci::use(who, who_ind), soci::use(row->id);
    RequestStatus status = row->status;
    const bool acknowledge =
        assignee && (status == RequestStatus::kOpen || status == RequestStatus::kReopened);
    if (acknowledge) {
      status = RequestStatus::kAcknowledged;
      if (Status s = apply(sql, postgres, update_for(action, status, "", true)); !s) return s;
    }
    if (Status s = apply(sql, postgres, update_for(action, status, label, false)); !s) return s;
    if (!assignee) return {};
    // The colleague it was handed to hears of it too (not somebody taking it themselves).
    if (*assignee != action.actor_account_id) {
      if (Status s = RequestNotifications::queue_assignee(sql, row->id, *assignee, base_url_); !s) {
        return s;
      }
    }
    return RequestNotifications::queue(sql, {row->id, RequestEvent::kAssigned, ""}, base_url_);
  });
}

Status AssignmentStore::merge_into(const StaffAction& action, const std::string& parent_folio,
                                   const std::string& note) {
  if (parent_folio == action.folio) {
    return fail(Error::invalid("atencion.merge.self", "a request cannot duplicate itself"));
  }
  const bool postgres = db_.is_postgres();
  return db_.transaction([&](soci::session& sql) -> Status {
    auto row = lock(sql, postgres, action);
    if (!row) return fail(row.error());
    long long parent_id = 0;
    std::string parent_status;
    sql << "SELECT id, status FROM service_requests WHERE folio = :folio", soci::use(parent_folio),
        soci::into(parent_id), soci::into(parent_status);
    if (!sql.got_data()) {
      return fail(Error::invalid("atencion.merge.parent_unknown", "no such parent request"));
    }
    if (parent_status == to_string(RequestStatus::kDuplicate)) {
      return fail(Error::invalid("atencion.merge.parent_duplicate", "parent is a duplicate"));
    }
    sql << "UPDATE service_requests SET parent_id = :parent WHERE id = :id", soci::use(parent_id),
        soci::use(row->id);
    if (Status s = apply(sql, postgres, update_for(action, RequestStatus::kDuplicate, note, true));
        !s) {
      return s;
    }
    // Followers of the duplicate, and its signed-in reporter, hear of the parent from now on.
    long long now = action.now;
    // Each in the language they followed in (migration 0016); a new stop link comes with the
    // parent's first message.
    sql << "INSERT INTO service_request_followers (request_id, account_id, created_at, locale) "
           "SELECT CAST(:parent AS BIGINT), f.account_id, CAST(:now AS BIGINT), f.locale FROM "
           "service_request_followers f "
           "WHERE f.request_id = :child ON CONFLICT DO NOTHING",
        soci::use(parent_id), soci::use(now), soci::use(row->id);
    if (const auto reporter = account_number(row->account_id)) {
      long long account = *reporter;
      sql << "INSERT INTO service_request_followers (request_id, account_id, created_at) "
             "SELECT CAST(:parent AS BIGINT), id, CAST(:now AS BIGINT) FROM accounts WHERE id = "
             ":account ON CONFLICT DO NOTHING",
          soci::use(parent_id), soci::use(now), soci::use(account);
    }
    return RequestNotifications::queue(sql, {row->id, RequestEvent::kMerged, note}, base_url_);
  });
}

Status AssignmentStore::reroute(const StaffAction& action, const std::string& agency_code,
                                const std::string& note) {
  if (agency_code == action.seen_agency_code) {
    return fail(Error::invalid("atencion.reroute.same", "reroute to the same agency"));
  }
  const bool postgres = db_.is_postgres();
  return db_.transaction([&](soci::session& sql) -> Status {
    auto row = lock(sql, postgres, action);
    if (!row) return fail(row.error());
    long long agency_id = 0;
    sql << "SELECT id FROM agencies WHERE code = :code", soci::use(agency_code),
        soci::into(agency_id);
    if (!sql.got_data()) {
      return fail(Error::invalid("atencion.reroute.unknown", "no such agency"));
    }
    if (row->status != RequestStatus::kNotOurs) {
      if (Status s = apply(sql, postgres, update_for(action, RequestStatus::kNotOurs, "", false));
          !s) {
        return s;
      }
    }
    sql << "UPDATE service_requests SET agency_code = :agency, assignee_account_id = NULL "
           "WHERE id = :id",
        soci::use(agency_code), soci::use(row->id);
    if (Status s = apply(sql, postgres, update_for(action, RequestStatus::kOpen, note, true)); !s) {
      return s;
    }
    return RequestNotifications::queue(sql, {row->id, RequestEvent::kAssigned, note}, base_url_);
  });
}

}  // namespace zocalo::requests
