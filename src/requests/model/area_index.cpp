#include "requests/model/area_index.hpp"

#include <algorithm>
#include <cmath>
#include <set>
#include <utility>

namespace zocalo::requests {
namespace {

// 32 x 32 cells over the city leave one to three alcaldías per cell; finer buys nothing
// because the exact test, not the candidate scan, dominates a lookup.
constexpr std::size_t kGridSide = 32;

// Polygon::contains snaps a point to 1e-9 degree before testing, so a point a hair outside a
// part's box may still be inside it; widening every box by ten grid steps keeps the quick
// reject from ever overruling the exact test.
constexpr double kBoxMargin = 1e-8;

GeoBox widened(const GeoBox& box) {
  return {box.min_lon - kBoxMargin, box.min_lat - kBoxMargin, box.max_lon + kBoxMargin,
          box.max_lat + kBoxMargin};
}

std::size_t cell_index(double value, double origin, double size) {
  const double cell = std::floor((value - origin) / size);
  return static_cast<std::size_t>(std::clamp(cell, 0.0, static_cast<double>(kGridSide - 1)));
}

}  // namespace

Result<AreaIndex> AreaIndex::build(std::vector<AreaShape> areas) {
  std::set<std::string_view> ids;
  for (const AreaShape& area : areas) {
    if (area.id.empty()) return fail(Error::invalid("requests.area.id_missing"));
    if (!ids.insert(area.id).second) {
      return fail(Error::invalid("requests.area.duplicate_id", "area " + area.id));
    }
  }
  AreaIndex index;
  index.areas_ = std::move(areas);
  index.cell_start_.assign(kGridSide * kGridSide + 1, 0);
  if (index.areas_.empty()) return index;

  std::vector<Candidate> candidates;
  index.bounds_ = widened(index.areas_.front().shape.bounds());
  for (std::uint32_t a = 0; a < index.areas_.size(); ++a) {
    const std::vector<Polygon>& parts = index.areas_[a].shape.parts();
    for (std::uint32_t p = 0; p < parts.size(); ++p) {
      const GeoBox box = widened(parts[p].bounds());
      candidates.push_back({box, a, p});
      index.bounds_.min_lon = std::min(index.bounds_.min_lon, box.min_lon);
      index.bounds_.min_lat = std::min(index.bounds_.min_lat, box.min_lat);
      index.bounds_.max_lon = std::max(index.bounds_.max_lon, box.max_lon);
      index.bounds_.max_lat = std::max(index.bounds_.max_lat, box.max_lat);
    }
  }
  const GeoBox& all = index.bounds_;
  index.cell_width_ = (all.max_lon - all.min_lon) / kGridSide;
  index.cell_height_ = (all.max_lat - all.min_lat) / kGridSide;

  // Two passes (count, then place) build the cell lists as one flat array.
  auto for_each_cell = [&](const GeoBox& box, auto&& visit) {
    const std::size_t c0 = cell_index(box.min_lon, all.min_lon, index.cell_width_);
    const std::size_t c1 = cell_index(box.max_lon, all.min_lon, index.cell_width_);
    const std::size_t r0 = cell_index(box.min_lat, all.min_lat, index.cell_height_);
    const std::size_t r1 = cell_index(box.max_lat, all.min_lat, index.cell_height_);
    for (std::size_t row = r0; row <= r1; ++row) {
      for (std::size_t col = c0; col <= c1; ++col) visit(row * kGridSide + col);
    }
  };
  for (const Candidate& c : candidates) {
    for_each_cell(c.box, [&](std::size_t cell) { ++index.cell_start_[cell + 1]; });
  }
  for (std::size_t cell = 0; cell < kGridSide * kGridSide; ++cell) {
    index.cell_start_[cell + 1] += index.cell_start_[cell];
  }
  index.cell_candidates_.resize(index.cell_start_.back());
  std::vector<std::uint32_t> fill(index.cell_start_.begin(), index.cell_start_.end() - 1);
  for (const Candidate& c : candidates) {
    for_each_cell(c.box, [&](std::size_t cell) { index.cell_candidates_[fill[cell]++] = c; });
  }
  return index;
}

std::optional<std::string_view> AreaIndex::locate(GeoPoint p) const {
  // Also turns away NaN, which fails every comparison.
  if (!bounds_.contains(p)) return std::nullopt;
  const std::size_t cell = cell_index(p.lat, bounds_.min_lat, cell_height_) * kGridSide +
                           cell_index(p.lon, bounds_.min_lon, cell_width_);
  for (std::uint32_t i = cell_start_[cell]; i < cell_start_[cell + 1]; ++i) {
    const Candidate& c = cell_candidates_[i];
    if (c.box.contains(p) && areas_[c.area].shape.parts()[c.part].contains(p)) {
      return areas_[c.area].id;
    }
  }
  return std::nullopt;
}

}  // namespace zocalo::requests
