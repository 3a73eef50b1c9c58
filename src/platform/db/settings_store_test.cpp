#include "platform/db/settings_store.hpp"

#include <gtest/gtest.h>

#include <future>
#include <set>

#include "db_fixture.hpp"

namespace zocalo::db {
namespace {

class SettingsStoreTest : public testing::DbTest {};

TEST_P(SettingsStoreTest, UnsetKeyIsEmptyAndSetReplaces) {
  SettingsStore settings(db());
  auto missing = settings.get("site.name");
  ASSERT_TRUE(missing.ok()) << missing.error().detail;
  EXPECT_FALSE(missing->has_value());
  ASSERT_TRUE(settings.set("site.name", "Ciudad de México").ok());
  ASSERT_TRUE(settings.set("site.name", "CDMX").ok());
  EXPECT_EQ(settings.get("site.name")->value_or(""), "CDMX");
}

TEST_P(SettingsStoreTest, SecretIsCreatedOnceAndKept) {
  SettingsStore settings(db());
  auto first = settings.get_or_create_secret("session", 32);
  ASSERT_TRUE(first.ok()) << first.error().detail;
  EXPECT_EQ(first->size(), 32u);
  auto again = settings.get_or_create_secret("session", 32);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, *first);
  EXPECT_NE(*settings.get_or_create_secret("csrf", 32), *first);
}

TEST_P(SettingsStoreTest, NodesStartingTogetherAgreeOnTheSecret) {
  std::vector<std::unique_ptr<Database>> nodes;
  for (int i = 0; i < 4; ++i) nodes.push_back(open_another(1));
  std::vector<std::future<Result<std::string>>> results;
  for (auto& n : nodes) {
    results.push_back(std::async(std::launch::async, [&n] {
      return SettingsStore(*n).get_or_create_secret("session", 32);
    }));
  }
  std::set<std::string> distinct;
  for (auto& r : results) {
    auto secret = r.get();
    ASSERT_TRUE(secret.ok()) << secret.error().detail;
    distinct.insert(*secret);
  }
  EXPECT_EQ(distinct.size(), 1u);
}

TEST_P(SettingsStoreTest, SecretOfTheWrongLengthIsAnError) {
  SettingsStore settings(db());
  ASSERT_TRUE(settings.get_or_create_secret("session", 16).ok());
  auto wrong = settings.get_or_create_secret("session", 32);
  ASSERT_FALSE(wrong.ok());
  EXPECT_EQ(wrong.error().kind, ErrorKind::kInternal);
}

ZOCALO_INSTANTIATE_DB_TEST(SettingsStoreTest);

}  // namespace
}  // namespace zocalo::db
