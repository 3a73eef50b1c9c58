#include "db_fixture.hpp"

#include <unistd.h>

#include <atomic>
#include <cctype>
#include <cstdlib>
#include <stdexcept>

#include "platform/core/crypto.hpp"

namespace zocalo::testing {
namespace {

std::string env(const char* name) {
  const char* v = std::getenv(name);
  return v ? v : "";
}

// postgresql://user@host:port/db?x  ->  same URL with `dbname` as the database.
std::string with_database(const std::string& url, const std::string& dbname) {
  const auto authority = url.find("://");
  if (authority == std::string::npos) throw std::runtime_error("not a URL: " + url);
  const auto slash = url.find('/', authority + 3);
  const auto query = url.find('?', authority + 3);
  const std::string head = url.substr(0, std::min(slash, query));
  const std::string tail = query == std::string::npos ? "" : url.substr(query);
  return head + "/" + dbname + tail;
}

bool plain_identifier(const std::string& s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (!std::islower(static_cast<unsigned char>(c)) &&
        !std::isdigit(static_cast<unsigned char>(c)) && c != '_') {
      return false;
    }
  }
  return true;
}

void admin_exec(const std::string& admin_url, const std::string& statement) {
  auto db = db::Database::open({.url = admin_url, .pool_size = 1});
  if (!db) throw std::runtime_error("cannot reach " + admin_url + ": " + db.error().detail);
  (*db)->with_session([&](soci::session& sql) { sql << statement; });
}

}  // namespace

std::string backend_name(const ::testing::TestParamInfo<Backend>& info) {
  return info.param == Backend::kPostgres ? "Postgres" : "Sqlite";
}

void PrintTo(Backend backend, std::ostream* os) {
  *os << (backend == Backend::kPostgres ? "Postgres" : "Sqlite");
}

std::unique_ptr<ScratchDatabase> ScratchDatabase::create(Backend backend, std::string& why) {
  std::unique_ptr<ScratchDatabase> s(new ScratchDatabase());
  if (backend == Backend::kSqlite) {
    s->dir_ = std::make_unique<TempDir>();
    s->url_ = "sqlite:" + (s->dir_->path() / "zocalo.db").string();
    return s;
  }
  const std::string url = env("ZOCALO_TEST_POSTGRES_URL");
  if (url.empty()) {
    why = "ZOCALO_TEST_POSTGRES_URL is not set (run under tests/harness/with-postgres)";
    return nullptr;
  }
  s->pg_admin_url_ = env("ZOCALO_TEST_POSTGRES_ADMIN_URL");
  if (s->pg_admin_url_.empty()) s->pg_admin_url_ = with_database(url, "postgres");
  std::string templ = env("ZOCALO_TEST_POSTGRES_TEMPLATE");
  if (!templ.empty() && !plain_identifier(templ)) {
    throw std::runtime_error("ZOCALO_TEST_POSTGRES_TEMPLATE must be a plain lower-case name");
  }
  static std::atomic<int> counter{0};
  // Unique across the test processes CTest runs in parallel: pid, a counter, random bits.
  s->pg_name_ = "zt_" + std::to_string(getpid()) + "_" + std::to_string(++counter) + "_" +
                crypto::hex_encode(crypto::random_bytes(4));
  admin_exec(s->pg_admin_url_,
             "CREATE DATABASE " + s->pg_name_ + (templ.empty() ? "" : " TEMPLATE " + templ));
  s->url_ = with_database(url, s->pg_name_);
  return s;
}

ScratchDatabase::~ScratchDatabase() {
  if (pg_name_.empty()) return;
  try {
    admin_exec(pg_admin_url_, "DROP DATABASE IF EXISTS " + pg_name_ + " WITH (FORCE)");
  } catch (const std::exception& e) {
    ADD_FAILURE() << "could not drop test database " << pg_name_ << ": " << e.what();
  }
}

void DbTest::SetUp() {
  std::string why;
  scratch_ = ScratchDatabase::create(GetParam(), why);
  if (!scratch_) {
    if (env("ZOCALO_REQUIRE_POSTGRES") == "1") GTEST_FAIL() << why;
    GTEST_SKIP() << why;
  }
  auto opened = db::Database::open({.url = scratch_->url(), .pool_size = 4});
  ASSERT_TRUE(opened.ok()) << opened.error().detail;
  db_ = std::move(*opened);
  const Status migrated = db_->migrate();
  ASSERT_TRUE(migrated.ok()) << migrated.error().detail;
}

void DbTest::TearDown() {
  db_.reset();  // close the pool before the database is dropped
  scratch_.reset();
}

std::unique_ptr<db::Database> DbTest::open_another(std::size_t pool_size) {
  auto opened = db::Database::open({.url = scratch_->url(), .pool_size = pool_size});
  if (!opened) throw std::runtime_error("open_another: " + opened.error().detail);
  return std::move(*opened);
}

}  // namespace zocalo::testing
