#pragma once
#include "app/config.hpp"

namespace zocalo::app {

inline constexpr const char* kVersion = "0.1.0";

// Each returns the process exit code.
int serve(const Config& config);
int run_worker(const Config& config);
int migrate(const Config& config);

}  // namespace zocalo::app
