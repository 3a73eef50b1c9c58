#pragma once
// Prometheus metrics (text exposition format 0.0.4): request counts and latency histograms
// per route, plus gauges read at scrape time (job queue depth, connections).
#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <vector>

namespace zocalo::metrics {

class Registry {
 public:
  static Registry& global();

  // One finished HTTP request. `route` is the route pattern (never the raw path, so the label
  // set stays bounded).
  void observe_request(std::string_view route, std::string_view method, int status, double seconds);
  // A counter with a fixed label set, e.g. ("zocalo_jobs_done_total", "kind=\"email\"").
  void add(std::string_view name, std::string_view help, std::string_view labels, double n = 1);
  // A gauge whose value is read when /metrics is scraped.
  void gauge(std::string name, std::string help, std::function<double()> read);

  std::string render() const;

 private:
  struct RouteStats;
  struct Counter {
    std::string help;
    std::map<std::string, double> by_labels;
  };
  struct Gauge {
    std::string name, help;
    std::function<double()> read;
  };
  mutable std::shared_mutex routes_mu_;
  std::map<std::string, std::unique_ptr<RouteStats>, std::less<>> routes_;
  mutable std::mutex mu_;
  std::map<std::string, Counter, std::less<>> counters_;
  std::vector<Gauge> gauges_;
};

}  // namespace zocalo::metrics
