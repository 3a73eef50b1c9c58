#include "identity/store/audit_log.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "db_fixture.hpp"

namespace zocalo::identity {
namespace {

AuditEvent event_for(long long account, std::string action, int n = 0) {
  AuditEvent e;
  e.account_id = account;
  e.actor_kind = ActorKind::kResident;
  e.actor_id = std::to_string(account);
  e.action = std::move(action);
  e.detail = R"({"n":)" + std::to_string(n) + "}";
  e.ip = "198.51.100.4";
  e.created_at = 1'790'000'000 + n;
  return e;
}

class AuditLogTest : public testing::DbTest {
 protected:
  Result<AuditRecord> append(db::Database& on, const AuditEvent& e) {
    std::optional<AuditRecord> out;
    const Status s = on.transaction([&](soci::session& sql) -> Status {
      auto r = AuditLog::append(sql, e);
      if (!r) return fail(r.error());
      out = *r;
      return {};
    });
    if (!s) return fail(s.error());
    return *out;
  }

  // Appends `n` rows for accounts 1 and 2 in turn.
  void append_many(int n) {
    for (int i = 1; i <= n; ++i) {
      auto r = append(db(), event_for(i % 2 + 1, "signin.password", i));
      ASSERT_TRUE(r) << r.error().detail;
    }
  }

  ChainCheck verify() {
    auto r = AuditLog(db()).verify();
    EXPECT_TRUE(r) << r.error().detail;
    return r ? *r : ChainCheck{false, 0, -1, "verify failed"};
  }

