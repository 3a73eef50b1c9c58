#pragma once
// Routes for the people who run zocalo: liveness, readiness, Prometheus metrics, and a small
// JSON status document (also the benchmark's "small JSON route").
#include <atomic>

#include "platform/db/database.hpp"
#include "platform/http/router.hpp"

namespace zocalo::app {

struct OpsState {
  db::Database* database = nullptr;
  std::atomic<bool> draining{false};  // set at SIGTERM: readiness fails so balancers move away
  int expected_schema_version = 0;
};

void register_ops_routes(http::Router& router, OpsState& state);

}  // namespace zocalo::app
