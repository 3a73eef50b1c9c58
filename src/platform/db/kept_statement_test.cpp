#include "platform/db/kept_statement.hpp"

#include <gtest/gtest.h>
#include <soci/sqlite3/soci-sqlite3.h>

#include <string>

#include "db_fixture.hpp"

namespace zocalo::db {
namespace {

using testing::DbTest;

// jobs is a table of the platform's own migrations (0003): any table would do.
struct InsertJob {
  static constexpr std::string_view kSql =
      "INSERT INTO jobs (kind, payload, status, attempts, max_attempts, run_at, created_at) "
      "VALUES (:kind, '{}', 'queued', 0, 1, 0, 0) RETURNING id";
  std::string kind;
  long long id = 0;
  void bind(soci::statement& st) {
    st.exchange(soci::use(kind));
    st.exchange(soci::into(id));
  }
};

struct FindJob {
  static constexpr std::string_view kSql = "SELECT kind FROM jobs WHERE id = :id";
  long long id = 0;
  std::string kind;
  void bind(soci::statement& st) {
    st.exchange(soci::use(id));
    st.exchange(soci::into(kind));
  }
};

class KeptStatementTest : public DbTest {
 protected:
  long long insert(soci::session& sql, const std::string& kind) {
    auto insert = kept<InsertJob>(sql);
    insert->values.kind = kind;
    EXPECT_TRUE(insert->run());
    return insert->values.id;
  }
  std::optional<std::string> find(soci::session& sql, long long id) {
    auto find = kept<FindJob>(sql);
    find->values.id = id;
    if (!find->run()) return std::nullopt;
    return find->values.kind;
  }
};

TEST_P(KeptStatementTest, RunsAgainWithNewValuesAndCommits) {
  long long first = 0, second = 0;
  ASSERT_TRUE(db().transaction([&](soci::session& sql) -> Status {
    first = insert(sql, "uno");
    second = insert(sql, "dos");
    return {};
  }));
  EXPECT_NE(first, second);
  db().with_session([&](soci::session& sql) {
    EXPECT_EQ(find(sql, first).value_or(""), "uno");
    EXPECT_EQ(find(sql, second).value_or(""), "dos");
    EXPECT_FALSE(find(sql, second + 1000)) << "no row: run() says so";
  });
}

TEST_P(KeptStatementTest, IsKeptPerPoolSession) {
  db().with_session([&](soci::session& sql) {
    const auto a = kept<FindJob>(sql);
    const auto b = kept<FindJob>(sql);
    EXPECT_EQ(a, b);
    EXPECT_NE(kept<InsertJob>(sql).get(), static_cast<void*>(a.get()));
  });
  if (postgres()) return;
  // A session outside a Database's pool never keeps one: nothing would drop it.
  soci::session loose(*soci::factory_sqlite3(),
                      "db=" + url().substr(std::string("sqlite:").size()));
  EXPECT_NE(kept<FindJob>(loose), kept<FindJob>(loose));
}

// A kept statement that has returned its row is reset: it holds no read snapshot, so the next
// read of the same session sees what other sessions committed since.
TEST_P(KeptStatementTest, AKeptReadHoldsNoSnapshotBetweenRuns) {
  long long id = 0;
  ASSERT_TRUE(db().transaction([&](soci::session& sql) -> Status {
    id = insert(sql, "antes");
    return {};
  }));
  auto other = open_another(1);
  db().with_session([&](soci::session& sql) {
    EXPECT_EQ(find(sql, id).value_or(""), "antes");
    other->with_session([&](soci::session& theirs) {
      theirs << "UPDATE jobs SET kind = 'despues' WHERE id = :id", soci::use(id);
    });
    EXPECT_EQ(find(sql, id).value_or(""), "despues");
  });
}

// A rolled-back transaction leaves its kept statements usable.
TEST_P(KeptStatementTest, SurvivesARollback) {
  EXPECT_FALSE(db().transaction([&](soci::session& sql) -> Status {
    insert(sql, "se-va");
    return fail(Error::invalid("test.rollback", "on purpose"));
  }));
  long long id = 0;
  ASSERT_TRUE(db().transaction([&](soci::session& sql) -> Status {
    id = insert(sql, "se-queda");
    return {};
  }));
  db().with_session([&](soci::session& sql) {
    long long n = 0;
    sql << "SELECT COUNT(*) FROM jobs WHERE kind = 'se-va'", soci::into(n);
    EXPECT_EQ(n, 0);
    EXPECT_EQ(find(sql, id).value_or(""), "se-queda");
  });
}

// PostgreSQL: a connection the pool replaces takes its prepared statements with it; the
// reconnected session prepares them again.
TEST_P(KeptStatementTest, AReconnectedSessionPreparesItsStatementsAgain) {
  if (!postgres()) GTEST_SKIP() << "SQLite sessions never reconnect";
  auto victim = open_another(1);
  long long id = 0;
  ASSERT_TRUE(victim->transaction([&](soci::session& sql) -> Status {
    id = insert(sql, "antes-del-corte");
    return {};
  }));
  long long pid = 0;
  victim->with_session(
      [&](soci::session& sql) { sql << "SELECT pg_backend_pid()", soci::into(pid); });
  db().with_session(
      [&](soci::session& sql) { sql << "SELECT pg_terminate_backend(:pid)", soci::use(pid); });
  const Status lost = victim->read([&](soci::session& sql) -> Status {
    find(sql, id);
    return {};
  });
  EXPECT_FALSE(lost) << "the first call after the cut sees it";
  std::optional<std::string> found;
  ASSERT_TRUE(victim->read([&](soci::session& sql) -> Status {
    found = find(sql, id);
    return {};
  }));
  EXPECT_EQ(found.value_or(""), "antes-del-corte");
}

ZOCALO_INSTANTIATE_DB_TEST(KeptStatementTest);

}  // namespace
}  // namespace zocalo::db
