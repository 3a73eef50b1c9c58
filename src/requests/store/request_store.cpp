#include "requests/store/request_store.hpp"

#include <cmath>
#include <deque>
#include <unordered_map>
#include <utility>

#include "platform/core/crypto.hpp"
#include "platform/core/text.hpp"
#include "platform/db/kept_statement.hpp"
#include "requests/model/folio.hpp"
#include "requests/model/working_calendar.hpp"
#include "requests/store/routing_store.hpp"

namespace zocalo::requests {
namespace {

// Parameters of a statement whose WHERE clause depends on the call: each value gets a named
// placeholder (:p0, :p1, ...) and stays alive until the statement has run. The SQL around the
// placeholders is made only of constants of this file, never of input.
class Params {
 public:
  std::string text(std::string value) {
    strings_.push_back(std::move(value));
    binds_.push_back({true, strings_.size() - 1});
    return name(binds_.size() - 1);
  }
  std::string integer(long long value) {
    integers_.push_back(value);
    binds_.push_back({false, integers_.size() - 1});
    return name(binds_.size() - 1);
  }
  // ":p3, :p4, ..." for a list of texts.
  std::string texts(const std::vector<std::string>& values) {
    std::string out;
    for (const std::string& v : values) {
      if (!out.empty()) out += ", ";
      out += text(v);
    }
    return out;
  }
  void bind(soci::statement& st) {
    for (std::size_t i = 0; i < binds_.size(); ++i) {
      const Bind& b = binds_[i];
      if (b.is_text) {
        st.exchange(soci::use(strings_[b.index], "p" + std::to_string(i)));
      } else {
        st.exchange(soci::use(integers_[b.index], "p" + std::to_string(i)));
      }
    }
  }

 private:
  struct Bind {
    bool is_text;
    std::size_t index;
  };
  static std::string name(std::size_t i) { return ":p" + std::to_string(i); }
  std::deque<std::string> strings_;
  std::deque<long long> integers_;
  std::vector<Bind> binds_;
};

constexpr int kFolioAttempts = 8;

// Private requests are published at about 100 m (ARCHITECTURE: personal data never public).
double blur(double degrees) {
  return std::round(degrees * 1000.0) / 1000.0;
}

struct RequestRow {
  long long id = 0;
  std::string folio, status, status_notes, service_code, service_es, service_en, description;
  std::string agency_es, agency_en;
  long long requested_at = 0, updated_at = 0, expected_at = 0;
  soci::indicator expected_ind = soci::i_null;
  std::string address_string, address_id;
  double lat = 0, lon = 0;
  soci::indicator lat_ind = soci::i_null, lon_ind = soci::i_null;
  std::string media_url, channel, parent_folio;
  int is_private = 0;

  void into(soci::statement& st) {
    st.exchange(soci::into(id));
    st.exchange(soci::into(folio));
    st.exchange(soci::into(status));
    st.exchange(soci::into(status_notes));
    st.exchange(soci::into(service_code));
    st.exchange(soci::into(service_es));
    st.exchange(soci::into(service_en));
    st.exchange(soci::into(description));
    st.exchange(soci::into(agency_es));
    st.exchange(soci::into(agency_en));
    st.exchange(soci::into(requested_at));
    st.exchange(soci::into(updated_at));
    st.exchange(soci::into(expected_at, expected_ind));
    st.exchange(soci::into(address_string));
    st.exchange(soci::into(address_id));
    st.exchange(soci::into(lat, lat_ind));
    st.exchange(soci::into(lon, lon_ind));
    st.exchange(soci::into(media_url));
    st.exchange(soci::into(channel));
    st.exchange(soci::into(parent_folio));
    st.exchange(soci::into(is_private));
  }

