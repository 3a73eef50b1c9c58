#include "requests/model/polygon.hpp"

#include <algorithm>
#include <boost/json.hpp>
#include <cmath>
#include <limits>
#include <optional>
#include <string>
#include <utility>

namespace zocalo::requests {
namespace {

namespace json = boost::json;

// Orientation products of two 39-bit differences need 78 bits; GCC's 128-bit integer keeps
// them exact without a multi-precision library.
__extension__ using Wide = __int128;

constexpr double kGridPerDegree = 1e9;

// Work budgets for validation. A real boundary spends a few entries and pair tests per
// vertex; a crafted one (thousands of long edges piled into the same cells) would spend
// quadratic time, so past these it is refused as too complex instead.
constexpr std::size_t kCellEntriesPerSegment = 32;
constexpr std::size_t kMaxPairTests = 50'000'000;
constexpr std::size_t kEdgesPerSlab = 4;
constexpr double kRoundingSlack = 1.0;

struct Fixed {
  std::int64_t x = 0;
  std::int64_t y = 0;
  friend bool operator==(const Fixed&, const Fixed&) = default;
};

Fixed to_grid(GeoPoint p) {
  return {std::llround(p.lon * kGridPerDegree), std::llround(p.lat * kGridPerDegree)};
}

// +1 when c lies left of the line a->b, -1 right, 0 on it.
int orientation(Fixed a, Fixed b, Fixed c) {
  const Wide cross =
      static_cast<Wide>(b.x - a.x) * (c.y - a.y) - static_cast<Wide>(b.y - a.y) * (c.x - a.x);
  return (cross > 0) - (cross < 0);
}

// p is known to be collinear with a and b.
bool within_span(Fixed a, Fixed b, Fixed p) {
  return std::min(a.x, b.x) <= p.x && p.x <= std::max(a.x, b.x) && std::min(a.y, b.y) <= p.y &&
         p.y <= std::max(a.y, b.y);
}

// Closed segments: touching at an end counts as meeting.
bool segments_meet(Fixed p1, Fixed p2, Fixed q1, Fixed q2) {
  const int d1 = orientation(q1, q2, p1);
  const int d2 = orientation(q1, q2, p2);
  const int d3 = orientation(p1, p2, q1);
  const int d4 = orientation(p1, p2, q2);
  if (d1 * d2 < 0 && d3 * d4 < 0) return true;
  return (d1 == 0 && within_span(q1, q2, p1)) || (d2 == 0 && within_span(q1, q2, p2)) ||
         (d3 == 0 && within_span(p1, p2, q1)) || (d4 == 0 && within_span(p1, p2, q2));
}

Error area_error(std::string key, std::string detail) {
  return Error::invalid("requests.area." + key, std::move(detail));
}

Error too_large(std::string key, std::string detail) {
  return {ErrorKind::kTooLarge, "requests.area." + key, std::move(detail)};
}

std::string at(std::size_t ring, std::size_t position) {
  return "ring " + std::to_string(ring) + ", position " + std::to_string(position);
}

bool valid_position(GeoPoint p) {
  return GeoPoint::from_lon_lat(p.lon, p.lat).ok();
}

// A ring on the grid with repeated consecutive positions and the closing repeat dropped;
// `positions` maps each vertex back to its index in the input, for error details.
struct GridRing {
  std::vector<Fixed> vertices;
  std::vector<std::size_t> positions;
};

Result<GridRing> snap_ring(const Ring& ring, std::size_t index) {
  if (ring.size() < 4) {
    return fail(area_error("ring_too_short", "ring " + std::to_string(index) + " has " +
                                                 std::to_string(ring.size()) +
                                                 " positions; a ring needs at least 4"));
  }
  for (std::size_t i = 0; i < ring.size(); ++i) {
    if (!valid_position(ring[i])) {
      return fail(area_error("bad_coordinates", at(index, i) + ": not a WGS84 position"));
    }
  }
  if (ring.front() != ring.back()) {
    return fail(area_error("ring_not_closed", at(index, ring.size() - 1) +
                                                  ": the last position must repeat the first"));
  }
  GridRing out;
  out.vertices.reserve(ring.size());
  out.positions.reserve(ring.size());
  for (std::size_t i = 0; i + 1 < ring.size(); ++i) {
    const Fixed v = to_grid(ring[i]);
    if (!out.vertices.empty() && out.vertices.back() == v) continue;
    out.vertices.push_back(v);
    out.positions.push_back(i);
  }
  if (out.vertices.size() > 1 && out.vertices.back() == out.vertices.front()) {
    out.vertices.pop_back();
    out.positions.pop_back();
  }
  if (out.vertices.size() < 3) {
    return fail(area_error("ring_too_short", "ring " + std::to_string(index) +
                                                 " has fewer than 3 distinct positions"));
  }
  return out;
}

// Two consecutive edges meet at their shared vertex by construction; they are only wrong when
// the second runs back along the first (a spike), which the pair test below skips.
Status check_spikes(const GridRing& ring, std::size_t index) {
  const std::size_t m = ring.vertices.size();
  for (std::size_t i = 0; i < m; ++i) {
    const Fixed a = ring.vertices[(i + m - 1) % m];
    const Fixed b = ring.vertices[i];
    const Fixed c = ring.vertices[(i + 1) % m];
    const Wide dot =
        static_cast<Wide>(a.x - b.x) * (c.x - b.x) + static_cast<Wide>(a.y - b.y) * (c.y - b.y);
    if (orientation(a, b, c) == 0 && dot > 0) {
      return fail(area_error("self_intersection",
                             at(index, ring.positions[i]) + ": the ring folds back on itself"));
    }
  }
  return {};
}

struct Segment {
  Fixed a;
  Fixed b;
  std::uint32_t ring;
  std::uint32_t index;  // segment i runs from vertex i to vertex i + 1 of its ring
};

struct MeetingPair {
  std::size_t first;
  std::size_t second;
};

// Finds two segments that meet although they are not neighbours on one ring. Segments are
// binned into a uniform grid of about one cell per segment (each row of a segment gets the
// columns its clipped part crosses, so a long diagonal costs O(length) cells, not O(length^2));
// two segments that meet share the cell of their meeting point, so only pairs within a cell
// are tested.
Result<std::optional<MeetingPair>> find_meeting_segments(
    const std::vector<Segment>& segments, const std::vector<std::size_t>& ring_sizes) {
  const std::size_t n = segments.size();
  std::int64_t min_x = std::numeric_limits<std::int64_t>::max();
  std::int64_t min_y = min_x;
  std::int64_t max_x = std::numeric_limits<std::int64_t>::min();
  std::int64_t max_y = max_x;
  for (const Segment& s : segments) {
    min_x = std::min({min_x, s.a.x, s.b.x});
    min_y = std::min({min_y, s.a.y, s.b.y});
    max_x = std::max({max_x, s.a.x, s.b.x});
    max_y = std::max({max_y, s.a.y, s.b.y});
  }
  const double width = static_cast<double>(max_x - min_x) + 1;
  const double height = static_cast<double>(max_y - min_y) + 1;
  const double count = static_cast<double>(n);
  const double columns = std::clamp(std::sqrt(count * width / height), 1.0, count);
  const double rows = std::clamp(count / columns, 1.0, count);
  const std::int64_t cell_w = (max_x - min_x) / static_cast<std::int64_t>(columns) + 1;
  const std::int64_t cell_h = (max_y - min_y) / static_cast<std::int64_t>(rows) + 1;
  const std::int64_t nx = (max_x - min_x) / cell_w + 1;
  const std::int64_t ny = (max_y - min_y) / cell_h + 1;

  // Calls visit(cell) for every cell the segment may pass through (a superset: the clipped
  // x-range is widened by a grid step, far more than its rounding error of ~1e-4 steps).
  auto for_each_cell = [&](const Segment& s, auto&& visit) {
    const std::int64_t lo_y = std::min(s.a.y, s.b.y);
    const std::int64_t hi_y = std::max(s.a.y, s.b.y);
    const std::int64_t first_col = (std::min(s.a.x, s.b.x) - min_x) / cell_w;
    const std::int64_t last_col = (std::max(s.a.x, s.b.x) - min_x) / cell_w;
    const std::int64_t first_row = (lo_y - min_y) / cell_h;
    const std::int64_t last_row = (hi_y - min_y) / cell_h;
    for (std::int64_t row = first_row; row <= last_row; ++row) {
      std::int64_t c0 = first_col;
      std::int64_t c1 = last_col;
      if (s.a.y != s.b.y && first_col != last_col) {
        const double band_lo = static_cast<double>(std::max(min_y + row * cell_h, lo_y));
        const double band_hi = static_cast<double>(std::min(min_y + (row + 1) * cell_h, hi_y));
        const double slope =
            static_cast<double>(s.b.x - s.a.x) / static_cast<double>(s.b.y - s.a.y);
        const double xa =
            static_cast<double>(s.a.x) + (band_lo - static_cast<double>(s.a.y)) * slope;
        const double xb =
            static_cast<double>(s.a.x) + (band_hi - static_cast<double>(s.a.y)) * slope;
        const auto column = [&](double x) {
          return static_cast<std::int64_t>(
              std::floor((x - static_cast<double>(min_x)) / static_cast<double>(cell_w)));
        };
        c0 = std::max(first_col, column(std::min(xa, xb) - kRoundingSlack));
        c1 = std::min(last_col, column(std::max(xa, xb) + kRoundingSlack));
      }
      for (std::int64_t col = c0; col <= c1; ++col) {
        visit(static_cast<std::size_t>(row * nx + col));
      }
    }
  };

  const std::size_t cells = static_cast<std::size_t>(nx * ny);
  const std::size_t max_entries = kCellEntriesPerSegment * n;
  std::vector<std::uint32_t> start(cells + 1, 0);
  std::size_t entries = 0;
  for (const Segment& s : segments) {
    for_each_cell(s, [&](std::size_t cell) {
      ++start[cell + 1];
      ++entries;
    });
    if (entries > max_entries) {
      return fail(too_large("too_complex", "too many long edges crossing each other's area"));
    }
  }
  for (std::size_t c = 0; c < cells; ++c) start[c + 1] += start[c];
  std::vector<std::uint32_t> members(entries);
  std::vector<std::uint32_t> fill(start.begin(), start.end() - 1);
  for (std::size_t i = 0; i < n; ++i) {
    for_each_cell(segments[i],
                  [&](std::size_t cell) { members[fill[cell]++] = static_cast<std::uint32_t>(i); });
  }

  auto neighbours = [&](const Segment& s, const Segment& t) {
    if (s.ring != t.ring) return false;
    const std::size_t m = ring_sizes[s.ring];
    return (s.index + 1) % m == t.index || (t.index + 1) % m == s.index;
  };
  std::size_t tests = 0;
  for (std::size_t c = 0; c < cells; ++c) {
    for (std::uint32_t i = start[c]; i < start[c + 1]; ++i) {
      const Segment& s = segments[members[i]];
      for (std::uint32_t j = i + 1; j < start[c + 1]; ++j) {
        const Segment& t = segments[members[j]];
        if (++tests > kMaxPairTests) {
          return fail(too_large("too_complex", "too many edges crowded into one place"));
        }
        // Cheap box reject before the exact test.
        if (std::max(s.a.x, s.b.x) < std::min(t.a.x, t.b.x) ||
            std::max(t.a.x, t.b.x) < std::min(s.a.x, s.b.x) ||
            std::max(s.a.y, s.b.y) < std::min(t.a.y, t.b.y) ||
            std::max(t.a.y, t.b.y) < std::min(s.a.y, s.b.y) || neighbours(s, t)) {
          continue;
        }
        if (segments_meet(s.a, s.b, t.a, t.b)) {
          return std::optional<MeetingPair>(MeetingPair{members[i], members[j]});
        }
      }
    }
  }
  return std::optional<MeetingPair>();
}

Error meeting_error(const Segment& s, const Segment& t, const std::vector<GridRing>& rings) {
  const Segment& first = s.ring <= t.ring ? s : t;
  const Segment& second = s.ring <= t.ring ? t : s;
  const std::string where = at(first.ring, rings[first.ring].positions[first.index]) + " meets " +
                            at(second.ring, rings[second.ring].positions[second.index]);
  if (first.ring == second.ring) return area_error("self_intersection", where);
  if (first.ring == 0) return area_error("hole_outside_shell", where);
  return area_error("holes_overlap", where);
}

}  // namespace

std::size_t Polygon::slab_of(std::int64_t y) const {
  const std::size_t slabs = slab_start_.size() - 1;
  const auto span = static_cast<Wide>(max_y_ - min_y_) + 1;
  return static_cast<std::size_t>(static_cast<Wide>(y - min_y_) * slabs / span);
}

Result<Polygon> Polygon::make(std::vector<Ring> rings) {
  if (rings.empty()) return fail(area_error("empty", "a polygon needs a shell"));
  if (rings.size() > std::numeric_limits<std::uint32_t>::max()) {
    return fail(too_large("too_many_vertices", "too many rings"));
  }
  std::size_t total = 0;
  for (const Ring& ring : rings) total += ring.size();
  if (total > kMaxGeometryVertices) {
    return fail(too_large("too_many_vertices", std::to_string(total) + " positions; at most " +
                                                   std::to_string(kMaxGeometryVertices)));
  }

  std::vector<GridRing> grid_rings;
  std::vector<std::size_t> ring_sizes;
  std::vector<Segment> segments;
  for (std::size_t r = 0; r < rings.size(); ++r) {
    Result<GridRing> snapped = snap_ring(rings[r], r);
    if (!snapped) return fail(snapped.error());
    if (Status spikes = check_spikes(*snapped, r); !spikes) return fail(spikes.error());
    const std::vector<Fixed>& v = snapped->vertices;
    for (std::size_t i = 0; i < v.size(); ++i) {
      segments.push_back({v[i], v[(i + 1) % v.size()], static_cast<std::uint32_t>(r),
                          static_cast<std::uint32_t>(i)});
    }
    ring_sizes.push_back(v.size());
    grid_rings.push_back(std::move(snapped).value());
  }

  Result<std::optional<MeetingPair>> meeting = find_meeting_segments(segments, ring_sizes);
  if (!meeting) return fail(meeting.error());
  if (meeting->has_value()) {
    return fail(
        meeting_error(segments[(*meeting)->first], segments[(*meeting)->second], grid_rings));
  }

  Polygon polygon;
  polygon.bounds_ = {rings[0][0].lon, rings[0][0].lat, rings[0][0].lon, rings[0][0].lat};
  for (const GeoPoint& p : rings[0]) {
    polygon.bounds_.min_lon = std::min(polygon.bounds_.min_lon, p.lon);
    polygon.bounds_.min_lat = std::min(polygon.bounds_.min_lat, p.lat);
    polygon.bounds_.max_lon = std::max(polygon.bounds_.max_lon, p.lon);
    polygon.bounds_.max_lat = std::max(polygon.bounds_.max_lat, p.lat);
  }
  // Holes lie inside the shell (checked below), so the shell alone bounds everything.
  polygon.min_x_ = polygon.max_x_ = grid_rings[0].vertices[0].x;
  polygon.min_y_ = polygon.max_y_ = grid_rings[0].vertices[0].y;
  for (const Fixed& v : grid_rings[0].vertices) {
    polygon.min_x_ = std::min(polygon.min_x_, v.x);
    polygon.min_y_ = std::min(polygon.min_y_, v.y);
    polygon.max_x_ = std::max(polygon.max_x_, v.x);
    polygon.max_y_ = std::max(polygon.max_y_, v.y);
  }

  std::vector<Edge> edges;
  for (const Segment& s : segments) {
    if (s.a.y == s.b.y) continue;
    const bool up = s.a.y < s.b.y;
    const Fixed lo = up ? s.a : s.b;
    const Fixed hi = up ? s.b : s.a;
    edges.push_back({lo.x, lo.y, hi.x, hi.y, s.ring});
  }
  for (const Edge& e : edges) {
    if (e.y0 < polygon.min_y_ || e.y1 > polygon.max_y_) {
      // A hole reaching beyond the shell's latitudes; the slabs only cover the shell's.
      return fail(area_error("hole_outside_shell",
                             "ring " + std::to_string(e.ring) + " reaches outside the shell"));
    }
  }
  // About kEdgesPerSlab edges per slab, unless many edges span the same latitudes (a comb):
  // then fewer, taller slabs keep memory bounded and lookups merely slow down.
  const std::size_t max_entries = kCellEntriesPerSegment * segments.size();
  std::size_t slabs = std::max<std::size_t>(1, edges.size() / kEdgesPerSlab);
  std::size_t entries = 0;
  for (;;) {
    polygon.slab_start_.assign(slabs + 1, 0);
    entries = 0;
    // An edge serves queries with y0 <= y < y1 (the half-open rule), so its last slab is the
    // one holding y1 - 1.
    for (const Edge& e : edges) {
      entries += polygon.slab_of(e.y1 - 1) - polygon.slab_of(e.y0) + 1;
    }
    if (entries <= max_entries || slabs == 1) break;
    slabs = std::max<std::size_t>(1, slabs / 4);
  }
  for (const Edge& e : edges) {
    for (std::size_t s = polygon.slab_of(e.y0); s <= polygon.slab_of(e.y1 - 1); ++s) {
      ++polygon.slab_start_[s + 1];
    }
  }
  for (std::size_t s = 0; s < slabs; ++s) polygon.slab_start_[s + 1] += polygon.slab_start_[s];
  polygon.slab_edges_.resize(entries);
  std::vector<std::uint32_t> fill(polygon.slab_start_.begin(), polygon.slab_start_.end() - 1);
  for (const Edge& e : edges) {
    for (std::size_t s = polygon.slab_of(e.y0); s <= polygon.slab_of(e.y1 - 1); ++s) {
      polygon.slab_edges_[fill[s]++] = e;
    }
  }

  // No two rings meet, so each hole lies wholly inside or wholly outside the shell and every
  // other hole; one vertex decides. Crossings are counted per ring along the same slabs.
  if (grid_rings.size() > 1) {
    std::vector<std::uint8_t> parity(grid_rings.size(), 0);
    std::vector<std::uint32_t> crossed;  // rings whose parity this probe touched
    std::size_t work = 0;
    for (std::size_t r = 1; r < grid_rings.size(); ++r) {
      const Fixed p = grid_rings[r].vertices[0];
      const std::size_t s = polygon.slab_of(p.y);
      for (std::uint32_t i = polygon.slab_start_[s]; i < polygon.slab_start_[s + 1]; ++i) {
        const Edge& e = polygon.slab_edges_[i];
        if (e.y0 <= p.y && p.y < e.y1 && orientation({e.x0, e.y0}, {e.x1, e.y1}, p) > 0) {
          if (parity[e.ring] == 0 && e.ring != 0) crossed.push_back(e.ring);
          parity[e.ring] ^= 1;
        }
      }
      work += polygon.slab_start_[s + 1] - polygon.slab_start_[s] + crossed.size();
      if (work > kMaxPairTests) return fail(too_large("too_complex", "too many holes"));
      const std::string where = at(r, grid_rings[r].positions[0]);
      if (parity[0] == 0) return fail(area_error("hole_outside_shell", where));
      for (std::uint32_t other : crossed) {
        // A probe on ring r itself says nothing about r: skip its own parity.
        if (other != r && parity[other] != 0) {
          return fail(
              area_error("holes_overlap", where + " lies inside ring " + std::to_string(other)));
        }
      }
      parity[0] = 0;
      for (std::uint32_t other : crossed) parity[other] = 0;
      crossed.clear();
    }
  }
  polygon.rings_ = std::move(rings);
  return polygon;
}

bool Polygon::contains(GeoPoint point) const {
  const Fixed p = to_grid(point);
  if (p.x < min_x_ || p.x > max_x_ || p.y < min_y_ || p.y > max_y_) return false;
  const std::size_t s = slab_of(p.y);
  bool inside = false;
  for (std::uint32_t i = slab_start_[s]; i < slab_start_[s + 1]; ++i) {
    const Edge& e = slab_edges_[i];
    // Half-open in y: a vertex on the ray's line counts for the edge leaving it upwards only,
    // so it is counted once, and a point on an edge is never counted by that edge; even-odd
    // over every ring at once makes holes subtract.
    if (p.y < e.y0 || p.y >= e.y1) continue;
    if (e.x0 < p.x && e.x1 < p.x) continue;
    if ((e.x0 > p.x && e.x1 > p.x) || orientation({e.x0, e.y0}, {e.x1, e.y1}, p) > 0) {
      inside = !inside;
    }
  }
  return inside;
}

MultiPolygon::MultiPolygon(std::vector<Polygon> parts) : parts_(std::move(parts)) {
  if (parts_.empty()) return;
  bounds_ = parts_.front().bounds();
  for (const Polygon& part : parts_) {
    bounds_.min_lon = std::min(bounds_.min_lon, part.bounds().min_lon);
    bounds_.min_lat = std::min(bounds_.min_lat, part.bounds().min_lat);
    bounds_.max_lon = std::max(bounds_.max_lon, part.bounds().max_lon);
    bounds_.max_lat = std::max(bounds_.max_lat, part.bounds().max_lat);
  }
}

bool MultiPolygon::contains(GeoPoint p) const {
  return std::any_of(parts_.begin(), parts_.end(),
                     [&](const Polygon& part) { return part.contains(p); });
}

namespace {

std::string in_polygon(std::size_t polygon) {
  return "polygon " + std::to_string(polygon) + ", ";
}

// RFC 7946 3.1.1: longitude, latitude and an optional altitude, which routing ignores.
// Returns why the position is unusable, or nullptr; the caller names where.
const char* read_position(const json::value& value, GeoPoint& out) {
  const json::array* position = value.if_array();
  if (position == nullptr || position->size() < 2 || position->size() > 3 ||
      !std::all_of(position->begin(), position->end(),
                   [](const json::value& v) { return v.is_number(); })) {
    return "a position is [longitude, latitude]";
  }
  out = {(*position)[0].to_number<double>(), (*position)[1].to_number<double>()};
  return valid_position(out) ? nullptr : "outside WGS84 longitude/latitude";
}

// `budget` is the number of positions still allowed in this geometry; checked before reading
// so a huge array is refused without building anything from it.
Result<Polygon> parse_polygon(const json::value& value, std::size_t index, std::size_t& budget) {
  const json::array* rings = value.if_array();
  if (rings == nullptr) {
    return fail(area_error("bad_coordinates", in_polygon(index) + "not an array of rings"));
  }
  std::vector<Ring> parsed;
  parsed.reserve(rings->size());
  for (std::size_t r = 0; r < rings->size(); ++r) {
    const json::array* positions = (*rings)[r].if_array();
    if (positions == nullptr) {
      return fail(area_error("bad_coordinates", in_polygon(index) + "ring " + std::to_string(r) +
                                                    " is not an array of positions"));
    }
    if (positions->size() > budget) {
      return fail(too_large("too_many_vertices", in_polygon(index) + "ring " + std::to_string(r) +
                                                     ": more than " +
                                                     std::to_string(kMaxGeometryVertices) +
                                                     " positions in the geometry"));
    }
    budget -= positions->size();
    Ring ring;
    ring.reserve(positions->size());
    for (std::size_t i = 0; i < positions->size(); ++i) {
      GeoPoint point;
      if (const char* why = read_position((*positions)[i], point)) {
        return fail(area_error("bad_coordinates", in_polygon(index) + at(r, i) + ": " + why));
      }
      ring.push_back(point);
    }
    parsed.push_back(std::move(ring));
  }
  Result<Polygon> polygon = Polygon::make(std::move(parsed));
  if (!polygon) {
    Error error = polygon.error();
    error.detail = in_polygon(index) + error.detail;
    return fail(std::move(error));
  }
  return polygon;
}

}  // namespace

Result<MultiPolygon> parse_geojson_geometry(const json::value& geometry) {
  const json::object* object = geometry.if_object();
  const json::value* type = object ? object->if_contains("type") : nullptr;
  const json::value* coordinates = object ? object->if_contains("coordinates") : nullptr;
  if (type == nullptr || !type->is_string() || coordinates == nullptr) {
    return fail(area_error("unsupported_geometry", "needs a type and coordinates"));
  }
  std::size_t budget = kMaxGeometryVertices;
  std::vector<Polygon> parts;
  if (type->as_string() == "Polygon") {
    Result<Polygon> polygon = parse_polygon(*coordinates, 0, budget);
    if (!polygon) return fail(polygon.error());
    parts.push_back(std::move(polygon).value());
  } else if (type->as_string() == "MultiPolygon") {
    const json::array* polygons = coordinates->if_array();
    if (polygons == nullptr) {
      return fail(area_error("bad_coordinates", "not an array of polygons"));
    }
    for (std::size_t i = 0; i < polygons->size(); ++i) {
      Result<Polygon> polygon = parse_polygon((*polygons)[i], i, budget);
      if (!polygon) return fail(polygon.error());
      parts.push_back(std::move(polygon).value());
    }
  } else {
    return fail(
        area_error("unsupported_geometry", "type " + std::string(type->as_string()) +
                                               "; only Polygon and MultiPolygon bound an area"));
  }
  if (parts.empty()) return fail(area_error("empty", "a MultiPolygon with no polygons"));
  return MultiPolygon(std::move(parts));
}

Result<MultiPolygon> parse_geojson_geometry(std::string_view geometry_json) {
  boost::system::error_code ec;
  const json::value geometry = json::parse(geometry_json, ec);
  if (ec) return fail(area_error("invalid_json", ec.message()));
  return parse_geojson_geometry(geometry);
}

}  // namespace zocalo::requests
