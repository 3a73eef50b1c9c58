// Staff search over accounts (AccountStore::search) at scale, straight against a database file:
// the store-level half of issue 3's "admin search p99 < 50 ms with 1,000,000 accounts" (the
// HTTP half, GET /admin/cuentas?q=, is bench/identity/run). Registered only when
// ZOCALO_BENCH_ACCOUNTS_DB names a SQLite database filled by bench/identity/gen_accounts.py,
// so the everyday micro-benchmark run does not need one.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "identity/store/account_store.hpp"
#include "platform/db/database.hpp"

namespace {

using zocalo::identity::AccountStore;

// What an official types: CURP starts, e-mail starts, phone starts, name starts (with and
// without accents, one and two words). Kept in step with bench/identity/run's prefixes.
constexpr std::array<std::string_view, 16> kPrefixes = {
    "HEGA",   "GOMA8",  "MAL",    "SAPR9",     "RORJ0",     "+5255123", "5255987", "maria.her",
    "jose.g", "ana.lu", "ana lu", "ricardo m", "guadalupe", "xóchitl",  "Raúl",    "sofía v"};

zocalo::db::Database* accounts_db() {
  static std::unique_ptr<zocalo::db::Database> db = [] {
    std::unique_ptr<zocalo::db::Database> out;
    const char* path = std::getenv("ZOCALO_BENCH_ACCOUNTS_DB");
    auto opened = zocalo::db::Database::open(
        {.url = std::string("sqlite:") + path, .pool_size = 2, .sqlite_synchronous_full = false});
    if (opened) out = std::move(opened).value();
    return out;
  }();
  return db.get();
}

void BM_AccountSearch(benchmark::State& state) {
  auto* db = accounts_db();
  if (db == nullptr) {
    state.SkipWithError("cannot open ZOCALO_BENCH_ACCOUNTS_DB");
    return;
  }
  AccountStore store(*db);
  std::vector<double> ms;
  std::size_t next = 0;
  long long found = 0;
  for (auto _ : state) {
    const auto t0 = std::chrono::steady_clock::now();
    auto hits = store.search(kPrefixes[next++ % kPrefixes.size()], 50);
    ms.push_back(
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
    if (!hits) {
      state.SkipWithError("search failed");
      break;
    }
    found += static_cast<long long>(hits->size());
  }
  if (ms.empty()) return;
  std::sort(ms.begin(), ms.end());
  const auto at = [&](double q) {
    return ms[std::min(ms.size() - 1,
                       static_cast<std::size_t>(q * static_cast<double>(ms.size())))];
  };
  state.SetItemsProcessed(state.iterations());
  state.counters["p50_ms"] = at(0.50);
  state.counters["p99_ms"] = at(0.99);
  state.counters["hits_per_search"] = static_cast<double>(found) / static_cast<double>(ms.size());
}

// Registered at start-up, before benchmark_main parses the flags, only when a database is given.
[[maybe_unused]] const bool registered = [] {
  if (std::getenv("ZOCALO_BENCH_ACCOUNTS_DB") == nullptr) return false;
  benchmark::RegisterBenchmark("BM_AccountSearch", BM_AccountSearch)
      ->Unit(benchmark::kMillisecond)
      ->UseRealTime()
      ->MinTime(2.0);
  return true;
}();

}  // namespace
