#pragma once
// Store tests run the same body on both databases (STYLE.md, "Tests"):
//
//   class InboxTest : public zocalo::testing::DbTest {};
//   TEST_P(InboxTest, UnreadCountDropsWhenRead) { ... db() ... }
//   ZOCALO_INSTANTIATE_DB_TEST(InboxTest);
//
// Each test gets a fresh, migrated database: a temporary SQLite file, or a new PostgreSQL
// database cloned from ZOCALO_TEST_POSTGRES_TEMPLATE (tests/harness/with-postgres sets it up)
// and dropped afterwards. Without ZOCALO_TEST_POSTGRES_URL the PostgreSQL instances are skipped,
// or fail when ZOCALO_REQUIRE_POSTGRES=1 (CI must not pass by skipping).
#include <gtest/gtest.h>

#include <memory>
#include <optional>
#include <string>

#include "platform/db/database.hpp"
#include "temp_dir.hpp"

namespace zocalo::testing {

enum class Backend { kSqlite, kPostgres };

// "Sqlite" / "Postgres": the suffix of every parameterised test name.
std::string backend_name(const ::testing::TestParamInfo<Backend>& info);
// So failure messages read "GetParam() = Postgres".
void PrintTo(Backend backend, std::ostream* os);

// A fresh empty database, removed in the destructor.
class ScratchDatabase {
 public:
  // nullopt with `why` set when the backend is not configured (PostgreSQL without the env).
  static std::unique_ptr<ScratchDatabase> create(Backend backend, std::string& why);
  ~ScratchDatabase();
  ScratchDatabase(const ScratchDatabase&) = delete;
  ScratchDatabase& operator=(const ScratchDatabase&) = delete;

  const std::string& url() const { return url_; }

 private:
  ScratchDatabase() = default;
  std::string url_;
  std::string pg_admin_url_;
  std::string pg_name_;
  std::unique_ptr<TempDir> dir_;
};

class DbTest : public ::testing::TestWithParam<Backend> {
 protected:
  // Creates and migrates the database; skips or fails as described above. Fixtures that
  // override SetUp call this first and return when IsSkipped() || HasFatalFailure().
  void SetUp() override;
  void TearDown() override;

  db::Database& db() { return *db_; }
  const std::string& url() const { return scratch_->url(); }
  bool postgres() const { return GetParam() == Backend::kPostgres; }
  // Another pool on the same data: a second node of a cluster.
  std::unique_ptr<db::Database> open_another(std::size_t pool_size = 4);

 private:
  std::unique_ptr<ScratchDatabase> scratch_;
  std::unique_ptr<db::Database> db_;
};

}  // namespace zocalo::testing

#define ZOCALO_INSTANTIATE_DB_TEST(suite)                                            \
  INSTANTIATE_TEST_SUITE_P(Db, suite,                                                \
                           ::testing::Values(::zocalo::testing::Backend::kSqlite,    \
                                             ::zocalo::testing::Backend::kPostgres), \
                           ::zocalo::testing::backend_name)
