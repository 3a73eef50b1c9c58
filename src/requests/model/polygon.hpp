#pragma once
// Area boundaries for routing a 311 request to the alcaldía that contains its point. PostGIS
// answers the same question in SQL on PostgreSQL; this is the reference and the SQLite path.
//
// Geometry is snapped to a grid of 1e-9 degree (about 0.1 mm on the ground, ten times finer
// than INEGI's published coordinates) and every predicate is exact integer arithmetic there, so
// two neighbours that share a border agree bit for bit on which side a point falls.
#include <boost/json/fwd.hpp>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "platform/core/result.hpp"
#include "requests/model/geo_point.hpp"

namespace zocalo::requests {

// A closed ring as GeoJSON writes it: the last position repeats the first (RFC 7946 3.1.6).
using Ring = std::vector<GeoPoint>;

// Hostile input must not cost unbounded time or memory: the biggest alcaldía has under 2,000
// vertices, so 200,000 per geometry leaves room for any real boundary.
inline constexpr std::size_t kMaxGeometryVertices = 200'000;

struct GeoBox {
  double min_lon = 0;
  double min_lat = 0;
  double max_lon = 0;
  double max_lat = 0;

  bool contains(GeoPoint p) const {
    return p.lon >= min_lon && p.lon <= max_lon && p.lat >= min_lat && p.lat <= max_lat;
  }
};

// A shell with optional holes, valid in the OGC simple-features sense and a little stricter:
// rings may not touch each other or themselves anywhere, not even at one point.
class Polygon {
 public:
  // rings[0] is the shell, the rest are holes. Fails with a requests.area.* key naming the
  // ring and position: ring_not_closed, ring_too_short, bad_coordinates, self_intersection,
  // hole_outside_shell, holes_overlap, too_many_vertices, too_complex, empty.
  static Result<Polygon> make(std::vector<Ring> rings);

  const Ring& shell() const { return rings_.front(); }
  std::span<const Ring> holes() const { return std::span(rings_).subspan(1); }
  const GeoBox& bounds() const { return bounds_; }

  // Crossing number with half-open edges: a point on a border shared with a neighbour belongs
  // to exactly one of the two (the one to its east; on an east-west border, the one north).
  bool contains(GeoPoint p) const;

 private:
  // Upward edge (y0 < y1) in grid units; horizontal edges never cross a horizontal ray and are
  // not stored.
  struct Edge {
    std::int64_t x0;
    std::int64_t y0;
    std::int64_t x1;
    std::int64_t y1;
    std::uint32_t ring;
  };

  Polygon() = default;
  std::size_t slab_of(std::int64_t y) const;

  std::vector<Ring> rings_;
  GeoBox bounds_;
  std::int64_t min_x_ = 0;
  std::int64_t min_y_ = 0;
  std::int64_t max_x_ = 0;
  std::int64_t max_y_ = 0;
  // Horizontal slabs of equal height; slab s holds every edge whose y-span meets it, stored
  // by value in slab order (slab_start_[s] .. slab_start_[s + 1]) so a lookup reads one run.
  std::vector<std::uint32_t> slab_start_;
  std::vector<Edge> slab_edges_;
};

// One area's shape: a GeoJSON Polygon is a MultiPolygon of one part.
class MultiPolygon {
 public:
  explicit MultiPolygon(std::vector<Polygon> parts);

  const std::vector<Polygon>& parts() const { return parts_; }
  const GeoBox& bounds() const { return bounds_; }
  bool contains(GeoPoint p) const;

 private:
  std::vector<Polygon> parts_;
  GeoBox bounds_;
};

// A GeoJSON geometry object of type Polygon or MultiPolygon (RFC 7946 3.1.6, 3.1.7), such as
// portal::AreaFeature::geometry. Other types and malformed input fail with a requests.area.*
// key (invalid_json, unsupported_geometry, empty, plus those of Polygon::make); the detail
// names the polygon, ring and position.
Result<MultiPolygon> parse_geojson_geometry(std::string_view geometry_json);
Result<MultiPolygon> parse_geojson_geometry(const boost::json::value& geometry);

}  // namespace zocalo::requests
