#include "platform/core/metrics.hpp"

#include <array>
#include <cstdio>

namespace zocalo::metrics {
namespace {

constexpr std::array<double, 12> kBuckets = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                             0.1,   0.25,   0.5,   1.0,  2.5,   5.0};
constexpr int kStatusClasses = 5;  // 1xx..5xx

std::string format_double(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.9g", v);
  return buf;
}

}  // namespace

struct Registry::RouteStats {
  std::string route, method;
  std::array<std::atomic<std::uint64_t>, kStatusClasses> by_status{};
  std::array<std::atomic<std::uint64_t>, kBuckets.size()> buckets{};
  std::atomic<std::uint64_t> count{0};
  std::atomic<std::uint64_t> sum_micros{0};
};

Registry& Registry::global() {
  static Registry r;
  return r;
}

void Registry::observe_request(std::string_view route, std::string_view method, int status,
                               double seconds) {
  std::string key;
  key.reserve(route.size() + method.size() + 1);
  key.append(method).push_back(' ');
  key.append(route);
  RouteStats* stats = nullptr;
  {
    std::shared_lock lock(routes_mu_);
    if (auto it = routes_.find(key); it != routes_.end()) stats = it->second.get();
  }
  if (!stats) {
    std::unique_lock lock(routes_mu_);
    auto& slot = routes_[key];
    if (!slot) {
      slot = std::make_unique<RouteStats>();
      slot->route = std::string(route);
      slot->method = std::string(method);
    }
    stats = slot.get();
  }
  const int cls = status / 100 - 1;
  if (cls >= 0 && cls < kStatusClasses)
    stats->by_status[cls].fetch_add(1, std::memory_order_relaxed);
  for (std::size_t i = 0; i < kBuckets.size(); ++i) {
    if (seconds <= kBuckets[i]) {
      stats->buckets[i].fetch_add(1, std::memory_order_relaxed);
      break;
    }
  }
  stats->count.fetch_add(1, std::memory_order_relaxed);
  stats->sum_micros.fetch_add(static_cast<std::uint64_t>(seconds * 1e6), std::memory_order_relaxed);
}

void Registry::add(std::string_view name, std::string_view help, std::string_view labels,
                   double n) {
  std::lock_guard lock(mu_);
  auto it = counters_.find(name);
  if (it == counters_.end())
    it = counters_.emplace(std::string(name), Counter{std::string(help), {}}).first;
  it->second.by_labels[std::string(labels)] += n;
}

void Registry::gauge(std::string name, std::string help, std::function<double()> read) {
  std::lock_guard lock(mu_);
  for (auto& g : gauges_) {
    if (g.name == name) {
      g.read = std::move(read);
      return;
    }
  }
  gauges_.push_back({std::move(name), std::move(help), std::move(read)});
}

std::string Registry::render() const {
  std::string out;
  out +=
      "# HELP zocalo_http_requests_total HTTP requests answered, by route, method and status "
      "class.\n";
  out += "# TYPE zocalo_http_requests_total counter\n";
  std::string hist;
  hist +=
      "# HELP zocalo_http_request_duration_seconds Time from request parsed to response ready.\n";
  hist += "# TYPE zocalo_http_request_duration_seconds histogram\n";
  {
    std::shared_lock lock(routes_mu_);
    for (const auto& [key, s] : routes_) {
      const std::string labels = "route=\"" + s->route + "\",method=\"" + s->method + "\"";
      for (int c = 0; c < kStatusClasses; ++c) {
        const auto n = s->by_status[c].load(std::memory_order_relaxed);
        if (n == 0) continue;
        out += "zocalo_http_requests_total{" + labels + ",status=\"" + std::to_string(c + 1) +
               "xx\"} " + std::to_string(n) + "\n";
      }
      std::uint64_t cumulative = 0;
      for (std::size_t i = 0; i < kBuckets.size(); ++i) {
        cumulative += s->buckets[i].load(std::memory_order_relaxed);
        hist += "zocalo_http_request_duration_seconds_bucket{" + labels + ",le=\"" +
                format_double(kBuckets[i]) + "\"} " + std::to_string(cumulative) + "\n";
      }
      const auto count = s->count.load(std::memory_order_relaxed);
      hist += "zocalo_http_request_duration_seconds_bucket{" + labels + ",le=\"+Inf\"} " +
              std::to_string(count) + "\n";
      hist +=
          "zocalo_http_request_duration_seconds_sum{" + labels + "} " +
          format_double(static_cast<double>(s->sum_micros.load(std::memory_order_relaxed)) / 1e6) +
          "\n";
      hist += "zocalo_http_request_duration_seconds_count{" + labels + "} " +
              std::to_string(count) + "\n";
    }
  }
  out += hist;
  std::vector<Gauge> gauges;
  {
    std::lock_guard lock(mu_);
    for (const auto& [name, c] : counters_) {
      out += "# HELP " + name + " " + c.help + "\n# TYPE " + name + " counter\n";
      for (const auto& [labels, v] : c.by_labels) {
        out += name + (labels.empty() ? "" : "{" + labels + "}") + " " + format_double(v) + "\n";
      }
    }
    gauges = gauges_;
  }
  // Gauges are read outside the lock: a reader may query the database.
  for (const auto& g : gauges) {
    out += "# HELP " + g.name + " " + g.help + "\n# TYPE " + g.name + " gauge\n";
    out += g.name + " " + format_double(g.read()) + "\n";
  }
  return out;
}

}  // namespace zocalo::metrics
