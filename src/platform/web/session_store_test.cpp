#include "platform/web/session_store.hpp"

#include <gtest/gtest.h>

#include "db_fixture.hpp"
#include "platform/core/crypto.hpp"

namespace zocalo::web {
namespace {

constexpr std::int64_t kStart = 1'800'000'000;

class SessionStoreTest : public testing::DbTest {
 protected:
  void SetUp() override {
    DbTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    store_ = std::make_unique<DbSessionStore>(
        db(), SessionStoreOptions{.idle_timeout = std::chrono::seconds(600),
                                  .absolute_timeout = std::chrono::seconds(3600),
                                  .touch_interval = std::chrono::seconds(60),
                                  .clock = [this] { return now_; }});
  }
  long long stored_expiry(const std::string& id) {
    long long e = 0;
    // A named local: SOCI binds by reference and runs the query after temporaries are gone.
    const std::string id_hash = crypto::sha256_hex(id);
    db().with_session([&](soci::session& sql) {
      sql << "SELECT expires_at FROM sessions WHERE id_hash = :h", soci::use(id_hash),
          soci::into(e);
    });
    return e;
  }

  std::int64_t now_ = kStart;
  std::unique_ptr<DbSessionStore> store_;
};

TEST_P(SessionStoreTest, SavedValuesLoadBackExactly) {
  const http::SessionValues values = {
      {"account", "42"}, {"flash", "Trámite enviado \"ok\"\n<b>"}, {"empty", ""}};
  store_->save("sid-1", values);
  const auto loaded = store_->load("sid-1");
  ASSERT_TRUE(loaded.has_value());
  EXPECT_EQ(*loaded, values);
}

TEST_P(SessionStoreTest, OnlyTheHashOfTheIdIsStored) {
  store_->save("secret-cookie-value", {{"k", "v"}});
  std::string id_hash;
  db().with_session(
      [&](soci::session& sql) { sql << "SELECT id_hash FROM sessions", soci::into(id_hash); });
  EXPECT_EQ(id_hash, crypto::sha256_hex("secret-cookie-value"));
  EXPECT_EQ(id_hash.find("secret"), std::string::npos);
}

TEST_P(SessionStoreTest, UnknownIdLoadsNothing) {
  store_->save("sid-1", {{"k", "v"}});
  EXPECT_FALSE(store_->load("sid-2").has_value());
}

TEST_P(SessionStoreTest, SaveReplacesTheValues) {
  store_->save("sid-1", {{"a", "1"}, {"b", "2"}});
  store_->save("sid-1", {{"b", "3"}});
  EXPECT_EQ(*store_->load("sid-1"), (http::SessionValues{{"b", "3"}}));
}

TEST_P(SessionStoreTest, IdleSessionExpires) {
  store_->save("sid-1", {{"k", "v"}});
  now_ += 599;
  EXPECT_TRUE(store_->load("sid-1").has_value());
  now_ += 600;  // no use for the whole idle timeout since that load
  EXPECT_FALSE(store_->load("sid-1").has_value());
}

TEST_P(SessionStoreTest, LoadSlidesExpiryButNotOnEveryRequest) {
  store_->save("sid-1", {{"k", "v"}});
  EXPECT_EQ(stored_expiry("sid-1"), kStart + 600);
  now_ += 30;  // within touch_interval: no write
  ASSERT_TRUE(store_->load("sid-1"));
  EXPECT_EQ(stored_expiry("sid-1"), kStart + 600);
  now_ += 100;
  ASSERT_TRUE(store_->load("sid-1"));
  EXPECT_EQ(stored_expiry("sid-1"), now_ + 600);
}

TEST_P(SessionStoreTest, AbsoluteTimeoutEndsEvenAnActiveSession) {
  store_->save("sid-1", {{"k", "v"}});
  for (int i = 0; i < 7; ++i) {  // active every 500 s, up to 3500 s after creation
    now_ += 500;
    ASSERT_TRUE(store_->load("sid-1").has_value()) << i;
  }
  EXPECT_LE(stored_expiry("sid-1"), kStart + 3600);
  now_ = kStart + 3600;
  EXPECT_FALSE(store_->load("sid-1").has_value());
  store_->save("sid-1", {{"k", "w"}});  // saving does not extend past the absolute limit
  EXPECT_FALSE(store_->load("sid-1").has_value());
}

TEST_P(SessionStoreTest, DestroyRemovesTheSession) {
  store_->save("sid-1", {{"k", "v"}});
  store_->destroy("sid-1");
  EXPECT_FALSE(store_->load("sid-1").has_value());
}

TEST_P(SessionStoreTest, PurgeExpiredRemovesOnlyExpiredRows) {
  store_->save("old", {{"k", "v"}});
  now_ += 400;
  store_->save("fresh", {{"k", "v"}});
  now_ += 300;  // "old" expired at +600, "fresh" expires at +1000
  auto removed = store_->purge_expired();
  ASSERT_TRUE(removed.ok()) << removed.error().detail;
  EXPECT_EQ(*removed, 1u);
  EXPECT_TRUE(store_->load("fresh").has_value());
}

TEST_P(SessionStoreTest, AnotherNodeSeesTheSameSession) {
  store_->save("sid-1", {{"account", "7"}});
  auto other_db = open_another();
  DbSessionStore other(*other_db, {.clock = [this] { return now_; }});
  EXPECT_EQ(*other.load("sid-1"), (http::SessionValues{{"account", "7"}}));
}

ZOCALO_INSTANTIATE_DB_TEST(SessionStoreTest);

}  // namespace
}  // namespace zocalo::web
