#pragma once
// Routes a 311 request's point to the area (alcaldía) that contains it: a coarse grid of part
// bounding boxes picks the few candidates, then each candidate's exact test decides.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "platform/core/result.hpp"
#include "requests/model/geo_point.hpp"
#include "requests/model/polygon.hpp"

namespace zocalo::requests {

struct AreaShape {
  std::string id;  // INEGI cvegeo for the alcaldías: "09015"
  MultiPolygon shape;
};

class AreaIndex {
 public:
  // Fails with requests.area.id_missing or requests.area.duplicate_id. Areas are expected not
  // to overlap (the alcaldías partition the city); where they do, the first one listed wins.
  static Result<AreaIndex> build(std::vector<AreaShape> areas);

  // The id of the area containing p (a point on a shared border has exactly one), or nullopt
  // outside every area. The view stays valid as long as the index does.
  std::optional<std::string_view> locate(GeoPoint p) const;

  const std::vector<AreaShape>& areas() const { return areas_; }

 private:
  struct Candidate {
    GeoBox box;
    std::uint32_t area;
    std::uint32_t part;
  };

  AreaIndex() = default;

  std::vector<AreaShape> areas_;
  GeoBox bounds_;
  double cell_width_ = 1;
  double cell_height_ = 1;
  // Cell (column, row) lists the parts whose box meets it, in area order:
  // cell_candidates_[cell_start_[cell] .. cell_start_[cell + 1]).
  std::vector<std::uint32_t> cell_start_;
  std::vector<Candidate> cell_candidates_;
};

}  // namespace zocalo::requests
