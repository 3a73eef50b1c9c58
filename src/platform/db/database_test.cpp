#include "platform/db/database.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <future>
#include <string>
#include <thread>
#include <vector>

#include "db_fixture.hpp"
#include "platform/db/connection_url.hpp"
#include "platform/db/migrations.hpp"
#include "platform/db/sql_script.hpp"

namespace zocalo::db {
namespace {

using testing::DbTest;

// ---- URL parsing (no database) ----

TEST(ConnectionUrlTest, SqliteFormsKeepThePath) {
  auto rel = parse_connection_url("sqlite:var/zocalo.db");
  ASSERT_TRUE(rel.ok());
  EXPECT_EQ(rel->dialect, Dialect::kSqlite);
  EXPECT_EQ(rel->sqlite_path, "var/zocalo.db");
  auto abs = parse_connection_url("sqlite:///srv/zocalo/zocalo.db");
  ASSERT_TRUE(abs.ok());
  EXPECT_EQ(abs->sqlite_path, "/srv/zocalo/zocalo.db");
}

TEST(ConnectionUrlTest, PostgresUrlBecomesConninfoAndIsRedacted) {
  auto u = parse_connection_url("postgresql://city:s3cr'et@db.local:5433/zocalo?sslmode=disable");
  ASSERT_TRUE(u.ok()) << u.error().detail;
  EXPECT_EQ(u->dialect, Dialect::kPostgres);
  EXPECT_NE(u->pg_conninfo.find("host='db.local'"), std::string::npos) << u->pg_conninfo;
  EXPECT_NE(u->pg_conninfo.find("port='5433'"), std::string::npos);
  EXPECT_NE(u->pg_conninfo.find("dbname='zocalo'"), std::string::npos);
  EXPECT_NE(u->pg_conninfo.find("password='s3cr\\'et'"), std::string::npos);
  EXPECT_NE(u->pg_conninfo.find("sslmode='disable'"), std::string::npos);
  EXPECT_EQ(u->redacted, "postgresql://city:***@db.local:5433/zocalo?sslmode=disable");
}

TEST(ConnectionUrlTest, PasswordInQueryIsRedacted) {
  auto u = parse_connection_url("postgres://db/zocalo?user=a&password=hunter2&sslmode=require");
  ASSERT_TRUE(u.ok());
  EXPECT_EQ(u->redacted, "postgres://db/zocalo?user=a&password=***&sslmode=require");
}

TEST(ConnectionUrlTest, UnknownSchemeAndEmptyPathAreRejected) {
  EXPECT_EQ(parse_connection_url("mysql://db/x").error().kind, ErrorKind::kInvalidInput);
  EXPECT_EQ(parse_connection_url("sqlite:").error().kind, ErrorKind::kInvalidInput);
  EXPECT_EQ(parse_connection_url("postgresql://db/x?no_such_option=1").error().kind,
            ErrorKind::kInvalidInput);
}

// ---- splitting migration files ----

TEST(SplitSqlTest, SplitsAtSemicolonsOutsideQuotesAndComments) {
  const auto s = split_sql_statements(
      "-- header; not a statement\n"
      "CREATE TABLE a (x TEXT DEFAULT 'a;b');\n"
      "/* block; comment */ INSERT INTO a VALUES ('it''s; fine');\n"
      "SELECT \"odd;name\" FROM a;;\n"
      "-- trailing comment only\n");
  ASSERT_EQ(s.size(), 3u);
  EXPECT_EQ(s[0], "-- header; not a statement\nCREATE TABLE a (x TEXT DEFAULT 'a;b')");
  EXPECT_EQ(s[1], "/* block; comment */ INSERT INTO a VALUES ('it''s; fine')");
  EXPECT_EQ(s[2], "SELECT \"odd;name\" FROM a");
}

TEST(SplitSqlTest, KeepsDollarQuotedBodiesWhole) {
  const auto s = split_sql_statements(
      "CREATE FUNCTION f() RETURNS int AS $body$ BEGIN RETURN 1; END; $body$ LANGUAGE plpgsql;\n"
      "DO $$ BEGIN PERFORM 1; END $$;");
  ASSERT_EQ(s.size(), 2u);
  EXPECT_NE(s[0].find("RETURN 1; END; $body$ LANGUAGE plpgsql"), std::string::npos);
  EXPECT_EQ(s[1], "DO $$ BEGIN PERFORM 1; END $$");
}

TEST(SplitSqlTest, KeepsSqliteTriggerBodiesWhole) {
  const auto s = split_sql_statements(
      "CREATE TEMP TRIGGER t AFTER INSERT ON a BEGIN\n"
      "  UPDATE b SET n = CASE WHEN n > 0 THEN n + 1 ELSE 1 END;\n"
      "  DELETE FROM c;\n"
      "END;\n"
      "CREATE TABLE after_trigger (x INTEGER);");
  ASSERT_EQ(s.size(), 2u);
  EXPECT_EQ(s[0].substr(s[0].size() - 3), "END");
  EXPECT_EQ(s[1], "CREATE TABLE after_trigger (x INTEGER)");
}

// ---- the migration list ----

TEST(MigrationsTest, SortedByNumberAndFilteredByDialect) {
  const assets::File files[] = {
      {"migrations/postgres/0001_a.sql", "pg"},
      {"migrations/sqlite/0010_c.sql", "c"},
      {"migrations/sqlite/0002_b.sql", "b"},
  };
  auto m = migrations_for(Dialect::kSqlite, files);
  ASSERT_TRUE(m.ok());
  ASSERT_EQ(m->size(), 2u);
  EXPECT_EQ((*m)[0].version, 2);
  EXPECT_EQ((*m)[0].name, "0002_b");
  EXPECT_EQ((*m)[1].version, 10);
}

TEST(MigrationsTest, DuplicateNumbersAndBadNamesAreBuildMistakes) {
  const assets::File dup[] = {{"migrations/sqlite/0002_a.sql", ""},
                              {"migrations/sqlite/0002_b.sql", ""}};
  EXPECT_EQ(migrations_for(Dialect::kSqlite, dup).error().kind, ErrorKind::kInternal);
  const assets::File bad[] = {{"migrations/sqlite/portal.sql", ""}};
  EXPECT_EQ(migrations_for(Dialect::kSqlite, bad).error().kind, ErrorKind::kInternal);
}

TEST(MigrationsTest, EveryEmbeddedMigrationExistsForBothDialects) {
  auto lite = embedded_migrations(Dialect::kSqlite);
  auto pg = embedded_migrations(Dialect::kPostgres);
  ASSERT_TRUE(lite.ok());
  ASSERT_TRUE(pg.ok());
  ASSERT_EQ(lite->size(), pg->size());
  for (std::size_t i = 0; i < lite->size(); ++i) EXPECT_EQ((*lite)[i].name, (*pg)[i].name);
  ASSERT_FALSE(lite->empty());
  EXPECT_EQ(lite->front().name, "0001_platform");
}

// ---- both databases ----

class DatabaseTest : public DbTest {
 protected:
  long long count(const std::string& table) {
    long long n = -1;
    db().with_session(
        [&](soci::session& sql) { sql << "SELECT COUNT(*) FROM " + table, soci::into(n); });
    return n;
  }
};

TEST_P(DatabaseTest, MigrateRecordsEveryMigrationAndIsIdempotent) {
  auto expected = embedded_migrations(db().dialect());
  ASSERT_TRUE(expected.ok());
  auto version = db().schema_version();
  ASSERT_TRUE(version.ok());
  EXPECT_EQ(*version, expected->back().version);
  ASSERT_TRUE(db().migrate().ok());
  EXPECT_EQ(count("schema_migrations"), static_cast<long long>(expected->size()));
  EXPECT_EQ(count("jobs"), 0);
}

TEST_P(DatabaseTest, ConcurrentMigratorsApplyEachMigrationOnce) {
  std::string why;
  auto scratch = testing::ScratchDatabase::create(GetParam(), why);
  ASSERT_TRUE(scratch) << why;
  std::vector<std::unique_ptr<Database>> nodes;
  for (int i = 0; i < 4; ++i) {
    auto d = Database::open({.url = scratch->url(), .pool_size = 1});
    ASSERT_TRUE(d.ok()) << d.error().detail;
    nodes.push_back(std::move(*d));
  }
  EXPECT_EQ(*nodes[0]->schema_version(), 0);
  std::vector<std::future<Status>> runs;
  for (auto& n : nodes)
    runs.push_back(std::async(std::launch::async, [&n] { return n->migrate(); }));
  for (auto& r : runs) {
    const Status st = r.get();
    EXPECT_TRUE(st.ok()) << st.error().detail;
  }
  long long rows = 0;
  nodes[0]->with_session([&](soci::session& sql) {
    sql << "SELECT COUNT(*) FROM schema_migrations", soci::into(rows);
  });
  EXPECT_EQ(rows, static_cast<long long>(embedded_migrations(nodes[0]->dialect())->size()));
  nodes.clear();
}

TEST_P(DatabaseTest, TransactionCommitsWhenFunctionSucceeds) {
  const Status st = db().transaction([](soci::session& sql) -> Status {
    sql << "INSERT INTO settings (key, value) VALUES ('a', '1')";
    return {};
  });
  ASSERT_TRUE(st.ok()) << st.error().detail;
  EXPECT_EQ(count("settings"), 1);
}

TEST_P(DatabaseTest, TransactionRollsBackOnErrorAndReturnsIt) {
  const Status st = db().transaction([](soci::session& sql) -> Status {
    sql << "INSERT INTO settings (key, value) VALUES ('a', '1')";
    return fail(Error::conflict("error.conflict", "changed my mind"));
  });
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().kind, ErrorKind::kConflict);
  EXPECT_EQ(count("settings"), 0);
}

TEST_P(DatabaseTest, TransactionRollsBackOnExceptionAsInternal) {
  const Status st = db().transaction([](soci::session& sql) -> Status {
    sql << "INSERT INTO settings (key, value) VALUES ('a', '1')";
    sql << "INSERT INTO settings (key, value) VALUES ('a', '2')";  // duplicate key throws
    return {};
  });
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().kind, ErrorKind::kInternal);
  EXPECT_NE(st.error().detail.find("transaction"), std::string::npos);
  EXPECT_EQ(count("settings"), 0);
  // The session went back to the pool in a usable state.
  EXPECT_TRUE(db().ping().ok());
}

