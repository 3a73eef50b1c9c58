#pragma once
// Which area (alcaldía) contains a request's point, read from the `areas` table the portal's
// migration 0002 created. PostgreSQL answers with PostGIS (ST_Contains over the GiST index);
// SQLite with model/area_index.hpp (bounding boxes + exact point-in-polygon), built from the
// table's GeoJSON and kept in memory.
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "platform/core/result.hpp"
#include "platform/db/database.hpp"
#include "requests/model/area_index.hpp"
#include "requests/model/geo_point.hpp"

namespace zocalo::requests {

class AreaLocator {
 public:
  // How long a loaded index is trusted before the table is checked again for changes (an
  // import of areas on another node); a check costs one small query.
  static constexpr std::chrono::seconds kRecheckEvery{30};

  explicit AreaLocator(db::Database& db) : db_(db) {}

  // The code of the area containing `point`, or nullopt outside every area. On SQLite a point
  // on a border shared by two areas belongs to exactly one (AreaIndex's rule); on PostgreSQL
  // an interior point is ST_Contains'ed by one area, and a border point goes to the area with
  // the smallest code among those it touches.
  Result<std::optional<std::string>> locate(GeoPoint point);

  // The areas as an in-memory index, on either database (SQLite's locate uses it; tools that
  // locate many points, such as demo seeding, may too). Reloaded when the table changed.
  Result<std::shared_ptr<const AreaIndex>> index();

  // This process wrote the areas table (store/area_store.hpp): every locator reloads on its
  // next use instead of trusting its index for up to kRecheckEvery. Other nodes see the change
  // through the table's signature within kRecheckEvery.
  static void changed();

 private:
  db::Database& db_;
  std::mutex mutex_;
  std::shared_ptr<const AreaIndex> index_;
  std::string signature_;
  std::chrono::steady_clock::time_point checked_at_{};
  std::uint64_t generation_ = 0;  // changed()'s count when index_ was loaded
};

}  // namespace zocalo::requests
