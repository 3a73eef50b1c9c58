#include "requests/model/api_key.hpp"

#include <gtest/gtest.h>

#include <set>

namespace zocalo::requests {
namespace {

TEST(ApiKeyTest, KeysAreFreshAndOnlyTheirHashIsKept) {
  std::set<std::string> keys;
  for (int i = 0; i < 100; ++i) {
    const std::string key = generate_api_key();
    EXPECT_TRUE(key.starts_with(kApiKeyPrefix));
    EXPECT_EQ(key.size(), kApiKeyPrefix.size() + 32);
    keys.insert(key);
  }
  EXPECT_EQ(keys.size(), 100u);
  // SHA-256("abc"), FIPS 180-2 appendix B.1.
  EXPECT_EQ(api_key_hash("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(ApiKeyTest, NamesAreLowerCaseTokens) {
  EXPECT_TRUE(check_api_key_name("app-cdmx"));
  EXPECT_TRUE(check_api_key_name("locatel_0311.v2"));
  for (const char* bad : {"", "App", "-app", "app cdmx", "app:x", "app'--", "<b>"}) {
    EXPECT_FALSE(check_api_key_name(bad)) << bad;
  }
  EXPECT_FALSE(check_api_key_name(std::string(65, 'a')));
}

}  // namespace
}  // namespace zocalo::requests
