// `zocalo apikeys add|list|revoke` through the functions main.cpp calls, on both databases:
// the key printed once works for Open311 POSTs until it is revoked, and is never listed.
#include "app/api_keys_command.hpp"

#include <gtest/gtest.h>

#include <string>

#include "db_fixture.hpp"
#include "requests/store/api_key_store.hpp"

namespace zocalo::app {
namespace {

class ApiKeysCommandTest : public testing::DbTest {
 protected:
  Config config() {
    Config c;
    c.database = url();
    c.log_level = "error";
    return c;
  }
};

TEST_P(ApiKeysCommandTest, AddPrintsAWorkingKeyOnceListHidesItRevokeStopsIt) {
  ::testing::internal::CaptureStdout();
  ASSERT_EQ(api_keys_add(config(), "app-vecinos"), 0);
  // Log lines may share stdout in tests; the key is the one line of its own.
  const std::string out = ::testing::internal::GetCapturedStdout();
  const std::size_t at = out.find("z311_");
  ASSERT_NE(at, std::string::npos) << out;
  const std::string key = out.substr(at, out.find('\n', at) - at);
  ASSERT_EQ(key.size(), 37u) << key;

  requests::ApiKeyStore store(db());
  auto found = store.authenticate(key);
  ASSERT_TRUE(found && *found);
  EXPECT_EQ((*found)->name, "app-vecinos");

  // Same name again, or a malformed one: refused, nothing added.
  EXPECT_EQ(api_keys_add(config(), "app-vecinos"), 1);
  EXPECT_EQ(api_keys_add(config(), "App Vecinos"), 2);

  ::testing::internal::CaptureStdout();
  ASSERT_EQ(api_keys_list(config()), 0);
  const std::string listed = ::testing::internal::GetCapturedStdout();
  EXPECT_NE(listed.find("app-vecinos"), std::string::npos);
  EXPECT_NE(listed.find("active"), std::string::npos);
  EXPECT_EQ(listed.find(key), std::string::npos) << "the key is shown only when made";

  const long long id = (*found)->id;
  ::testing::internal::CaptureStdout();
  ASSERT_EQ(api_keys_revoke(config(), id), 0);
  ::testing::internal::GetCapturedStdout();
  EXPECT_FALSE(*store.authenticate(key));
  EXPECT_EQ(api_keys_revoke(config(), id + 100), 1);

  ::testing::internal::CaptureStdout();
  ASSERT_EQ(api_keys_list(config()), 0);
  EXPECT_NE(::testing::internal::GetCapturedStdout().find("revoked"), std::string::npos);
}

ZOCALO_INSTANTIATE_DB_TEST(ApiKeysCommandTest);

}  // namespace
}  // namespace zocalo::app
