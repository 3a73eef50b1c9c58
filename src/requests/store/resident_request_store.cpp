#include "requests/store/resident_request_store.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include "platform/core/crypto.hpp"
#include "requests/model/duplicate.hpp"
#include "requests/store/request_notifications.hpp"

namespace zocalo::requests {
namespace {

// Private requests publish a point rounded to 0.001° (about 100 m), as the Open311 answers do.
double blur(double degrees) {
  return std::round(degrees * 1000.0) / 1000.0;
}

RequestStatus status_or_open(const std::string& name) {
  auto parsed = parse_status(name);
  return parsed ? *parsed : RequestStatus::kOpen;
}

// The columns every list reads, in this order (read_summary).
constexpr const char* kSummaryColumns =
    "r.folio, r.service_code, r.status, r.area_code, r.address_string, r.requested_at, "
    "r.updated_at, r.private";

std::vector<RequestSummary> read_summaries(soci::session& sql, const std::string& text,
                                           const std::function<void(soci::statement&)>& bind) {
  std::vector<RequestSummary> out;
  std::string folio, service, status, area, address;
  soci::indicator area_ind = soci::i_ok;
  long long requested = 0, updated = 0;
  int is_private = 0;
  soci::statement st(sql);
  st.exchange(soci::into(folio));
  st.exchange(soci::into(service));
  st.exchange(soci::into(status));
  st.exchange(soci::into(area, area_ind));
  st.exchange(soci::into(address));
  st.exchange(soci::into(requested));
  st.exchange(soci::into(updated));
  st.exchange(soci::into(is_private));
  bind(st);
  st.alloc();
  st.prepare(text);
  st.define_and_bind();
  st.execute(false);
  while (st.fetch()) {
    RequestSummary row;
    row.folio = folio;
    row.service_code = service;
    row.status = status_or_open(status);
    row.area_code = area_ind == soci::i_ok ? area : "";
    row.address = is_private != 0 ? "" : address;
    row.requested_at = requested;
    row.updated_at = updated;
    out.push_back(std::move(row));
  }
  return out;
}

std::vector<std::string> open_status_names() {
  std::vector<std::string> out;
  for (RequestStatus s : statuses_in(Open311Status::kOpen)) out.emplace_back(to_string(s));
  return out;
}

}  // namespace

Result<CreatedRequest> ResidentRequestStore::file(
    AreaLocator& areas, const NewServiceRequest& request, const Service& service,
    const std::string& chosen_area, std::string_view locale, std::string_view base_url,
    const AlsoInTransaction& also) {
  auto area_code = RequestStore::area_of(areas, request, chosen_area);
  if (!area_code) return fail(area_code.error());
  CreatedRequest out;
  const Status done = db_.transaction([&](soci::session& sql) -> Status {
    auto created = RequestStore::insert(sql, request, service, *area_code, locale);
    if (!created) return fail(created.error());
    out = std::move(*created);
    if (also) {
      if (Status s = also(sql, out); !s) return s;
    }
    return RequestNotifications::queue_received(
        sql, out.id, intake_facts(request, service, out, locale), base_url);
  });
  if (!done) return fail(done.error());
  return out;
}

Result<std::vector<NearbyRequest>> ResidentRequestStore::nearby_open(
    const std::string& service_code, GeoPoint point, double radius_m, int limit) {
  radius_m = clamp_duplicate_radius(radius_m);
  limit = std::clamp(limit, 1, 50);
  const SearchBox box = box_around(point, radius_m);
  std::vector<NearbyRequest> out;
  const Status done = db_.read([&](soci::session& sql) -> Status {
    // The candidates in the box: a handful of rows for a 50 m box, bounded anyway.
    std::string folio, status, address;
    long long requested = 0;
    double lat = 0, lon = 0;
    int is_private = 0;
    double min_lat = box.min_lat, max_lat = box.max_lat, min_lon = box.min_lon,
           max_lon = box.max_lon;
    const std::vector<std::string> open = open_status_names();
    std::string in;
    for (std::size_t i = 0; i < open.size(); ++i) {
      in += (i ? ", :s" : ":s") + std::to_string(i);
    }
    soci::statement st(sql);
    st.exchange(soci::into(folio));
    st.exchange(soci::into(status));
    st.exchange(soci::into(address));
    st.exchange(soci::into(requested));
    st.exchange(soci::into(lat));
    st.exchange(soci::into(lon));
    st.exchange(soci::into(is_private));
    st.exchange(soci::use(service_code, "service"));
    for (std::size_t i = 0; i < open.size(); ++i) {
      st.exchange(soci::use(open[i], "s" + std::to_string(i)));
    }
    st.exchange(soci::use(min_lat, "min_lat"));
    st.exchange(soci::use(max_lat, "max_lat"));
    st.exchange(soci::use(min_lon, "min_lon"));
    st.exchange(soci::use(max_lon, "max_lon"));
    st.alloc();
    st.prepare(
        "SELECT folio, status, address_string, requested_at, lat, lon, private "
        "FROM service_requests WHERE service_code = :service AND status IN (" +
        in +
        ") AND lat IS NOT NULL AND lat BETWEEN :min_lat AND :max_lat "
        "AND lon BETWEEN :min_lon AND :max_lon ORDER BY requested_at DESC LIMIT 500");
    st.define_and_bind();
    st.execute(false);
    while (st.fetch()) {
      const double d = distance_meters(point, {lon, lat});
      if (d > radius_m) continue;
      out.push_back(
          {folio, status_or_open(status), requested, d, is_private != 0 ? std::string() : address});
    }
    return {};
  });
  if (!done) return fail(done.error());
  std::sort(out.begin(), out.end(), [](const NearbyRequest& a, const NearbyRequest& b) {
    return a.distance_m < b.distance_m;
  });
  if (out.size() > static_cast<std::size_t>(limit)) out.resize(static_cast<std::size_t>(limit));
  return out;
}

Result<std::optional<PublicRequest>> ResidentRequestStore::find(const std::string& folio) {
  std::optional<PublicRequest> found;
  const Status done = db_.read([&](soci::session& sql) -> Status {
    PublicRequest r;
    std::string status, area, address;
    soci::indicator area_ind = soci::i_ok, lat_ind = soci::i_ok, lon_ind = soci::i_ok,
                    expected_ind = soci::i_ok, closed_ind = soci::i_ok;
    double lat = 0, lon = 0;
    long long requested = 0, updated = 0, expected = 0, closed = 0;
    int is_private = 0;
    sql << "SELECT id, folio, service_code, status, status_notes, area_code, agency_code, "
           "address_string, lat, lon, description, private, requested_at, updated_at, "
           "expected_at, closed_at FROM service_requests WHERE folio = :folio",
        soci::use(folio), soci::into(r.id), soci::into(r.folio), soci::into(r.service_code),
        soci::into(status), soci::into(r.status_notes), soci::into(area, area_ind),
        soci::into(r.agency_code), soci::into(address), soci::into(lat, lat_ind),
        soci::into(lon, lon_ind), soci::into(r.description), soci::into(is_private),
        soci::into(requested), soci::into(updated), soci::into(expected, expected_ind),
        soci::into(closed, closed_ind);
    if (!sql.got_data()) return {};
    r.status = status_or_open(status);
    r.area_code = area_ind == soci::i_ok ? area : "";
    r.is_private = is_private != 0;
    r.requested_at = requested;
    r.updated_at = updated;
    if (expected_ind == soci::i_ok) r.expected_at = expected;
    if (closed_ind == soci::i_ok) r.closed_at = closed;
    if (lat_ind == soci::i_ok && lon_ind == soci::i_ok) {
      r.point = r.is_private ? GeoPoint{blur(lon), blur(lat)} : GeoPoint{lon, lat};
    }
    if (r.is_private) {
      r.description.clear();
    } else {
      r.address = address;
    }
    std::string u_status, u_description;
    long long u_created = 0;
    soci::statement st =
        (sql.prepare << "SELECT status, description, created_at FROM "
                        "service_request_updates WHERE request_id = :id AND "
                        "public = 1 ORDER BY id LIMIT 200",
         soci::use(r.id), soci::into(u_status), soci::into(u_description), soci::into(u_created));
    st.execute();
    while (st.fetch()) {
      r.updates.push_back({status_or_open(u_status), u_description, u_created});
    }
    sql << "SELECT COUNT(*) FROM service_request_followers WHERE request_id = :id", soci::use(r.id),
        soci::into(r.followers);
    found = std::move(r);
    return {};
  });
  if (!done) return fail(done.error());
  return found;
}

Result<bool> ResidentRequestStore::is_reporter(const std::string& folio,
                                               const ReporterProof& proof) {
  bool yes = false;
  const Status done = db_.read([&](soci::session& sql) -> Status {
    std::string account, token;
    sql << "SELECT account_id, token FROM service_requests WHERE folio = :folio", soci::use(folio),
        soci::into(account), soci::into(token);
    if (!sql.got_data()) return {};
    if (proof.account_id && !account.empty() && account == std::to_string(*proof.account_id)) {
      yes = true;
    } else if (!proof.token.empty() && crypto::constant_time_equal(proof.token, token)) {
      yes = true;
    }
    return {};
  });
  if (!done) return fail(done.error());
  return yes;
}

Result<PublicListPage> ResidentRequestStore::list(const PublicListFilter& filter) {
  const int size = std::clamp(filter.page_size, 1, kPublicPageSizeMax);
  const int page = std::clamp(filter.page, 1, kPublicPageMax);
  std::string service = filter.service_code;
  std::string area = filter.area_code;
  std::string status = filter.status ? std::string(to_string(*filter.status)) : "";
  // One more row than shown tells whether there is a next page.
  long long limit = size + 1;
  long long offset = static_cast<long long>(page - 1) * size;
  PublicListPage out;
  // Only the filters given become conditions: `(:x = '' OR col = :x)` cannot use an index, so
  // a filtered page scanned the newest rows of the whole table until it found enough matches
  // (bench/requests). Each condition is a constant of this file; the values stay parameters.
  std::string where;
  const auto add = [&where](const char* condition) {
    where += where.empty() ? " WHERE " : " AND ";
    where += condition;
  };
  if (!service.empty()) add("r.service_code = :service");
  if (!area.empty()) add("r.area_code = :area");
  if (!status.empty()) add("r.status = :status");
  const Status done = db_.read([&](soci::session& sql) -> Status {
    out.rows = read_summaries(
        sql,
        std::string("SELECT ") + kSummaryColumns + " FROM service_requests r" + where +
            " ORDER BY r.requested_at DESC, r.id DESC LIMIT :limit OFFSET :offset",
        [&](soci::statement& st) {
          if (!service.empty()) st.exchange(soci::use(service, "service"));
          if (!area.empty()) st.exchange(soci::use(area, "area"));
          if (!status.empty()) st.exchange(soci::use(status, "status"));
          st.exchange(soci::use(limit, "limit"));
          st.exchange(soci::use(offset, "offset"));
        });
    return {};
  });
  if (!done) return fail(done.error());
  if (out.rows.size() > static_cast<std::size_t>(size)) {
    out.rows.resize(static_cast<std::size_t>(size));
    out.has_more = true;
  }
  return out;
}

Result<MyRequests> ResidentRequestStore::mine(long long account_id, int limit) {
  std::string account = std::to_string(account_id);
  long long max = std::clamp(limit, 1, 500);
  MyRequests out;
  const Status done = db_.read([&](soci::session& sql) -> Status {
    out.reported = read_summaries(sql,
                                  std::string("SELECT ") + kSummaryColumns +
                                      " FROM service_requests r WHERE r.account_id = :account "
                                      "ORDER BY r.requested_at DESC, r.id DESC LIMIT :limit",
                                  [&](soci::statement& st) {
                                    st.exchange(soci::use(account, "account"));
                                    st.exchange(soci::use(max, "limit"));
                                  });
    out.followed = read_summaries(
        sql,
        std::string("SELECT ") + kSummaryColumns +
            " FROM service_request_followers f JOIN service_requests r ON r.id = f.request_id "
            "WHERE f.account_id = :account ORDER BY r.requested_at DESC, r.id DESC LIMIT :limit",
        [&](soci::statement& st) {
          st.exchange(soci::use(account_id, "account"));
          st.exchange(soci::use(max, "limit"));
        });
    return {};
  });
  if (!done) return fail(done.error());
  return out;
}

Result<bool> ResidentRequestStore::follow(const std::string& folio, long long account_id,
                                          std::int64_t now) {
  bool added = false;
  const Status done = db_.transaction([&](soci::session& sql) -> Status {
    long long id = 0;
    sql << "SELECT id FROM service_requests WHERE folio = :folio", soci::use(folio), soci::into(id);
    if (!sql.got_data()) return fail(Error::not_found("no request to follow"));
    long long at = now;
    long long inserted = 0;
    sql << "INSERT INTO service_request_followers (request_id, account_id, created_at) "
           "VALUES (:id, :account, :now) ON CONFLICT DO NOTHING RETURNING request_id",
        soci::use(id), soci::use(account_id), soci::use(at), soci::into(inserted);
    added = sql.got_data();
    return {};
  });
  if (!done) return fail(done.error());
  return added;
}

Result<bool> ResidentRequestStore::is_following(long long request_id, long long account_id) {
  bool yes = false;
  const Status done = db_.read([&](soci::session& sql) -> Status {
    long long one = 0;
    sql << "SELECT 1 FROM service_request_followers WHERE request_id = :id AND "
           "account_id = :account",
        soci::use(request_id), soci::use(account_id), soci::into(one);
    yes = sql.got_data();
    return {};
  });
  if (!done) return fail(done.error());
  return yes;
}

Result<std::vector<std::pair<std::string, std::string>>> ResidentRequestStore::alcaldias() {
  std::vector<std::pair<std::string, std::string>> out;
  const Status done = db_.read([&](soci::session& sql) -> Status {
    std::string code, name;
    soci::statement st = (sql.prepare << "SELECT code, name FROM areas WHERE kind = 'alcaldia' "
                                         "ORDER BY name, code LIMIT 100",
                          soci::into(code), soci::into(name));
    st.execute();
    while (st.fetch()) out.emplace_back(code, name);
    return {};
  });
  if (!done) return fail(done.error());
  return out;
}

Result<LocalizedText> ResidentRequestStore::agency_name(const std::string& code) {
  LocalizedText out;
  const Status done = db_.read([&](soci::session& sql) -> Status {
    sql << "SELECT name_es, name_en FROM agencies WHERE code = :code", soci::use(code),
        soci::into(out.es), soci::into(out.en);
    return {};
  });
  if (!done) return fail(done.error());
  return out;
}

Status ResidentRequestStore::answer_closure(const std::string& folio, const ReporterProof& proof,
                                            bool reopen, const std::string& note, std::int64_t now,
                                            std::string_view base_url) {
  auto reporter = is_reporter(folio, proof);
  if (!reporter) return fail(reporter.error());
  if (!*reporter) return fail(Error::forbidden("not the reporter of this request"));
  const bool postgres = db_.is_postgres();
  return db_.transaction([&](soci::session& sql) -> Status {
    long long id = 0;
    std::string status;
    sql << "SELECT id, status FROM service_requests WHERE folio = :folio", soci::use(folio),
        soci::into(id), soci::into(status);
    if (!sql.got_data()) return fail(Error::not_found("no request"));
    const RequestStatus current = status_or_open(status);
    if (!reopen && !is_closed(current)) {
      return fail(Error::conflict("requests.status.not_allowed", "confirm on an open request"));
    }
    RequestUpdateInput update;
    update.folio = folio;
    // A confirmation is a public note on the closed request; a reopen is a status change the
    // model checks (resident, closed, within the window) and the agency's inbox shows.
    update.status = reopen ? RequestStatus::kReopened : current;
    update.description = note;
    update.actor = StatusActor::kResident;
    update.actor_name = "resident";
    update.is_public = true;
    update.now = now;
    auto applied = RequestStore::apply_update(sql, postgres, update);
    if (!applied) return fail(applied.error());
    if (!reopen) return {};
    return RequestNotifications::queue(
        sql, {.request_id = id, .event = RequestEvent::kReopened, .public_note = ""}, base_url);
  });
}

}  // namespace zocalo::requests
