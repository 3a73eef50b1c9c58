#include "requests/routes/transparency_routes.hpp"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <memory>
#include <optional>
#include <string>

#include "platform/core/time.hpp"
#include "platform/http/form.hpp"
#include "requests/model/polygon.hpp"
#include "requests/model/stats.hpp"
#include "requests/model/stats_map.hpp"
#include "requests/store/export_format.hpp"
#include "requests/store/export_store.hpp"
#include "requests/store/stats_store.hpp"

namespace zocalo::requests {
namespace {

using View = web::View;

struct TransparencyContext {
  db::Database& db;
  const web::ErrorPages& errors;
  const web::Renderer& renderer;
};

// Mexico City is UTC−6 all year since Oct 2022 (working_calendar.hpp): its days start at
// 06:00 UTC. Periods and export dates are the city's calendar days.
constexpr std::int64_t kCityOffset = -6 * 3600;
constexpr std::int64_t kDay = 86400;
constexpr int kDefaultExportDays = 90;
constexpr int kMaxExportDays = 366;  // "at most a year", a leap year included
constexpr int kMaxExportPage = 1'000;
// The map's SVG box width and the simplification tolerance in its units: with 400 units for
// ~40 km, one unit is ~100 m, finer than the eye sees at this size and small enough for the
// 16 boundaries to fit the 14 KB budget.
constexpr double kMapWidth = 400;
constexpr double kMapTolerance = 1.2;

std::int64_t city_day(std::int64_t unix_seconds) {
  const std::int64_t local = unix_seconds + kCityOffset;
  return local >= 0 ? local / kDay : (local - kDay + 1) / kDay;
}
std::int64_t day_start(std::int64_t day) {
  return day * kDay - kCityOffset;
}

// "YYYY-MM-DD" → days since 1970-01-01, or nullopt for anything else or an impossible date.
std::optional<std::int64_t> parse_day(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  int y = 0;
  unsigned m = 0, d = 0;
  const auto num = [&](std::size_t at, std::size_t len, auto& out) {
    auto [end, ec] = std::from_chars(text.data() + at, text.data() + at + len, out);
    return ec == std::errc() && end == text.data() + at + len;
  };
  if (!num(0, 4, y) || !num(5, 2, m) || !num(8, 2, d)) return std::nullopt;
  const std::chrono::year_month_day ymd{std::chrono::year{y}, std::chrono::month{m},
                                        std::chrono::day{d}};
  if (!ymd.ok() || y < 2000) return std::nullopt;
  return std::chrono::sys_days(ymd).time_since_epoch().count();
}

std::string day_text(std::int64_t day) {
  const std::chrono::year_month_day ymd{std::chrono::sys_days(std::chrono::days(day))};
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
  return buf;
}

std::string text_of(const TransparencyContext& ctx, const http::Request& req,
                    std::string_view key) {
  return std::string(ctx.renderer.text(req.locale, key));
}

// One decimal, with the locale's decimal point (es-MX and en both write a point).
std::string one_decimal(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", v);
  return buf;
}

View figures_view(const TransparencyContext& ctx, const http::Request& req, const GroupFigures& f) {
  const std::string none = text_of(ctx, req, "cifras.none");
  View v{View::type::object};
  v.set("volume", std::to_string(f.volume));
  v.set("open", std::to_string(f.open_now));
  v.set("closed", std::to_string(f.closed));
  v.set("median_hours", f.median_working_hours ? one_decimal(*f.median_working_hours) : none);
  v.set("median_days", f.median_calendar_days ? one_decimal(*f.median_calendar_days) : none);
  v.set("sla", f.within_sla_percent ? one_decimal(*f.within_sla_percent) + "\u00a0%" : none);
  v.set("reopen", f.reopen_percent ? one_decimal(*f.reopen_percent) + "\u00a0%" : none);
  return v;
}

View groups_view(const TransparencyContext& ctx, const http::Request& req,
                 const std::vector<GroupRow>& rows) {
  View list{View::type::list};
  for (const GroupRow& g : rows) {
    View row = figures_view(ctx, req, g.figures);
    row.set("name", g.name.in(req.locale));
    list.push_back(row);
  }
  return list;
}

http::Response figures_page(TransparencyContext& ctx, http::Request& req) {
  const auto& query = req.query();
  if (!query) return ctx.errors.error_response(req, query.error());
  const std::string_view period = query->get_or("periodo", "30");
  int days = 0;
  if (period == "30" || period == "90" || period == "365") {
    std::from_chars(period.data(), period.data() + period.size(), days);
  } else {
    return ctx.errors.error_response(
        req, Error::invalid("cifras.error.period", "periodo must be 30, 90 or 365"));
  }
  // The last `days` whole city days up to now: [start of (today − days + 1), now].
  const std::int64_t now = time::now_unix();
  const std::int64_t since = day_start(city_day(now) - days + 1);
  auto report = StatsStore(ctx.db).figures(since, now + 1);
  if (!report) return ctx.errors.error_response(req, report.error());

  View view{View::type::object};
  View periods{View::type::list};
  for (const char* p : {"30", "90", "365"}) {
    View item{View::type::object};
    item.set("value", std::string(p));
    item.set("label", text_of(ctx, req, std::string("cifras.period.") + p));
    item.set("selected", period == p);
    periods.push_back(item);
  }
  view.set("periods", periods);
  view.set("period_label", text_of(ctx, req, "cifras.period." + std::string(period)));
  view.set("since", day_text(city_day(since)));
  view.set("until", day_text(city_day(now)));
  view.set("total", figures_view(ctx, req, report->total));
  const auto table = [&](const char* id, const char* caption, const char* first,
                         const std::vector<GroupRow>& rows) {
    View t{View::type::object};
    t.set("id", std::string(id));
    t.set("caption", text_of(ctx, req, caption));
    t.set("first", text_of(ctx, req, first));
    t.set("rows", groups_view(ctx, req, rows));
    return t;
  };
  view.set("services_table", table("by-service", "cifras.by_service.caption", "cifras.col.service",
                                   report->by_service));
  view.set("agencies_table",
           table("by-agency", "cifras.by_agency.caption", "cifras.col.agency", report->by_agency));
  view.set("empty", report->total.volume == 0);
  return ctx.renderer.render_page(req, "cifras/cifras", view, {.title_key = "cifras.title"});
}

// Five classes of ColorBrewer "Blues" (sequential, colour-blind safe); the map's borders are
// dark (#1f2937) so every area stands out from its neighbours and the page (WCAG 1.4.11).
constexpr const char* kShades[] = {"#eff3ff", "#bdd7e7", "#6baed6", "#3182bd", "#08519c"};

http::Response map_page(TransparencyContext& ctx, http::Request& req) {
  auto areas = StatsStore(ctx.db).open_by_area();
  if (!areas) return ctx.errors.error_response(req, areas.error());
  std::vector<std::optional<MultiPolygon>> shapes;
  GeoBox box{180, 90, -180, -90};
  long long max_open = 0;
  for (const AreaOpenCount& a : *areas) {
    auto shape = parse_geojson_geometry(a.geojson);
    if (shape) {
      box.min_lon = std::min(box.min_lon, shape->bounds().min_lon);
      box.min_lat = std::min(box.min_lat, shape->bounds().min_lat);
      box.max_lon = std::max(box.max_lon, shape->bounds().max_lon);
      box.max_lat = std::max(box.max_lat, shape->bounds().max_lat);
      shapes.emplace_back(std::move(*shape));
    } else {
      shapes.emplace_back(std::nullopt);  // a broken boundary: in the table, not on the map
    }
    max_open = std::max(max_open, a.open);
  }
  // Five equal classes from the smallest count to the largest, so that differences between
  // alcaldías show even when every one has many open requests.
  long long min_open = max_open;
  for (const AreaOpenCount& a : *areas) min_open = std::min(min_open, a.open);
  const long long step = std::max<long long>(1, (max_open - min_open + 5) / 5);
  const auto shade_of = [&](long long n) {
    return kShades[std::clamp<long long>((n - min_open) / step, 0, 4)];
  };
  View view{View::type::object};
  const bool have_map = box.min_lon < box.max_lon;
  const MapProjection projection(have_map ? box : GeoBox{0, 0, 1, 1}, kMapWidth);
  const std::string open_word = text_of(ctx, req, "cifras.map.open_word");
  View list{View::type::list};
  long long total = 0;
  for (std::size_t i = 0; i < areas->size(); ++i) {
    const AreaOpenCount& a = (*areas)[i];
    total += a.open;
    View item{View::type::object};
    item.set("code", a.code);
    item.set("name", a.name);
    item.set("open", std::to_string(a.open));
    item.set("label", a.name + ": " + std::to_string(a.open) + " " + open_word);
    item.set("fill", std::string(shade_of(a.open)));
    if (shapes[i]) item.set("d", svg_path(*shapes[i], projection, kMapTolerance));
    list.push_back(item);
  }
  View legend{View::type::list};
  for (int c = 0; c < 5; ++c) {
    View item{View::type::object};
    const long long lo = min_open + static_cast<long long>(c) * step;
    const long long hi = lo + step - 1;
    item.set("fill", std::string(kShades[c]));
    item.set("range",
             lo == hi ? std::to_string(lo) : std::to_string(lo) + "–" + std::to_string(hi));
    legend.push_back(item);
  }
  view.set("areas", list);
  view.set("legend", legend);
  view.set("have_map", have_map);
  view.set("total", std::to_string(total));
  char box_text[64];
  std::snprintf(box_text, sizeof box_text, "0 0 %.0f %.0f", projection.width(),
                std::ceil(projection.height()));
  view.set("viewbox", std::string(box_text));
  return ctx.renderer.render_page(req, "cifras/mapa", view, {.title_key = "cifras.map.title"});
}

enum class ExportFormat { kCsv, kGeoJson };

http::Response export_file(TransparencyContext& ctx, http::Request& req, ExportFormat format) {
  const auto& query = req.query();
  if (!query) return ctx.errors.error_response(req, query.error());
  const std::int64_t today = city_day(time::now_unix());
  const std::string_view from_text = query->get_or("desde", "");
  const std::string_view to_text = query->get_or("hasta", "");
  const std::string_view page_text = query->get_or("pagina", "1");
  const auto bad = [&](const char* detail) {
    return ctx.errors.error_response(req, Error::invalid("cifras.error.dates", detail));
  };
  std::optional<std::int64_t> to = to_text.empty() ? std::optional(today) : parse_day(to_text);
  if (!to) return bad("hasta must be a date YYYY-MM-DD");
  std::optional<std::int64_t> from =
      from_text.empty() ? std::optional(*to - kDefaultExportDays + 1) : parse_day(from_text);
  if (!from) return bad("desde must be a date YYYY-MM-DD");
  if (*from > *to) return bad("desde after hasta");
  if (*to - *from + 1 > kMaxExportDays) return bad("at most one year per file");
  int page = 0;
  {
    auto [end, ec] = std::from_chars(page_text.data(), page_text.data() + page_text.size(), page);
    if (ec != std::errc() || end != page_text.data() + page_text.size() || page < 1 ||
        page > kMaxExportPage) {
      return bad("pagina must be 1..1000");
    }
  }
  auto rows = ExportStore(ctx.db).page(day_start(*from), day_start(*to + 1), page);
  if (!rows) return ctx.errors.error_response(req, rows.error());
  const bool csv = format == ExportFormat::kCsv;
  const std::string name = "reportes-311-" + day_text(*from) + "-" + day_text(*to) +
                           (page > 1 ? "-" + std::to_string(page) : "") +
                           (csv ? ".csv" : ".geojson");
  http::Response res =
      csv ? http::Response::with_type("text/csv; charset=utf-8; header=present", to_csv(rows->rows))
          : http::Response::with_type("application/geo+json", to_geojson(rows->rows));
  res.headers.set("Content-Disposition", "attachment; filename=\"" + name + "\"");
  res.headers.set("Access-Control-Allow-Origin", "*");
  if (rows->has_more) {
    res.headers.set("Link", "</reportes/datos" + std::string(csv ? ".csv" : ".geojson") +
                                "?desde=" + day_text(*from) + "&hasta=" + day_text(*to) +
                                "&pagina=" + std::to_string(page + 1) + ">; rel=\"next\"");
  }
  return res;
}

}  // namespace

void register_transparency_routes(http::Router& router, db::Database& db,
                                  const web::ErrorPages& errors, const web::Renderer& renderer) {
  auto ctx = std::make_shared<TransparencyContext>(TransparencyContext{db, errors, renderer});
  router.get("/reportes/cifras", [ctx](http::Request& req) { return figures_page(*ctx, req); });
  router.get("/reportes/mapa", [ctx](http::Request& req) { return map_page(*ctx, req); });
  router.get("/reportes/datos.csv",
             [ctx](http::Request& req) { return export_file(*ctx, req, ExportFormat::kCsv); });
  router.get("/reportes/datos.geojson",
             [ctx](http::Request& req) { return export_file(*ctx, req, ExportFormat::kGeoJson); });
}

}  // namespace zocalo::requests
