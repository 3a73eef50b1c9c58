#include "requests/store/inbox_store.hpp"

#include <algorithm>
#include <deque>
#include <utility>

namespace zocalo::requests {
namespace {

// Values of a statement whose WHERE clause depends on the filters: each gets a named
// placeholder (:p0, :p1, ...); the SQL around them is made only of this file's constants.
class Binds {
 public:
  std::string text(std::string value) {
    texts_.push_back(std::move(value));
    order_.push_back({true, texts_.size() - 1});
    return ":p" + std::to_string(order_.size() - 1);
  }
  std::string integer(long long value) {
    integers_.push_back(value);
    order_.push_back({false, integers_.size() - 1});
    return ":p" + std::to_string(order_.size() - 1);
  }
  std::string texts(const std::vector<std::string>& values) {
    std::string out;
    for (const std::string& v : values) {
      if (!out.empty()) out += ", ";
      out += text(v);
    }
    return out;
  }
  void bind(soci::statement& st) {
    for (std::size_t i = 0; i < order_.size(); ++i) {
      const auto& [is_text, index] = order_[i];
      if (is_text) {
        st.exchange(soci::use(texts_[index], "p" + std::to_string(i)));
      } else {
        st.exchange(soci::use(integers_[index], "p" + std::to_string(i)));
      }
    }
  }

 private:
  std::deque<std::string> texts_;
  std::deque<long long> integers_;
  std::vector<std::pair<bool, std::size_t>> order_;
};

std::vector<std::string> stored(const std::vector<RequestStatus>& statuses) {
  std::vector<std::string> out;
  for (const RequestStatus s : statuses) out.emplace_back(to_string(s));
  return out;
}

const std::vector<RequestStatus>& open_statuses() {
  static const std::vector<RequestStatus> kOpen = [] {
    std::vector<RequestStatus> out;
    for (const RequestStatus s :
         {RequestStatus::kOpen, RequestStatus::kAcknowledged, RequestStatus::kInProgress,
          RequestStatus::kActionScheduled, RequestStatus::kFixed, RequestStatus::kClosedNotFixed,
          RequestStatus::kDuplicate, RequestStatus::kNotOurs, RequestStatus::kReopened}) {
      if (!is_closed(s)) out.push_back(s);
    }
    return out;
  }();
  return kOpen;
}

// The agency scope of every inbox statement.
std::string scope(const InboxQuery& query, Binds& binds) {
  if (query.all_agencies) return "1 = 1";
  if (query.agency_codes.empty()) return "1 = 0";
  return "r.agency_code IN (" + binds.texts(query.agency_codes) + ")";
}

constexpr std::string_view kRowSelect =
    "SELECT r.id, r.folio, r.status, r.service_code, s.name_es, s.name_en, "
    "COALESCE(r.area_code, ''), COALESCE(ar.name, ''), r.agency_code, r.address_string, "
    "r.requested_at, r.expected_at, r.assignee_account_id "
    "FROM service_requests r JOIN services s ON s.code = r.service_code "
    "LEFT JOIN areas ar ON ar.code = r.area_code ";

struct RowReader {
  InboxRow row;
  std::string status;
  long long expected = 0, assignee = 0;
  soci::indicator expected_ind = soci::i_null, assignee_ind = soci::i_null;

  void into(soci::statement& st) {
    st.exchange(soci::into(row.id));
    st.exchange(soci::into(row.folio));
    st.exchange(soci::into(status));
    st.exchange(soci::into(row.service_code));
    st.exchange(soci::into(row.service_es));
    st.exchange(soci::into(row.service_en));
    st.exchange(soci::into(row.area_code));
    st.exchange(soci::into(row.area_name));
    st.exchange(soci::into(row.agency_code));
    st.exchange(soci::into(row.address));
    st.exchange(soci::into(row.requested_at));
    st.exchange(soci::into(expected, expected_ind));
    st.exchange(soci::into(assignee, assignee_ind));
  }

