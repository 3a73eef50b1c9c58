#include "requests/model/stats_map.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numbers>
#include <utility>

namespace zocalo::requests {

MapProjection::MapProjection(GeoBox box, double width) : box_(box), width_(width) {
  const double k = std::cos(kMapLatitudeDegrees * std::numbers::pi / 180.0);
  const double span = std::max(1e-9, (box.max_lon - box.min_lon) * k);
  scale_ = width / span;
  height_ = (box.max_lat - box.min_lat) * scale_;
}

SvgPoint MapProjection::project(GeoPoint p) const {
  const double k = std::cos(kMapLatitudeDegrees * std::numbers::pi / 180.0);
  return {(p.lon - box_.min_lon) * k * scale_, (box_.max_lat - p.lat) * scale_};
}

namespace {

double distance_to_segment(SvgPoint p, SvgPoint a, SvgPoint b) {
  const double dx = b.x - a.x;
  const double dy = b.y - a.y;
  const double len2 = dx * dx + dy * dy;
  double t = len2 == 0 ? 0 : ((p.x - a.x) * dx + (p.y - a.y) * dy) / len2;
  t = std::clamp(t, 0.0, 1.0);
  const double cx = a.x + t * dx - p.x;
  const double cy = a.y + t * dy - p.y;
  return std::sqrt(cx * cx + cy * cy);
}

}  // namespace

std::vector<SvgPoint> simplify(const std::vector<SvgPoint>& line, double tolerance) {
  if (line.size() < 3) return line;
  std::vector<bool> keep(line.size(), false);
  keep.front() = true;
  keep.back() = true;
  std::vector<std::pair<std::size_t, std::size_t>> stack{{0, line.size() - 1}};
  while (!stack.empty()) {
    const auto [first, last] = stack.back();
    stack.pop_back();
    double worst = -1;
    std::size_t at = first;
    for (std::size_t i = first + 1; i < last; ++i) {
      const double d = distance_to_segment(line[i], line[first], line[last]);
      if (d > worst) {
        worst = d;
        at = i;
      }
    }
    if (at != first && worst > tolerance) {
      keep[at] = true;
      stack.emplace_back(first, at);
      stack.emplace_back(at, last);
    }
  }
  std::vector<SvgPoint> out;
  for (std::size_t i = 0; i < line.size(); ++i) {
    if (keep[i]) out.push_back(line[i]);
  }
  return out;
}

namespace {

void append_ring(std::string& out, const Ring& ring, const MapProjection& projection,
                 double tolerance) {
  std::vector<SvgPoint> projected;
  projected.reserve(ring.size());
  for (const GeoPoint& p : ring) projected.push_back(projection.project(p));
  // A closed ring: first == last, so Douglas-Peucker would measure from a zero-length
  // segment. Split at the point farthest from the start and simplify both halves.
  std::size_t far = 0;
  double best = -1;
  for (std::size_t i = 0; i < projected.size(); ++i) {
    const double dx = projected[i].x - projected[0].x;
    const double dy = projected[i].y - projected[0].y;
    if (dx * dx + dy * dy > best) {
      best = dx * dx + dy * dy;
      far = i;
    }
  }
  std::vector<SvgPoint> a(projected.begin(),
                          projected.begin() + static_cast<std::ptrdiff_t>(far) + 1);
  std::vector<SvgPoint> b(projected.begin() + static_cast<std::ptrdiff_t>(far), projected.end());
  std::vector<SvgPoint> kept = simplify(a, tolerance);
  const std::vector<SvgPoint> rest = simplify(b, tolerance);
  kept.insert(kept.end(), rest.begin() + (rest.empty() ? 0 : 1), rest.end());
  if (kept.size() >= 2 && kept.front().x == kept.back().x && kept.front().y == kept.back().y) {
    kept.pop_back();  // Z closes it
  }
  if (kept.size() < 3) return;
  char buf[48];
  for (std::size_t i = 0; i < kept.size(); ++i) {
    std::snprintf(buf, sizeof buf, "%s%.1f %.1f", i == 0 ? "M" : "L", kept[i].x, kept[i].y);
    out += buf;
  }
  out += 'Z';
}

}  // namespace

std::string svg_path(const MultiPolygon& shape, const MapProjection& projection, double tolerance) {
  std::string out;
  for (const Polygon& part : shape.parts()) {
    append_ring(out, part.shell(), projection, tolerance);
    for (const Ring& hole : part.holes()) append_ring(out, hole, projection, tolerance);
  }
  return out;
}

}  // namespace zocalo::requests
