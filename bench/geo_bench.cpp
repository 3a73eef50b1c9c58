// 311 routing by geography: which alcaldía contains a request's point, with the real
// boundaries, and what it costs to parse and validate them at start-up.
#include <benchmark/benchmark.h>

#include <random>
#include <string>
#include <vector>

#include "platform/core/assets.hpp"
#include "portal/model/area_features.hpp"
#include "requests/model/area_index.hpp"

namespace {

using zocalo::requests::AreaIndex;
using zocalo::requests::AreaShape;
using zocalo::requests::GeoPoint;

std::vector<zocalo::portal::AreaFeature> alcaldia_features() {
  const auto text = zocalo::assets::find("data/cdmx/alcaldias.geojson");
  if (!text) return {};
  auto features = zocalo::portal::parse_area_features(*text, "alcaldia");
  return features.ok() ? std::move(features).value() : std::vector<zocalo::portal::AreaFeature>{};
}

std::vector<AreaShape> alcaldias(const std::vector<zocalo::portal::AreaFeature>& features) {
  std::vector<AreaShape> out;
  for (const auto& feature : features) {
    auto shape = zocalo::requests::parse_geojson_geometry(feature.geometry);
    if (shape.ok()) out.push_back({feature.area.code, std::move(shape).value()});
  }
  return out;
}

const AreaIndex& city() {
  static const AreaIndex index = [] {
    auto built = AreaIndex::build(alcaldias(alcaldia_features()));
    if (!built.ok()) std::abort();
    return std::move(built).value();
  }();
  return index;
}

// A fixed set of points spread over the city's bounding box, so about half fall outside every
// alcaldía (the fast rejections) and half inside one (the exact tests).
const std::vector<GeoPoint>& sample_points() {
  static const std::vector<GeoPoint> points = [] {
    std::mt19937_64 random(311);
    std::uniform_real_distribution<double> lon(-99.365, -98.940);
    std::uniform_real_distribution<double> lat(19.048, 19.593);
    std::vector<GeoPoint> out(1 << 16);
    for (GeoPoint& p : out) p = {lon(random), lat(random)};
    return out;
  }();
  return points;
}

void BM_LocateAlcaldia(benchmark::State& state) {
  const AreaIndex& index = city();
  const std::vector<GeoPoint>& points = sample_points();
  std::size_t i = 0;
  std::size_t found = 0;
  for (auto _ : state) {
    const auto area = index.locate(points[i]);
    found += area.has_value() ? 1 : 0;
    benchmark::DoNotOptimize(area);
    i = (i + 1) & (points.size() - 1);
  }
  state.SetItemsProcessed(state.iterations());
  state.counters["located_share"] =
      static_cast<double>(found) / static_cast<double>(state.iterations());
}
BENCHMARK(BM_LocateAlcaldia);

// Start-up cost: the 16 geometries (~15,000 vertices) parsed and fully validated, excluding
// the FeatureCollection walk the portal's parser does.
void BM_ValidateAlcaldias(benchmark::State& state) {
  const auto features = alcaldia_features();
  for (auto _ : state) {
    auto areas = alcaldias(features);
    benchmark::DoNotOptimize(areas);
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(features.size()));
}
BENCHMARK(BM_ValidateAlcaldias)->Unit(benchmark::kMillisecond);

}  // namespace