  Result<InboxRow> take(std::int64_t now) {
    const auto parsed = parse_status(status);
    if (!parsed) return fail(Error::internal("service_requests.status " + status + " unknown"));
    InboxRow out = row;
    out.status = *parsed;
    out.expected_at =
        expected_ind == soci::i_ok ? std::optional<std::int64_t>(expected) : std::nullopt;
    out.assignee_account_id =
        assignee_ind == soci::i_ok ? std::optional<long long>(assignee) : std::nullopt;
    out.overdue = !is_closed(*parsed) && out.expected_at && *out.expected_at < now;
    return out;
  }
};

Status read_rows(soci::session& sql, const std::string& text, Binds& binds, std::int64_t now,
                 std::vector<InboxRow>& out) {
  RowReader reader;
  soci::statement st(sql);
  reader.into(st);
  binds.bind(st);
  st.alloc();
  st.prepare(text);
  st.define_and_bind();
  st.execute(false);
  while (st.fetch()) {
    auto row = reader.take(now);
    if (!row) return fail(row.error());
    out.push_back(std::move(*row));
  }
  return {};
}

long long count(soci::session& sql, const std::string& text, Binds& binds) {
  long long n = 0;
  soci::statement st(sql);
  st.exchange(soci::into(n));
  binds.bind(st);
  st.alloc();
  st.prepare(text);
  st.define_and_bind();
  st.execute(true);
  return n;
}

}  // namespace

Result<InboxPage> InboxStore::list(const InboxQuery& query) {
  if (query.page < 1 || query.page > kInboxMaxPage || query.page_size < 1 ||
      query.page_size > 100) {
    return fail(Error::invalid("atencion.filter.invalid", "page or page_size out of range"));
  }
  // The filtered list, and its total.
  Binds binds;
  std::string where = "WHERE " + scope(query, binds);
  if (query.status) {
    where += " AND r.status = " + binds.text(std::string(to_string(*query.status)));
  } else if (query.open_only && !query.overdue) {
    where += " AND r.status IN (" + binds.texts(stored(open_statuses())) + ")";
  }
  if (query.overdue) {
    where += " AND r.status IN (" + binds.texts(stored(open_statuses())) + ")";
    where += " AND r.expected_at < " + binds.integer(query.now);
  }
  if (!query.service_code.empty())
    where += " AND r.service_code = " + binds.text(query.service_code);
  if (!query.area_code.empty()) where += " AND r.area_code = " + binds.text(query.area_code);
  const std::string order = query.sort == InboxSort::kDue
                                ? " ORDER BY CASE WHEN r.expected_at IS NULL THEN 1 ELSE 0 END, "
                                  "r.expected_at, r.requested_at, r.id"
                                : " ORDER BY r.requested_at, r.id";
  Binds total_binds = binds;
  const std::string limit = binds.integer(query.page_size);
  const std::string offset =
      binds.integer(static_cast<long long>(query.page - 1) * query.page_size);
  const std::string list_sql =
      std::string(kRowSelect) + where + order + " LIMIT " + limit + " OFFSET " + offset;
  const std::string total_sql = "SELECT COUNT(*) FROM service_requests r " + where;

  // Counts per status and overdue over the whole scope.
  Binds count_binds;
  const std::string counts_sql = "SELECT r.status, COUNT(*) FROM service_requests r WHERE " +
                                 scope(query, count_binds) + " GROUP BY r.status";
  Binds overdue_binds;
  std::string overdue_sql = "SELECT COUNT(*) FROM service_requests r WHERE " +
                            scope(query, overdue_binds) + " AND r.status IN (" +
                            overdue_binds.texts(stored(open_statuses())) +
                            ") AND r.expected_at < " + overdue_binds.integer(query.now);

  InboxPage out;
  const Status done = db_.read([&](soci::session& sql) -> Status {
    if (Status s = read_rows(sql, list_sql, binds, query.now, out.rows); !s) return s;
    out.total = count(sql, total_sql, total_binds);
    out.overdue = count(sql, overdue_sql, overdue_binds);
    std::string status;
    long long n = 0;
    soci::statement st(sql);
    st.exchange(soci::into(status));
    st.exchange(soci::into(n));
    count_binds.bind(st);
    st.alloc();
    st.prepare(counts_sql);
    st.define_and_bind();
    st.execute(false);
    while (st.fetch()) {
      const auto parsed = parse_status(status);
      if (parsed) out.counts[*parsed] = n;
    }
    return {};
  });
  if (!done) return fail(done.error());
  return out;
}

Result<std::optional<StaffRequest>> InboxStore::find(const std::string& folio) {
  std::optional<StaffRequest> found;
  const Status done = db_.read([&](soci::session& sql) -> Status {
    StaffRequest r;
    std::string status;
    double lat = 0, lon = 0;
    long long expected = 0, closed = 0, assignee = 0;
    int is_private = 0;
    soci::indicator lat_ind = soci::i_null, lon_ind = soci::i_null, expected_ind = soci::i_null,
                    closed_ind = soci::i_null, assignee_ind = soci::i_null;
    sql << "SELECT r.id, r.folio, r.status, r.status_notes, r.service_code, s.name_es, "
           "s.name_en, r.agency_code, a.name_es, a.name_en, a.id, COALESCE(r.area_code, ''), "
           "COALESCE(ar.name, ''), r.lat, r.lon, r.address_string, r.description, r.email, "
           "r.first_name, r.last_name, r.phone, r.account_id, r.attributes_json, r.channel, "
           "r.media_url, r.requested_at, r.updated_at, r.expected_at, r.closed_at, "
           "COALESCE(p.folio, ''), r.assignee_account_id, r.private "
           "FROM service_requests r JOIN services s ON s.code = r.service_code "
           "JOIN agencies a ON a.code = r.agency_code "
           "LEFT JOIN areas ar ON ar.code = r.area_code "
           "LEFT JOIN service_requests p ON p.id = r.parent_id WHERE r.folio = :folio",
        soci::use(folio), soci::into(r.id), soci::into(r.folio), soci::into(status),
        soci::into(r.status_notes), soci::into(r.service_code), soci::into(r.service_es),
        soci::into(r.service_en), soci::into(r.agency_code), soci::into(r.agency_es),
        soci::into(r.agency_en), soci::into(r.agency_id), soci::into(r.area_code),
        soci::into(r.area_name), soci::into(lat, lat_ind), soci::into(lon, lon_ind),
        soci::into(r.address_string), soci::into(r.description), soci::into(r.email),
        soci::into(r.first_name), soci::into(r.last_name), soci::into(r.phone),
        soci::into(r.account_id), soci::into(r.attributes_json), soci::into(r.channel),
        soci::into(r.media_url), soci::into(r.requested_at), soci::into(r.updated_at),
        soci::into(expected, expected_ind), soci::into(closed, closed_ind),
        soci::into(r.parent_folio), soci::into(assignee, assignee_ind), soci::into(is_private);
    if (!sql.got_data()) return {};
    const auto parsed = parse_status(status);
    if (!parsed) return fail(Error::internal("service_requests.status " + status + " unknown"));
    r.status = *parsed;
    if (lat_ind == soci::i_ok && lon_ind == soci::i_ok) {
      r.lat = lat;
      r.lon = lon;
    }
    if (expected_ind == soci::i_ok) r.expected_at = expected;
    if (closed_ind == soci::i_ok) r.closed_at = closed;
    if (assignee_ind == soci::i_ok) r.assignee_account_id = assignee;
    r.is_private = is_private != 0;

    StaffUpdate u;
    std::string u_status;
    int u_public = 1;
    soci::statement st =
        (sql.prepare << "SELECT id, status, description, actor, created_at, public "
                        "FROM service_request_updates WHERE request_id = :id ORDER BY id LIMIT 500",
         soci::use(r.id), soci::into(u.id), soci::into(u_status), soci::into(u.description),
         soci::into(u.actor), soci::into(u.created_at), soci::into(u_public));
    st.execute(false);
    while (st.fetch()) {
      const auto s = parse_status(u_status);
      if (!s) return fail(Error::internal("service_request_updates.status " + u_status));
      u.status = *s;
      u.is_public = u_public != 0;
      r.updates.push_back(u);
    }
    found = std::move(r);
    return {};
  });
  if (!done) return fail(done.error());
  return found;
}

Result<std::vector<InboxRow>> InboxStore::for_caller(const CallerQuery& query, std::int64_t now) {
  Binds binds;
  std::string any;
  const auto either = [&any](const std::string& condition) {
    any += any.empty() ? "(" : " OR ";
    any += condition;
  };
  // Each term repeats its partial index's condition so that the planner may use the index.
  if (query.account_id) {
    either("(r.account_id = " + binds.text(std::to_string(*query.account_id)) +
           " AND r.account_id <> '')");
  }
  if (!query.phone.empty()) either("(r.phone = " + binds.text(query.phone) + " AND r.phone <> '')");
  if (!query.email.empty()) either("(r.email = " + binds.text(query.email) + " AND r.email <> '')");
  std::vector<InboxRow> out;
  if (any.empty()) return out;
  any += ")";
  std::string where = "WHERE " + any;
  if (query.open_only) where += " AND r.status IN (" + binds.texts(stored(open_statuses())) + ")";
  const std::string text = std::string(kRowSelect) + where +
                           " ORDER BY r.requested_at DESC, r.id DESC LIMIT " +
                           binds.integer(std::clamp(query.limit, 1, 200));
  const Status done =
      db_.read([&](soci::session& sql) -> Status { return read_rows(sql, text, binds, now, out); });
  if (!done) return fail(done.error());
  return out;
}

Result<std::vector<AgencyRef>> InboxStore::agencies() {
  std::vector<AgencyRef> out;
  const Status done = db_.read([&](soci::session& sql) -> Status {
    AgencyRef a;
    soci::statement st =
        (sql.prepare << "SELECT id, code, name_es, name_en FROM agencies "
                        "ORDER BY name_es, code LIMIT 1000",
         soci::into(a.id), soci::into(a.code), soci::into(a.name_es), soci::into(a.name_en));
    st.execute(false);
    while (st.fetch()) out.push_back(a);
    return {};
  });
  if (!done) return fail(done.error());
  return out;
}

Result<std::vector<AreaRef>> InboxStore::areas() {
  std::vector<AreaRef> out;
  const Status done = db_.read([&](soci::session& sql) -> Status {
    AreaRef a;
    soci::statement st =
        (sql.prepare << "SELECT code, name FROM areas WHERE kind = 'alcaldia' ORDER BY name "
                        "LIMIT 1000",
         soci::into(a.code), soci::into(a.name));
    st.execute(false);
    while (st.fetch()) out.push_back(a);
    return {};
  });
  if (!done) return fail(done.error());
  return out;
}

}  // namespace zocalo::requests