  // Runs `statement` with the append-only triggers out of the way, as someone with the keys to
  // the database could (SQLite: drop them; PostgreSQL: a superuser disables them).
  void tamper(const std::string& statement) {
    ASSERT_TRUE(db().transaction([&](soci::session& sql) -> Status {
      if (postgres()) {
        sql << "ALTER TABLE audit_log DISABLE TRIGGER ALL";
      } else {
        sql << "DROP TRIGGER IF EXISTS audit_log_no_update";
        sql << "DROP TRIGGER IF EXISTS audit_log_no_delete";
      }
      sql << statement;
      if (postgres()) sql << "ALTER TABLE audit_log ENABLE TRIGGER ALL";
      return {};
    }));
  }
};

TEST_P(AuditLogTest, EmptyLogVerifies) {
  const ChainCheck c = verify();
  EXPECT_TRUE(c.ok) << c.detail;
  EXPECT_EQ(c.rows_checked, 0);
}

TEST_P(AuditLogTest, AppendsFormAChainThatVerifies) {
  std::vector<AuditRecord> rows;
  for (int i = 1; i <= 5; ++i) {
    auto r = append(db(), event_for(1, "signin.password", i));
    ASSERT_TRUE(r) << r.error().detail;
    rows.push_back(*r);
  }
  EXPECT_EQ(rows[0].prev_hash, kGenesisHash);
  for (std::size_t i = 0; i < rows.size(); ++i) {
    EXPECT_EQ(rows[i].id, static_cast<long long>(i + 1));
    EXPECT_EQ(rows[i].hash.size(), 64u);
    EXPECT_EQ(rows[i].hash, audit_hash(rows[i].prev_hash, rows[i].id, rows[i].event));
    if (i > 0) {
      EXPECT_EQ(rows[i].prev_hash, rows[i - 1].hash);
    }
  }
  const ChainCheck c = verify();
  EXPECT_TRUE(c.ok) << c.detail;
  EXPECT_EQ(c.rows_checked, 5);
}

TEST_P(AuditLogTest, NullAccountAndIpAndZeroTimeAreStored) {
  AuditEvent e;
  e.actor_kind = ActorKind::kSystem;
  e.action = "keys.rotated";
  auto r = append(db(), e);
  ASSERT_TRUE(r) << r.error().detail;
  EXPECT_GT(r->event.created_at, 1'700'000'000);  // 0 means "now"
  const ChainCheck c = verify();
  EXPECT_TRUE(c.ok) << c.detail;
}

TEST_P(AuditLogTest, InvalidEventIsRejectedAndNothingIsWritten) {
  AuditEvent e = event_for(1, "signin.password");
  e.detail = R"({"password":"hunter2"})";
  auto r = append(db(), e);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().user_key, "identity.audit.invalid");
  auto ok = append(db(), event_for(1, "signin.password"));
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->id, 1);
}

TEST_P(AuditLogTest, RolledBackAppendLeavesNoGap) {
  ASSERT_TRUE(append(db(), event_for(1, "signin.password", 1)));
  const Status rolled_back = db().transaction([&](soci::session& sql) -> Status {
    auto r = AuditLog::append(sql, event_for(1, "signin.password", 2));
    EXPECT_TRUE(r);
    return fail(Error::internal("abort on purpose"));
  });
  ASSERT_FALSE(rolled_back);
  auto next = append(db(), event_for(1, "signin.password", 3));
  ASSERT_TRUE(next);
  EXPECT_EQ(next->id, 2);
  EXPECT_TRUE(verify().ok);
}

TEST_P(AuditLogTest, DatabaseRefusesUpdateAndDelete) {
  append_many(2);
  for (const char* statement : {"UPDATE audit_log SET detail = '{}' WHERE id = 1",
                                "DELETE FROM audit_log WHERE id = 2", "DELETE FROM audit_head"}) {
    const Status s = db().transaction([&](soci::session& sql) -> Status {
      sql << statement;
      return {};
    });
    EXPECT_FALSE(s) << statement;
  }
  if (postgres()) {
    const Status s = db().transaction([&](soci::session& sql) -> Status {
      sql << "TRUNCATE audit_log";
      return {};
    });
    EXPECT_FALSE(s);
  }
  const ChainCheck c = verify();
  EXPECT_TRUE(c.ok) << c.detail;
  EXPECT_EQ(c.rows_checked, 2);
}

TEST_P(AuditLogTest, EditedRowIsNamed) {
  append_many(6);
  tamper("UPDATE audit_log SET detail = '{\"n\":99}' WHERE id = 4");
  const ChainCheck c = verify();
  EXPECT_FALSE(c.ok);
  EXPECT_EQ(c.first_broken_id, 4);
  EXPECT_EQ(c.rows_checked, 3);
  EXPECT_EQ(c.detail, "row 4: hash does not match its contents");
}

TEST_P(AuditLogTest, EditedRowWithARecomputedHashBreaksTheNextLink) {
  append_many(6);
  auto rows = AuditLog(db()).list_for_account(1, 100);  // accounts 1: rows 2, 4, 6
  ASSERT_TRUE(rows);
  AuditRecord row4;
  for (const auto& r : *rows) {
    if (r.id == 4) row4 = r;
  }
  ASSERT_EQ(row4.id, 4);
  row4.event.detail = R"({"n":99})";
  const std::string forged = audit_hash(row4.prev_hash, 4, row4.event);
  tamper("UPDATE audit_log SET detail = '{\"n\":99}', hash = '" + forged + "' WHERE id = 4");
  const ChainCheck c = verify();
  EXPECT_FALSE(c.ok);
  EXPECT_EQ(c.first_broken_id, 5);
  EXPECT_EQ(c.detail, "row 5: prev_hash does not match row 4");
}

TEST_P(AuditLogTest, DeletedMiddleRowIsDetected) {
  append_many(6);
  tamper("DELETE FROM audit_log WHERE id = 3");
  const ChainCheck c = verify();
  EXPECT_FALSE(c.ok);
  EXPECT_EQ(c.first_broken_id, 4);
  EXPECT_EQ(c.detail, "row 4: row 3 is missing");
}

TEST_P(AuditLogTest, DeletedFirstRowIsDetected) {
  append_many(3);
  tamper("DELETE FROM audit_log WHERE id = 1");
  const ChainCheck c = verify();
  EXPECT_FALSE(c.ok);
  EXPECT_EQ(c.first_broken_id, 2);
}

TEST_P(AuditLogTest, CutOffTailIsDetected) {
  append_many(6);
  tamper("DELETE FROM audit_log WHERE id >= 5");
  const ChainCheck c = verify();
  EXPECT_FALSE(c.ok);
  EXPECT_EQ(c.first_broken_id, 5);
  EXPECT_EQ(c.rows_checked, 4);
}

TEST_P(AuditLogTest, VerifyWalksPastOneBatch) {
  // More rows than one verify() batch (500), in a few big transactions to keep the test quick.
  for (int batch = 0; batch < 3; ++batch) {
    ASSERT_TRUE(db().transaction([&](soci::session& sql) -> Status {
      for (int i = 0; i < 250; ++i) {
        auto r = AuditLog::append(sql, event_for(1, "token.issued", batch * 250 + i));
        if (!r) return fail(r.error());
      }
      return {};
    }));
  }
  const ChainCheck c = verify();
  EXPECT_TRUE(c.ok) << c.detail;
  EXPECT_EQ(c.rows_checked, 750);
}

TEST_P(AuditLogTest, ListsAResidentsRowsNewestFirstInPages) {
  append_many(9);  // account 1: rows 2, 4, 6, 8; account 2: rows 1, 3, 5, 7, 9
  AuditLog log(db());
  auto first = log.list_for_account(2, 2);
  ASSERT_TRUE(first);
  ASSERT_EQ(first->size(), 2u);
  EXPECT_EQ((*first)[0].id, 9);
  EXPECT_EQ((*first)[1].id, 7);
  EXPECT_EQ((*first)[0].event.action, "signin.password");
  EXPECT_EQ((*first)[0].event.ip, "198.51.100.4");
  EXPECT_EQ((*first)[0].event.account_id, 2);
  auto next = log.list_for_account(2, 2, (*first)[1].id);
  ASSERT_TRUE(next);
  ASSERT_EQ(next->size(), 2u);
  EXPECT_EQ((*next)[0].id, 5);
  EXPECT_EQ((*next)[1].id, 3);
  auto last = log.list_for_account(2, 100, 3);
  ASSERT_TRUE(last);
  ASSERT_EQ(last->size(), 1u);
  EXPECT_EQ((*last)[0].id, 1);
  auto nobody = log.list_for_account(77, 10);
  ASSERT_TRUE(nobody);
  EXPECT_TRUE(nobody->empty());
  for (int bad : {0, 101}) {
    auto r = log.list_for_account(2, bad);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().user_key, "identity.audit.limit");
  }
}

