// Argon2id with the production parameters (identity::Argon2idParams::production(): t=3,
// 64 MiB): how many password checks per second this machine can do at all. A password sign-in
// is one PasswordHasher::verify of the stored hash, so this is the physical limit of sign-ins/s
// that bench/identity's sign-in storm is measured against (issue 3: >= 85% of it over HTTP).
// Real time, not CPU time: with two threads the rate is what the two cores deliver together.
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <string>

#include "identity/model/password_hasher.hpp"

namespace {

using zocalo::identity::Argon2idParams;
using zocalo::identity::PasswordHasher;

constexpr const char* kPassword = "Llave-Demo-2026";

// One stored hash, as an account row holds it; made once, before the threads start.
const std::string& stored_hash() {
  static const std::string encoded = [] {
    const PasswordHasher hasher(Argon2idParams::production());
    auto made = hasher.hash(kPassword);
    if (!made) std::abort();
    return std::move(made).value();
  }();
  return encoded;
}

void BM_Argon2idVerify(benchmark::State& state) {
  const PasswordHasher hasher(Argon2idParams::production());
  const std::string& encoded = stored_hash();
  for (auto _ : state) {
    if (!hasher.verify(encoded, kPassword)) {
      state.SkipWithError("verify rejected the right password");
      break;
    }
  }
  state.SetItemsProcessed(state.iterations());
}
// 80+ ms per hash: a fixed minimum time of its own keeps the sample meaningful even when the
// other benchmarks run with a short --benchmark_min_time.
BENCHMARK(BM_Argon2idVerify)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->MinTime(3.0)
    ->Threads(1)
    ->Threads(2);

}  // namespace