TEST_P(DatabaseTest, AfterCommitRunsOnlyOnceCommitted) {
  int ran = 0;
  ASSERT_TRUE(db().transaction([&](soci::session&) -> Status {
                    Database::after_commit([&] { ++ran; });
                    EXPECT_EQ(ran, 0);  // not before the commit
                    return {};
                  })
                  .ok());
  EXPECT_EQ(ran, 1);
  ASSERT_FALSE(db().transaction([&](soci::session&) -> Status {
                     Database::after_commit([&] { ++ran; });
                     return fail(Error::conflict("error.conflict"));
                   })
                   .ok());
  EXPECT_EQ(ran, 1);
  Database::after_commit([&] { ++ran; });  // outside a transaction: at once
  EXPECT_EQ(ran, 2);
}

TEST_P(DatabaseTest, SecondWriterSeesUnavailableWhileFirstHoldsTheLock) {
  if (postgres()) {
    // PostgreSQL writers do not exclude each other; its "try again" case is a lost
    // connection: a terminated backend reports kUnavailable, and the pool reconnects.
    auto victim = open_another(1);
    long long pid = 0;
    victim->with_session(
        [&](soci::session& sql) { sql << "SELECT pg_backend_pid()", soci::into(pid); });
    db().with_session(
        [&](soci::session& sql) { sql << "SELECT pg_terminate_backend(:pid)", soci::use(pid); });
    const Status lost = victim->transaction([](soci::session& sql) -> Status {
      sql << "SELECT 1";
      return {};
    });
    ASSERT_FALSE(lost.ok());
    EXPECT_EQ(lost.error().kind, ErrorKind::kUnavailable) << lost.error().detail;
    EXPECT_TRUE(victim->ping().ok());
    return;
  }
  auto other =
      Database::open({.url = url(), .pool_size = 1, .busy_timeout = std::chrono::milliseconds(50)});
  ASSERT_TRUE(other.ok());
  std::promise<void> locked, release;
  auto holder = std::async(std::launch::async, [&] {
    return db().transaction([&](soci::session& sql) -> Status {
      sql << "INSERT INTO settings (key, value) VALUES ('held', '1')";
      locked.set_value();
      release.get_future().wait();
      return {};
    });
  });
  locked.get_future().wait();
  const Status st = (*other)->transaction([](soci::session& sql) -> Status {
    sql << "INSERT INTO settings (key, value) VALUES ('late', '1')";
    return {};
  });
  release.set_value();
  ASSERT_TRUE(holder.get().ok());
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().kind, ErrorKind::kUnavailable) << st.error().detail;
  EXPECT_EQ(count("settings"), 1);
}