  Result<open311::RequestView> view(std::string_view locale, bool extensions) const {
    const auto parsed = parse_status(status);
    if (!parsed) return fail(Error::internal("service_requests.status " + status + " unknown"));
    open311::RequestView v;
    v.service_request_id = folio;
    v.status = open311_status(*parsed);
    v.status_notes = status_notes;
    v.service_name = {service_es, service_en};
    v.service_code = service_code;
    v.description = is_private ? std::string() : description;
    v.agency_responsible = locale.starts_with("en") && !agency_en.empty() ? agency_en : agency_es;
    v.requested_datetime = requested_at;
    v.updated_datetime = updated_at;
    if (expected_ind == soci::i_ok) v.expected_datetime = expected_at;
    v.address = address_string;
    v.address_id = address_id;
    if (lat_ind == soci::i_ok && lon_ind == soci::i_ok) {
      v.location = is_private ? GeoPoint{blur(lon), blur(lat)} : GeoPoint{lon, lat};
    }
    // A private request's photo is not for the public (issue 4, item 4): no media_url.
    v.media_url = is_private ? std::string() : media_url;
    if (extensions) {
      open311::ExtendedAttributes x;
      // The channel's kind only ("api", "web", "phone"): an app's key name is the city's
      // business, not the public's.
      x.channel = channel.substr(0, channel.find(':'));
      if (*parsed == RequestStatus::kDuplicate) x.duplicate_of = parent_folio;
      x.parent_service_request_id = parent_folio;
      v.extended_attributes = std::move(x);
    }
    return v;
  }
};

// The page's ids are chosen first (`page`: WHERE, ORDER BY, LIMIT/OFFSET on service_requests
// alone, answered from a covering index such as (service_code, status, requested_at, id)), and
// only those rows are read and joined: joining before the sort read, joined and sorted every
// match of a busy service's 90 days (bench/requests: 3-5x slower at 1,000,000 requests).
constexpr std::string_view kRequestSelect =
    "SELECT r.id, r.folio, r.status, r.status_notes, r.service_code, s.name_es, s.name_en, "
    "r.description, a.name_es, a.name_en, r.requested_at, r.updated_at, r.expected_at, "
    "r.address_string, r.address_id, r.lat, r.lon, r.media_url, r.channel, "
    "COALESCE(p.folio, ''), r.private FROM (SELECT r.id FROM service_requests r ";
constexpr std::string_view kRequestJoins =
    ") page JOIN service_requests r ON r.id = page.id "
    "JOIN services s ON s.code = r.service_code "
    "JOIN agencies a ON a.code = r.agency_code "
    "LEFT JOIN service_requests p ON p.id = r.parent_id "
    "ORDER BY r.requested_at DESC, r.id DESC";

// The internal statuses an Open311 status filter selects, as stored.
std::vector<std::string> stored_statuses(const std::vector<Open311Status>& statuses) {
  std::vector<std::string> out;
  for (const Open311Status s : statuses) {
    for (const RequestStatus internal : statuses_in(s)) out.emplace_back(to_string(internal));
  }
  return out;
}

// Public notes of the listed requests (extensions=true), in order, by request id.
std::unordered_map<long long, std::vector<open311::RequestNote>> public_notes(
    soci::session& sql, const std::vector<long long>& ids) {
  std::unordered_map<long long, std::vector<open311::RequestNote>> out;
  if (ids.empty()) return out;
  Params params;
  std::string list;
  for (const long long id : ids) {
    if (!list.empty()) list += ", ";
    list += params.integer(id);
  }
  long long request_id = 0;
  long long created_at = 0;
  std::string status;
  std::string description;
  soci::statement st(sql);
  st.exchange(soci::into(request_id));
  st.exchange(soci::into(created_at));
  st.exchange(soci::into(status));
  st.exchange(soci::into(description));
  params.bind(st);
  st.alloc();
  st.prepare(
      "SELECT request_id, created_at, status, description FROM service_request_updates "
      "WHERE public = 1 AND request_id IN (" +
      list + ") ORDER BY request_id, id");
  st.define_and_bind();
  st.execute(false);
  while (st.fetch()) {
    const auto parsed = parse_status(status);
    out[request_id].push_back(
        {created_at, std::string(parsed ? to_fixmystreet(*parsed) : "OPEN"), description});
  }
  return out;
}

// Intake's two writes, kept prepared (platform/db/kept_statement.hpp): every POST runs them on
// SQLite's one writing thread.
struct InsertRequest {
  static constexpr std::string_view kSql =
      "INSERT INTO service_requests (folio, token, service_code, status, lat, lon, "
      "address_string, address_id, area_code, agency_code, description, email, first_name, "
      "last_name, phone, device_id, account_id, attributes_json, channel, api_key_id, media_url, "
      "requested_at, updated_at, expected_at, private, locale) "
      "VALUES (:folio, :token, :service_code, :status, :lat, :lon, :address_string, "
      ":address_id, :area_code, :agency_code, :description, :email, :first_name, :last_name, "
      ":phone, :device_id, :account_id, :attributes_json, :channel, :api_key_id, :media_url, "
      ":requested_at, :updated_at, :expected_at, :private, :locale) "
      "ON CONFLICT DO NOTHING RETURNING id";
  std::string folio, token, service_code, status;
  double lat = 0, lon = 0;
  soci::indicator point_ind = soci::i_null;
  std::string address_string, address_id, area_code;
  soci::indicator area_ind = soci::i_null;
  std::string agency_code, description, email, first_name, last_name, phone, device_id;
  std::string account_id, attributes_json, channel;
  long long api_key_id = 0;
  soci::indicator key_ind = soci::i_null;
  std::string media_url;
  long long requested_at = 0, expected_at = 0;
  soci::indicator expected_ind = soci::i_null;
  int is_private = 0;
  std::string locale;
  long long id = 0;
  void bind(soci::statement& st) {
    st.exchange(soci::use(folio));
    st.exchange(soci::use(token));
    st.exchange(soci::use(service_code));
    st.exchange(soci::use(status));
    st.exchange(soci::use(lat, point_ind));
    st.exchange(soci::use(lon, point_ind));
    st.exchange(soci::use(address_string));
    st.exchange(soci::use(address_id));
    st.exchange(soci::use(area_code, area_ind));
    st.exchange(soci::use(agency_code));
    st.exchange(soci::use(description));
    st.exchange(soci::use(email));
    st.exchange(soci::use(first_name));
    st.exchange(soci::use(last_name));
    st.exchange(soci::use(phone));
    st.exchange(soci::use(device_id));
    st.exchange(soci::use(account_id));
    st.exchange(soci::use(attributes_json));
    st.exchange(soci::use(channel));
    st.exchange(soci::use(api_key_id, key_ind));
    st.exchange(soci::use(media_url));
    st.exchange(soci::use(requested_at));
    st.exchange(soci::use(requested_at));  // updated_at: nothing has happened since
    st.exchange(soci::use(expected_at, expected_ind));
    st.exchange(soci::use(is_private));
    st.exchange(soci::use(locale));
    st.exchange(soci::into(id));
  }
};

// Every Open311 list call reads it first (ADR 0008).
struct ListVersion {
  static constexpr std::string_view kSql =
      "SELECT CAST(COALESCE(SUM(version), 0) AS BIGINT) FROM data_versions "
      "WHERE name = 'open311_requests'";
  long long version = 0;
  void bind(soci::statement& st) { st.exchange(soci::into(version)); }
};

struct InsertFirstUpdate {
  static constexpr std::string_view kSql =
      "INSERT INTO service_request_updates (request_id, status, description, actor, created_at, "
      "public) VALUES (:request_id, :status, '', :actor, :created_at, 1)";
  long long request_id = 0;
  std::string status, actor;
  long long created_at = 0;
  void bind(soci::statement& st) {
    st.exchange(soci::use(request_id));
    st.exchange(soci::use(status));
    st.exchange(soci::use(actor));
    st.exchange(soci::use(created_at));
  }
};

}  // namespace

Result<std::string> RequestStore::area_of(AreaLocator& areas, const NewServiceRequest& request,
                                          const std::string& chosen_area) {
  if (!request.point) return chosen_area;
  auto area = areas.locate(*request.point);
  if (!area) return fail(area.error());
  if (!*area) {
    return fail(Error::invalid("requests.location.outside", "location outside the city's areas"));
  }
  return std::move(**area);
}

Result<CreatedRequest> RequestStore::create(const NewServiceRequest& request,
                                            const Service& service) {
  auto area_code = area_of(areas_, request, std::string());
  if (!area_code) return fail(area_code.error());
  CreatedRequest out;
  const Status done = db_.transaction([&](soci::session& sql) -> Status {
    auto created = insert(sql, request, service, *area_code);
    if (!created) return fail(created.error());
    out = std::move(*created);
    return {};
  });
  if (!done) return fail(done.error());
  return out;
}

RequestFacts intake_facts(const NewServiceRequest& request, const Service& service,
                          const CreatedRequest& created, std::string_view locale) {
  return {.folio = created.folio,
          .token = created.token,
          .email = request.contact.email,
          .phone = request.contact.phone,
          .account_id = request.contact.account_id,
          .locale = locale.starts_with("en") ? "en" : "es-MX",
          .service_es = service.name.es,
          .service_en = service.name.en,
          .status = RequestStatus::kOpen};
}

Result<CreatedRequest> RequestStore::insert(soci::session& sql, const NewServiceRequest& request,
                                            const Service& service, const std::string& area_code_in,
                                            std::string_view locale) {
  CreatedRequest out;
  out.area_code = area_code_in;
  if (service.sla_hours > 0) {
    auto due =
        WorkingCalendar::mexico_city().add_working_hours(request.requested_at, service.sla_hours);
    if (due) out.expected_at = *due;
  }
  auto agency = RoutingStore::route(sql, service.code, out.area_code, service.agency_code);
  if (!agency) {
    return fail(Error::internal("routing names an unknown agency for " + service.code));
  }
  out.agency_code = std::move(agency->code);
  out.agency_name_es = std::move(agency->name_es);
  out.agency_name_en = std::move(agency->name_en);
  auto insert_request = db::kept<InsertRequest>(sql);
  InsertRequest& row = insert_request->values;
  row.service_code = service.code;
  row.status = to_string(RequestStatus::kOpen);
  row.lat = request.point ? request.point->lat : 0;
  row.lon = request.point ? request.point->lon : 0;
  row.point_ind = request.point ? soci::i_ok : soci::i_null;
  row.address_string = request.address_string;
  row.address_id = request.address_id;
  row.area_code = out.area_code;
  row.area_ind = out.area_code.empty() ? soci::i_null : soci::i_ok;
  row.agency_code = out.agency_code;
  row.description = request.description;
  row.email = request.contact.email;
  row.first_name = request.contact.first_name;
  row.last_name = request.contact.last_name;
  row.phone = request.contact.phone;
  row.device_id = request.contact.device_id;
  row.account_id = request.contact.account_id;
  row.attributes_json = attributes_to_json(request.attributes);
  row.channel = request.channel;
  row.api_key_id = request.api_key_id.value_or(0);
  row.key_ind = request.api_key_id ? soci::i_ok : soci::i_null;
  row.media_url = request.media_url;
  row.requested_at = request.requested_at;
  row.expected_at = out.expected_at.value_or(0);
  row.expected_ind = out.expected_at ? soci::i_ok : soci::i_null;
  row.is_private = request.is_private ? 1 : 0;
  row.locale = locale.starts_with("en") ? "en" : "es-MX";
  for (int attempt = 0; attempt < kFolioAttempts && out.id == 0; ++attempt) {
    // Folios are random (folio.hpp): a collision is possible and simply drawn again.
    row.folio = Folio::generate().compact();
    row.token = crypto::random_token(16);
    if (insert_request->run()) {
      out.id = row.id;
      out.folio = row.folio;
      out.token = row.token;
    }
  }
  if (out.id == 0) return fail(Error::internal("no free folio after several draws"));
  auto first_update = db::kept<InsertFirstUpdate>(sql);
  first_update->values.request_id = out.id;
  first_update->values.status = row.status;
  first_update->values.actor = request.channel;
  first_update->values.created_at = request.requested_at;
  first_update->run();
  return out;
}

Result<std::vector<open311::RequestView>> RequestStore::query(const open311::RequestQuery& query,
                                                              std::string_view locale) {
  Params params;
  std::string where;
  const auto add = [&where](const std::string& condition) {
    where += where.empty() ? "WHERE " : " AND ";
    where += condition;
  };
  if (!query.service_request_ids.empty()) {
    // Open311 GeoReport v2: service_request_id overrides all other arguments.
    add("r.folio IN (" + params.texts(query.service_request_ids) + ")");
  } else {
    if (!query.service_codes.empty()) {
      add("r.service_code IN (" + params.texts(query.service_codes) + ")");
    }
    if (!query.statuses.empty()) {
      add("r.status IN (" + params.texts(stored_statuses(query.statuses)) + ")");
    }
    if (query.start_date) add("r.requested_at >= " + params.integer(*query.start_date));
    if (query.end_date) add("r.requested_at <= " + params.integer(*query.end_date));
    if (query.updated_after) add("r.updated_at > " + params.integer(*query.updated_after));
    if (query.updated_before) add("r.updated_at < " + params.integer(*query.updated_before));
  }
  const std::string limit = params.integer(query.page_size);
  const std::string offset = params.integer(query.offset());
  const std::string text = std::string(kRequestSelect) + where +
                           " ORDER BY r.requested_at DESC, r.id DESC LIMIT " + limit + " OFFSET " +
                           offset + std::string(kRequestJoins);
  std::vector<open311::RequestView> out;
  const Status done = db_.read([&](soci::session& sql) -> Status {
    RequestRow row;
    std::vector<long long> ids;
    soci::statement st(sql);
    row.into(st);
    params.bind(st);
    st.alloc();
    st.prepare(text);
    st.define_and_bind();
    st.execute(false);
    while (st.fetch()) {
      auto view = row.view(locale, query.extensions);
      if (!view) return fail(view.error());
      out.push_back(std::move(*view));
      ids.push_back(row.id);
    }
    if (query.extensions) {
      auto notes = public_notes(sql, ids);
      for (std::size_t i = 0; i < out.size(); ++i) {
        auto it = notes.find(ids[i]);
        if (it != notes.end()) out[i].extended_attributes->notes = std::move(it->second);
      }
    }
    return {};
  });
  if (!done) return fail(done.error());
  return out;
}

Result<std::int64_t> RequestStore::list_version() {
  long long version = 0;
  const Status done = db_.read([&](soci::session& sql) -> Status {
    auto read = db::kept<ListVersion>(sql);
    read->run();
    version = read->values.version;
    return {};
  });
  if (!done) return fail(done.error());
  return version;
}

Result<std::optional<std::string>> RequestStore::folio_for_token(const std::string& token) {
  std::optional<std::string> found;
  const Status done = db_.read([&](soci::session& sql) -> Status {
    std::string folio;
    sql << "SELECT folio FROM service_requests WHERE token = :token", soci::use(token),
        soci::into(folio);
    if (sql.got_data()) found = folio;
    return {};
  });
  if (!done) return fail(done.error());
  return found;
}

Result<long long> RequestStore::add_update(const RequestUpdateInput& update) {
  long long update_id = 0;
  const bool postgres = db_.is_postgres();
  const Status done = db_.transaction([&](soci::session& sql) -> Status {
    auto id = apply_update(sql, postgres, update);
    if (!id) return fail(id.error());
    update_id = *id;
    return {};
  });
  if (!done) return fail(done.error());
  return update_id;
}

Result<long long> RequestStore::apply_update(soci::session& sql, bool postgres,
                                             const RequestUpdateInput& update) {
  long long update_id = 0;
  long long id = 0;
  std::string status;
  std::string notes;
  long long closed_at = 0;
  soci::indicator closed_ind = soci::i_null;
  // PostgreSQL: lock the row so that two concurrent updates apply one after the other
  // (SQLite's BEGIN IMMEDIATE already serialises writers).
  const std::string lock = postgres ? " FOR UPDATE" : "";
  sql << "SELECT id, status, status_notes, closed_at FROM service_requests "
         "WHERE folio = :folio" +
             lock,
      soci::use(update.folio), soci::into(id), soci::into(status), soci::into(notes),
      soci::into(closed_at, closed_ind);
  if (!sql.got_data()) {
    return fail(Error::not_found("no request " + text::quote_for_log(update.folio)));
  }
  const auto from = parse_status(status);
  if (!from) return fail(Error::internal("service_requests.status " + status + " unknown"));
  if (*from != update.status) {
    if (Status s = check_transition({.from = *from,
                                     .to = update.status,
                                     .actor = update.actor,
                                     .now_unix = update.now,
                                     .closed_at_unix = closed_at});
        !s) {
      return fail(s.error());
    }
    // closed_at: when the request entered a closed status; cleared when it opens again.
    if (is_closed(update.status) && !is_closed(*from)) {
      closed_at = update.now;
      closed_ind = soci::i_ok;
    } else if (!is_closed(update.status)) {
      closed_ind = soci::i_null;
    }
  }
  if (update.is_public && !update.description.empty()) notes = update.description;
  const std::string to(to_string(update.status));
  long long now = update.now;
  sql << "UPDATE service_requests SET status = :status, status_notes = :notes, "
         "updated_at = :now, closed_at = :closed_at WHERE id = :id",
      soci::use(to), soci::use(notes), soci::use(now), soci::use(closed_at, closed_ind),
      soci::use(id);
  int is_public = update.is_public ? 1 : 0;
  sql << "INSERT INTO service_request_updates (request_id, status, description, media_url, "
         "actor, created_at, public) VALUES (:request_id, :status, :description, :media_url, "
         ":actor, :created_at, :public) RETURNING id",
      soci::use(id), soci::use(to), soci::use(update.description), soci::use(update.media_url),
      soci::use(update.actor_name), soci::use(now), soci::use(is_public), soci::into(update_id);
  return update_id;
}

Result<std::vector<RequestUpdateView>> RequestStore::updates(const UpdateQuery& query) {
  Params params;
  std::string where = "WHERE u.public = 1";
  if (!query.service_request_ids.empty()) {
    where += " AND r.folio IN (" + params.texts(query.service_request_ids) + ")";
  }
  if (query.start_date) where += " AND u.created_at >= " + params.integer(*query.start_date);
  if (query.end_date) where += " AND u.created_at <= " + params.integer(*query.end_date);
  const std::string limit = params.integer(query.limit);
  const std::string text =
      "SELECT u.id, r.folio, u.status, u.created_at, u.description, u.media_url, r.private "
      "FROM service_request_updates u JOIN service_requests r ON r.id = u.request_id " +
      where + " ORDER BY u.created_at, u.id LIMIT " + limit;
  std::vector<RequestUpdateView> out;
  const Status done = db_.read([&](soci::session& sql) -> Status {
    RequestUpdateView row;
    std::string status;
    long long id = 0;
    long long created_at = 0;
    int is_private = 0;
    soci::statement st(sql);
    st.exchange(soci::into(id));
    st.exchange(soci::into(row.service_request_id));
    st.exchange(soci::into(status));
    st.exchange(soci::into(created_at));
    st.exchange(soci::into(row.description));
    st.exchange(soci::into(row.media_url));
    st.exchange(soci::into(is_private));
    params.bind(st);
    st.alloc();
    st.prepare(text);
    st.define_and_bind();
    st.execute(false);
    while (st.fetch()) {
      const auto parsed = parse_status(status);
      if (!parsed) return fail(Error::internal("service_request_updates.status " + status));
      row.update_id = id;
      row.status = *parsed;
      row.updated_at = created_at;
      // As on GET requests: a private request's photos stay off the public API.
      if (is_private) row.media_url.clear();
      out.push_back(row);
    }
    return {};
  });
  if (!done) return fail(done.error());
  return out;
}

}  // namespace zocalo::requests
