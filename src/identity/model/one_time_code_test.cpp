#include "identity/model/one_time_code.hpp"

#include <gtest/gtest.h>

#include <set>

namespace zocalo::identity {
namespace {

TEST(OneTimeCodeTest, RulesFollowTheIssue) {
  EXPECT_EQ(rule_for(CodePurpose::kEmailVerify).lifetime, 24 * 3600);
  EXPECT_EQ(rule_for(CodePurpose::kEmailVerify).digits, 0);
  EXPECT_EQ(rule_for(CodePurpose::kPhoneVerify).lifetime, 600);
  EXPECT_EQ(rule_for(CodePurpose::kPhoneVerify).max_attempts, 5);
  EXPECT_EQ(rule_for(CodePurpose::kPasswordReset).lifetime, 900);
  EXPECT_GE(rule_for(CodePurpose::kPasswordReset).digits, 6);
  EXPECT_LE(rule_for(CodePurpose::kPasswordReset).digits, 8);
}

TEST(OneTimeCodeTest, PurposeNamesRoundTrip) {
  for (const auto p : {CodePurpose::kEmailVerify, CodePurpose::kPhoneVerify,
                       CodePurpose::kPasswordReset, CodePurpose::kSigninSms}) {
    EXPECT_EQ(parse_code_purpose(to_string(p)), p);
  }
  EXPECT_FALSE(parse_code_purpose("other"));
}

TEST(OneTimeCodeTest, NumericCodesHaveTheLengthAndVary) {
  std::set<std::string> seen;
  for (int i = 0; i < 50; ++i) {
    const std::string code = generate_numeric_code(6);
    ASSERT_EQ(code.size(), 6u);
    for (const char c : code) EXPECT_TRUE(c >= '0' && c <= '9');
    seen.insert(code);
  }
  EXPECT_GT(seen.size(), 40u);
}

TEST(OneTimeCodeTest, ShortCodeHashesAreSaltedAndMatchOnlyTheirCode) {
  const std::string a = hash_short_code("123456");
  const std::string b = hash_short_code("123456");
  EXPECT_NE(a, b);
  EXPECT_EQ(a.find("123456"), std::string::npos);
  EXPECT_TRUE(short_code_matches(a, "123456"));
  EXPECT_TRUE(short_code_matches(b, "123456"));
  EXPECT_FALSE(short_code_matches(a, "123457"));
  EXPECT_FALSE(short_code_matches("", "123456"));
  EXPECT_FALSE(short_code_matches("zz$" + std::string(64, 'a'), "123456"));
}

TEST(OneTimeCodeTest, LinkTokensAreLongAndHashedForLookup) {
  const std::string token = generate_link_token();
  EXPECT_EQ(token.size(), 43u);
  EXPECT_NE(token, generate_link_token());
  EXPECT_EQ(link_token_hash(token).size(), 64u);
  EXPECT_EQ(link_token_hash(token), link_token_hash(token));
}

TEST(OneTimeCodeTest, NormalisesTypedCodes) {
  EXPECT_EQ(normalise_numeric_code(" 123 456 ", 6), "123456");
  EXPECT_EQ(normalise_numeric_code("123-456", 6), "123456");
  EXPECT_FALSE(normalise_numeric_code("12345", 6));
  EXPECT_FALSE(normalise_numeric_code("12345a", 6));
  EXPECT_FALSE(normalise_numeric_code(std::string(100, '1'), 6));
  EXPECT_EQ(normalise_numeric_code("12345678", 8), "12345678");
}

}  // namespace
}  // namespace zocalo::identity