// Two nodes (two pools on one database), several threads each: appends queue on the head row,
// so the chain stays whole and ids run without gaps in chain order.
TEST_P(AuditLogTest, ConcurrentAppendsFromTwoNodesKeepTheChain) {
  auto other = open_another(4);
  constexpr int kThreads = 4;
  constexpr int kEach = 15;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    db::Database* node = t % 2 == 0 ? &db() : other.get();
    threads.emplace_back([&, t, node] {
      for (int i = 0; i < kEach; ++i) {
        // A busy SQLite file or a PostgreSQL serialization failure is kUnavailable: retry, as
        // a request handler's caller would.
        for (int attempt = 0;; ++attempt) {
          auto r = append(*node, event_for(t + 1, "signin.password", i));
          if (r) break;
          if (r.error().kind != ErrorKind::kUnavailable || attempt == 20) {
            ++failures;
            ADD_FAILURE() << r.error().detail;
            break;
          }
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  ASSERT_EQ(failures.load(), 0);

  const ChainCheck c = verify();
  EXPECT_TRUE(c.ok) << c.detail;
  EXPECT_EQ(c.rows_checked, kThreads * kEach);
  long long max_id = 0, count = 0;
  ASSERT_TRUE(db().read([&](soci::session& sql) -> Status {
    sql << "SELECT MAX(id), COUNT(*) FROM audit_log", soci::into(max_id), soci::into(count);
    return {};
  }));
  EXPECT_EQ(count, kThreads * kEach);
  EXPECT_EQ(max_id, count);  // 1..N, no gaps
}

ZOCALO_INSTANTIATE_DB_TEST(AuditLogTest);

}  // namespace
}  // namespace zocalo::identity