// Concurrent writers (committed in groups on SQLite): each call's outcome is its own — a
// failing or throwing function undoes only its own writes, the others commit, and after_commit
// hooks run exactly for the committed ones, on the caller's thread.
TEST_P(DatabaseTest, ConcurrentTransactionsSucceedOrFailEachOnTheirOwn) {
  constexpr int kCalls = 48;
  std::atomic<int> hooks_run{0};
  std::atomic<int> hooks_on_other_thread{0};
  std::vector<std::future<Status>> calls;
  for (int i = 0; i < kCalls; ++i) {
    calls.push_back(std::async(std::launch::async, [&, i] {
      const auto caller = std::this_thread::get_id();
      return db().transaction([&, i, caller](soci::session& sql) -> Status {
        const std::string key = "k" + std::to_string(i);
        sql << "INSERT INTO settings (key, value) VALUES (:k, 'v')", soci::use(key);
        Database::after_commit([&, caller] {
          ++hooks_run;
          if (std::this_thread::get_id() != caller) ++hooks_on_other_thread;
        });
        if (i % 3 == 1) return fail(Error::conflict("error.conflict", "refused"));
        if (i % 3 == 2 && i % 2 == 0) {
          sql << "INSERT INTO settings (key, value) VALUES (:k, 'again')", soci::use(key);
        }
        return {};
      });
    }));
  }
  int committed = 0;
  for (int i = 0; i < kCalls; ++i) {
    const Status st = calls[i].get();
    if (i % 3 == 1) {
      ASSERT_FALSE(st.ok());
      EXPECT_EQ(st.error().kind, ErrorKind::kConflict);
    } else if (i % 3 == 2 && i % 2 == 0) {
      ASSERT_FALSE(st.ok());  // the duplicate key threw
      EXPECT_EQ(st.error().kind, ErrorKind::kInternal);
    } else {
      ASSERT_TRUE(st.ok()) << st.error().detail;
      ++committed;
    }
  }
  EXPECT_EQ(count("settings"), committed);
  for (int i = 0; i < kCalls; ++i) {
    long long n = 0;
    const std::string key = "k" + std::to_string(i);
    db().with_session([&](soci::session& sql) {
      sql << "SELECT COUNT(*) FROM settings WHERE key = :k", soci::use(key), soci::into(n);
    });
    EXPECT_EQ(n, (i % 3 == 0 || (i % 3 == 2 && i % 2 != 0)) ? 1 : 0) << key;
  }
  EXPECT_EQ(hooks_run.load(), committed);
  EXPECT_EQ(hooks_on_other_thread.load(), 0);
  EXPECT_TRUE(db().ping().ok());
}

