#pragma once
#include <chrono>
#include <cstdint>

namespace zocalo::jobs {

// Seconds to wait before retrying after the `attempts`-th failed attempt: base * 2^(attempts-1),
// capped, then "equal jitter" (a uniform pick in [delay/2, delay]) so that jobs failing together
// (an SMTP outage) do not all retry in the same second. `unit_random` is in [0, 1).
std::int64_t retry_delay_seconds(int attempts, std::chrono::seconds base, std::chrono::seconds cap,
                                 double unit_random);

}  // namespace zocalo::jobs
