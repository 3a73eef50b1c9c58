#include "requests/store/area_locator.hpp"

#include <atomic>
#include <utility>
#include <vector>

#include "platform/db/kept_statement.hpp"
#include "requests/model/polygon.hpp"

namespace zocalo::requests {
namespace {

std::atomic<std::uint64_t> g_generation{0};

// Changes when areas are added, removed or redrawn (an upsert rewrites the bounding box).
std::string table_signature(soci::session& sql) {
  long long count = 0;
  long long max_id = 0;
  double box_sum = 0;
  long long length_sum = 0;
  // The lengths catch a boundary redrawn inside the same box (an import on another node).
  sql << "SELECT COUNT(*), COALESCE(MAX(id), 0), "
         "COALESCE(SUM(min_lon + 2 * min_lat + 3 * max_lon + 5 * max_lat), 0), "
         "COALESCE(SUM(LENGTH(geojson)), 0) FROM areas",
      soci::into(count), soci::into(max_id), soci::into(box_sum), soci::into(length_sum);
  return std::to_string(count) + "/" + std::to_string(max_id) + "/" + std::to_string(box_sum) +
         "/" + std::to_string(length_sum);
}

}  // namespace

Result<std::shared_ptr<const AreaIndex>> AreaLocator::index() {
  std::lock_guard lock(mutex_);
  const auto now = std::chrono::steady_clock::now();
  const std::uint64_t generation = g_generation.load();
  const bool stale = generation != generation_;
  if (index_ && !stale && now - checked_at_ < kRecheckEvery) return index_;
  std::shared_ptr<const AreaIndex> built;
  const Status done = db_.read([&](soci::session& sql) -> Status {
    std::string signature = table_signature(sql);
    if (index_ && !stale && signature == signature_) return {};
    std::vector<AreaShape> shapes;
    std::string code;
    std::string geojson;
    soci::statement st = (sql.prepare << "SELECT code, geojson FROM areas ORDER BY code",
                          soci::into(code), soci::into(geojson));
    st.execute();
    while (st.fetch()) {
      auto shape = parse_geojson_geometry(geojson);
      // The portal validated every area on import; a row that does not parse is a bug.
      if (!shape) {
        return fail(Error::internal("areas." + code + ": " + shape.error().detail));
      }
      shapes.push_back({code, std::move(*shape)});
    }
    auto index = AreaIndex::build(std::move(shapes));
    if (!index) return fail(Error::internal("areas: " + index.error().detail));
    built = std::make_shared<const AreaIndex>(std::move(*index));
    signature_ = std::move(signature);
    return {};
  });
  if (!done) return fail(done.error());
  if (built) index_ = std::move(built);
  checked_at_ = now;
  generation_ = generation;
  return index_;
}

void AreaLocator::changed() {
  g_generation.fetch_add(1);
}

namespace {

// PostgreSQL, for every located report: kept prepared (platform/db/kept_statement.hpp). The
// GiST index finds the candidates (&&), ST_Intersects keeps border points, and the order puts
// the area that strictly contains the point first.
struct LocateStatement {
  static constexpr std::string_view kSql =
      "SELECT code FROM areas "
      "WHERE ST_Intersects(geom, ST_SetSRID(ST_MakePoint(:lon, :lat), 4326)) "
      "ORDER BY ST_Contains(geom, ST_SetSRID(ST_MakePoint(:lon2, :lat2), 4326)) DESC, "
      "code LIMIT 1";
  GeoPoint point;
  std::string code;
  void bind(soci::statement& st) {
    st.exchange(soci::use(point.lon));
    st.exchange(soci::use(point.lat));
    st.exchange(soci::use(point.lon));
    st.exchange(soci::use(point.lat));
    st.exchange(soci::into(code));
  }
};

}  // namespace

Result<std::optional<std::string>> AreaLocator::locate(GeoPoint point) {
  std::optional<std::string> found;
  if (db_.is_postgres()) {
    const Status done = db_.read([&](soci::session& sql) -> Status {
      auto locate = db::kept<LocateStatement>(sql);
      locate->values.point = point;
      if (locate->run()) found = locate->values.code;
      return {};
    });
    if (!done) return fail(done.error());
    return found;
  }
  auto index = this->index();
  if (!index) return fail(index.error());
  if (const auto code = (*index)->locate(point)) found = std::string(*code);
  return found;
}

}  // namespace zocalo::requests
