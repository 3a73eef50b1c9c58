#include "platform/jobs/backoff.hpp"

#include <algorithm>
#include <cmath>

namespace zocalo::jobs {

std::int64_t retry_delay_seconds(int attempts, std::chrono::seconds base, std::chrono::seconds cap,
                                 double unit_random) {
  const int exponent = std::clamp(attempts - 1, 0, 40);  // 2^40 s is far past any cap
  const double full = std::min(static_cast<double>(base.count()) * std::ldexp(1.0, exponent),
                               static_cast<double>(cap.count()));
  const double half = full / 2;
  const double r = std::clamp(unit_random, 0.0, 1.0);
  return std::max<std::int64_t>(1, static_cast<std::int64_t>(std::llround(half + half * r)));
}

}  // namespace zocalo::jobs