TEST_P(DatabaseTest, ReturningIdWorksOnBothDialects) {
  long long first = 0, second = 0;
  ASSERT_TRUE(db().transaction([&](soci::session& sql) -> Status {
                    sql << "INSERT INTO inbox_messages (recipient, title, body, created_at) "
                           "VALUES ('account:1', 't', 'b', 0) RETURNING id",
                        soci::into(first);
                    sql << "INSERT INTO inbox_messages (recipient, title, body, created_at) "
                           "VALUES ('account:1', 't', 'b', 0) RETURNING id",
                        soci::into(second);
                    return {};
                  })
                  .ok());
  EXPECT_GT(first, 0);
  EXPECT_EQ(second, first + 1);
}

TEST(DatabaseOpenTest, UnreachablePostgresIsUnavailable) {
  auto d = Database::open(
      {.url = "postgresql://nobody@127.0.0.1:1/none?connect_timeout=2", .pool_size = 1});
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.error().kind, ErrorKind::kUnavailable);
}

TEST(DatabaseOpenTest, SqliteCreatesTheFolderAndEnablesWal) {
  testing::TempDir dir;
  const auto file = dir.path() / "nested" / "folder" / "city db.sqlite";
  auto d = Database::open({.url = "sqlite:" + file.string(), .pool_size = 2});
  ASSERT_TRUE(d.ok()) << d.error().detail;
  std::string mode;
  int fk = 0, sync = 0;
  (*d)->with_session([&](soci::session& sql) {
    sql << "PRAGMA journal_mode", soci::into(mode);
    sql << "PRAGMA foreign_keys", soci::into(fk);
    sql << "PRAGMA synchronous", soci::into(sync);
  });
  EXPECT_EQ(mode, "wal");
  EXPECT_EQ(fk, 1);
  EXPECT_EQ(sync, 2);  // FULL
  EXPECT_TRUE(std::filesystem::exists(file));
}

// SQLite's WAL is copied into the database file by the pool's own checkpointer, not inside
// the COMMIT that crosses SQLite's automatic threshold (which is off).
TEST_P(DatabaseTest, SqliteWalIsCheckpointedInTheBackground) {
  if (postgres()) GTEST_SKIP() << "PostgreSQL checkpoints by itself";
  db().with_session([](soci::session& sql) {
    int pages = -1;
    sql << "PRAGMA wal_autocheckpoint", soci::into(pages);
    EXPECT_EQ(pages, 0);
  });
  ASSERT_TRUE(db().transaction([](soci::session& sql) -> Status {
    sql << "CREATE TABLE wal_filler (id INTEGER PRIMARY KEY, body TEXT)";
    const std::string body(2000, 'x');  // SOCI binds by reference: it must outlive the statement
    for (int i = 0; i < 200; ++i) {
      sql << "INSERT INTO wal_filler (body) VALUES (:b)", soci::use(body);
    }
    return {};
  }));
  // The rows are in the WAL; the database file grows only when they are copied into it, and
  // nothing in this test copies them.
  const std::filesystem::path file = url().substr(std::string("sqlite:").size());
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (std::filesystem::file_size(file) < 400'000 &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_GE(std::filesystem::file_size(file), 400'000u);
}

ZOCALO_INSTANTIATE_DB_TEST(DatabaseTest);

}  // namespace
}  // namespace zocalo::db
