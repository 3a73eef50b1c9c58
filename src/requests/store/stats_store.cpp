#include "requests/store/stats_store.hpp"

#include <algorithm>
#include <map>
#include <utility>

#include "requests/model/status.hpp"

namespace zocalo::requests {
namespace {

// status IN (...) of the closed statuses, from model/status so the SQL cannot drift.
std::string closed_list() {
  std::string out;
  for (RequestStatus s :
       {RequestStatus::kOpen, RequestStatus::kAcknowledged, RequestStatus::kInProgress,
        RequestStatus::kActionScheduled, RequestStatus::kFixed, RequestStatus::kClosedNotFixed,
        RequestStatus::kDuplicate, RequestStatus::kNotOurs, RequestStatus::kReopened}) {
    if (!is_closed(s)) continue;
    if (!out.empty()) out += ", ";
    out += "'" + std::string(to_string(s)) + "'";
  }
  return out;
}

std::vector<GroupRow> finish(std::map<std::string, GroupTally>& tallies,
                             const std::map<std::string, LocalizedText>& names) {
  std::vector<GroupRow> out;
  for (auto& [code, tally] : tallies) {
    const auto n = names.find(code);
    out.push_back({code, n == names.end() ? LocalizedText{code, code} : n->second, tally.finish()});
  }
  std::sort(out.begin(), out.end(), [](const GroupRow& a, const GroupRow& b) {
    return a.name.es != b.name.es ? a.name.es < b.name.es : a.code < b.code;
  });
  return out;
}

}  // namespace

Result<StatsReport> StatsStore::figures(std::int64_t since, std::int64_t until,
                                        const WorkingCalendar& calendar) {
  StatsReport report;
  report.since = since;
  report.until = until;
  std::map<std::string, GroupTally> services, agencies;
  std::map<std::string, LocalizedText> service_names, agency_names;
  GroupTally total;
  const Status done = db_.read([&](soci::session& sql) -> Status {
    {
      std::string code, es, en;
      soci::statement st = (sql.prepare << "SELECT code, name_es, name_en FROM services",
                            soci::into(code), soci::into(es), soci::into(en));
      st.execute();
      while (st.fetch()) service_names[code] = {es, en};
    }
    {
      std::string code, es, en;
      soci::statement st = (sql.prepare << "SELECT code, name_es, name_en FROM agencies",
                            soci::into(code), soci::into(es), soci::into(en));
      st.execute();
      while (st.fetch()) agency_names[code] = {es, en};
    }
    std::string service, agency, status;
    long long requested = 0, closed = 0, expected = 0, reopened = 0;
    soci::indicator closed_ind = soci::i_null, expected_ind = soci::i_null;
    long long from = since, to = until;
    // reopen: an update row whose status is reopened (model/status; the updates table keeps
    // every status change). The requested_at index bounds the scan to the period.
    soci::statement st =
        (sql.prepare << "SELECT r.service_code, r.agency_code, r.status, r.requested_at, "
                        "r.closed_at, r.expected_at, CASE WHEN EXISTS (SELECT 1 FROM "
                        "service_request_updates u WHERE u.request_id = r.id AND u.status = "
                        "'reopened') THEN 1 ELSE 0 END FROM service_requests r "
                        "WHERE r.requested_at >= :since AND r.requested_at < :until",
         soci::use(from, "since"), soci::use(to, "until"), soci::into(service), soci::into(agency),
         soci::into(status), soci::into(requested), soci::into(closed, closed_ind),
         soci::into(expected, expected_ind), soci::into(reopened));
    st.execute();
    while (st.fetch()) {
      StatsRow row;
      const auto parsed = parse_status(status);
      row.closed_now = parsed && is_closed(*parsed);
      row.ever_reopened = reopened != 0;
      row.requested_at = requested;
      if (closed_ind == soci::i_ok) {
        row.closed_at = closed;
        row.working_seconds_to_close = calendar.working_seconds_between(requested, closed);
      }
      if (expected_ind == soci::i_ok) row.expected_at = expected;
      services[service].add(row);
      agencies[agency].add(row);
      total.add(row);
    }
    return {};
  });
  if (!done) return fail(done.error());
  report.by_service = finish(services, service_names);
  report.by_agency = finish(agencies, agency_names);
  report.total = total.finish();
  return report;
}

Result<std::vector<AreaOpenCount>> StatsStore::open_by_area() {
  std::vector<AreaOpenCount> out;
  const Status done = db_.read([&](soci::session& sql) -> Status {
    std::string code, name, geojson;
    long long open = 0;
    soci::statement st =
        (sql.prepare << "SELECT a.code, a.name, a.geojson, (SELECT COUNT(*) FROM "
                        "service_requests r WHERE r.area_code = a.code AND r.status NOT IN (" +
                            closed_list() +
                            ")) FROM areas a WHERE a.kind = 'alcaldia' ORDER BY a.name, a.code",
         soci::into(code), soci::into(name), soci::into(geojson), soci::into(open));
    st.execute();
    while (st.fetch()) out.push_back({code, name, geojson, open});
    return {};
  });
  if (!done) return fail(done.error());
  return out;
}

}  // namespace zocalo::requests
