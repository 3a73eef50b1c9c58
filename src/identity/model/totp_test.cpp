#include "identity/model/totp.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <set>
#include <string>

namespace zocalo::identity::totp {
namespace {

// RFC 6238 Appendix B: the SHA-1 seed is the ASCII string "12345678901234567890".
constexpr std::string_view kRfcSecret = "12345678901234567890";

struct Vector {
  std::int64_t time;
  const char* code;
};

TEST(Totp, Rfc6238AppendixBSha1Vectors) {
  const Vector vectors[] = {
      {59, "94287082"},         {1111111109, "07081804"}, {1111111111, "14050471"},
      {1234567890, "89005924"}, {2000000000, "69279037"}, {20000000000, "65353130"},
  };
  for (const auto& v : vectors) {
    auto code = code_at(kRfcSecret, v.time, 8);
    ASSERT_TRUE(code.ok()) << v.time << ": " << code.error().detail;
    EXPECT_EQ(*code, v.code) << "T = " << v.time;
  }
}

TEST(Totp, SixDigitCodeIsTheLastSixOfTheEightDigitVector) {
  // RFC 4226 section 5.3: Snum mod 10^Digit, so 6 digits are the tail of the 8-digit value.
  EXPECT_EQ(*code_at(kRfcSecret, 59), "287082");
  EXPECT_EQ(*code_at(kRfcSecret, 1111111109), "081804");
  auto step = verify(kRfcSecret, "287082", 59);
  ASSERT_TRUE(step.ok());
  EXPECT_EQ(*step, 1);
  auto late = verify(kRfcSecret, "005924", 1234567890);
  ASSERT_TRUE(late.ok());
  EXPECT_EQ(*late, 1234567890 / 30);
}

TEST(Totp, CodeAtRejectsWhatLiboathCannotCompute) {
  EXPECT_FALSE(code_at("", 59).ok());
  EXPECT_FALSE(code_at(kRfcSecret, -1).ok());
  EXPECT_FALSE(code_at(kRfcSecret, 59, 5).ok());
  EXPECT_FALSE(code_at(kRfcSecret, 59, 9).ok());
}

TEST(Totp, TimeStepIsFloorOfThirtySecondPeriods) {
  EXPECT_EQ(time_step(0), 0);
  EXPECT_EQ(time_step(29), 0);
  EXPECT_EQ(time_step(30), 1);
  EXPECT_EQ(time_step(59), 1);
  EXPECT_EQ(time_step(60), 2);
  EXPECT_EQ(time_step(-1), -1);
  EXPECT_EQ(time_step(-30), -1);
  EXPECT_EQ(time_step(-31), -2);
}

TEST(Totp, GeneratedSecretsAreTwentyRandomBytes) {
  std::set<std::string> seen;
  for (int i = 0; i < 20; ++i) {
    const std::string secret = generate_secret();
    EXPECT_EQ(secret.size(), 20u);
    seen.insert(secret);
  }
  EXPECT_EQ(seen.size(), 20u);
}

TEST(Totp, Base32MatchesRfc4648SectionTenWithoutPadding) {
  EXPECT_EQ(base32_encode(""), "");
  EXPECT_EQ(base32_encode("f"), "MY");
  EXPECT_EQ(base32_encode("fo"), "MZXQ");
  EXPECT_EQ(base32_encode("foo"), "MZXW6");
  EXPECT_EQ(base32_encode("foob"), "MZXW6YQ");
  EXPECT_EQ(base32_encode("fooba"), "MZXW6YTB");
  EXPECT_EQ(base32_encode("foobar"), "MZXW6YTBOI");
  EXPECT_EQ(base32_encode(kRfcSecret), "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
  EXPECT_EQ(base32_encode(generate_secret()).size(), 32u);  // 160 bits / 5 bits per symbol
}

TEST(Totp, OtpauthUriFollowsKeyUriFormat) {
  auto uri = otpauth_uri("Llave CDMX", "ana@example.mx", kRfcSecret);
  ASSERT_TRUE(uri.ok());
  EXPECT_EQ(*uri,
            "otpauth://totp/Llave%20CDMX:ana%40example.mx"
            "?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Llave%20CDMX"
            "&algorithm=SHA1&digits=6&period=30");
}

TEST(Totp, OtpauthUriPercentEncodesUtf8AndQuerySyntax) {
  // A crafted account must not be able to add or override parameters of the URI.
  auto uri = otpauth_uri("Ciudad de México", "josé&secret=AAAA#x+y?z/w", kRfcSecret);
  ASSERT_TRUE(uri.ok());
  EXPECT_EQ(uri->rfind("otpauth://totp/Ciudad%20de%20M%C3%A9xico:"
                       "jos%C3%A9%26secret%3DAAAA%23x%2By%3Fz%2Fw?secret=GEZD",
                       0),
            0u)
      << *uri;
  EXPECT_NE(uri->find("&issuer=Ciudad%20de%20M%C3%A9xico&"), std::string::npos);
  EXPECT_EQ(uri->find("secret=AAAA"), std::string::npos);
  EXPECT_EQ(uri->find(' '), std::string::npos);
  EXPECT_EQ(uri->find('+'), std::string::npos);
}

TEST(Totp, OtpauthUriRejectsColonsAndEmptyLabels) {
  EXPECT_EQ(otpauth_uri("Llave:CDMX", "ana", kRfcSecret).error().kind, ErrorKind::kInvalidInput);
  EXPECT_EQ(otpauth_uri("Llave", "ana:b", kRfcSecret).error().kind, ErrorKind::kInvalidInput);
  EXPECT_EQ(otpauth_uri("", "ana", kRfcSecret).error().kind, ErrorKind::kInvalidInput);
  EXPECT_EQ(otpauth_uri("Llave", "", kRfcSecret).error().kind, ErrorKind::kInvalidInput);
  EXPECT_FALSE(otpauth_uri("Llave", "ana", "").ok());
}

// A time in the middle of step 1000 and the code of `step`.
constexpr std::int64_t kNow = 1000 * 30 + 15;
std::string code_for_step(std::int64_t step) {
  return *code_at(kRfcSecret, step * 30);
}

TEST(Totp, WindowOfOneAcceptsTheNeighbouringStepsAndReportsWhichMatched) {
  for (std::int64_t step : {999, 1000, 1001}) {
    auto matched = verify(kRfcSecret, code_for_step(step), kNow);
    ASSERT_TRUE(matched.ok()) << step;
    EXPECT_EQ(*matched, step);
  }
}

TEST(Totp, StepsOutsideTheWindowAreRejected) {
  for (std::int64_t step : {997, 998, 1002, 1003}) {
    auto matched = verify(kRfcSecret, code_for_step(step), kNow);
    ASSERT_FALSE(matched.ok()) << step;
    EXPECT_EQ(matched.error().kind, ErrorKind::kUnauthorized);
    EXPECT_EQ(matched.error().user_key, "error.totp.invalid");
  }
}

TEST(Totp, WindowSizeIsHonoured) {
  EXPECT_TRUE(verify(kRfcSecret, code_for_step(1000), kNow, 0).ok());
  EXPECT_FALSE(verify(kRfcSecret, code_for_step(999), kNow, 0).ok());
  EXPECT_FALSE(verify(kRfcSecret, code_for_step(1001), kNow, 0).ok());
  EXPECT_EQ(*verify(kRfcSecret, code_for_step(998), kNow, 2), 998);
  EXPECT_EQ(*verify(kRfcSecret, code_for_step(1002), kNow, 2), 1002);
  EXPECT_EQ(*verify(kRfcSecret, code_for_step(990), kNow, kMaxWindow), 990);
  EXPECT_EQ(verify(kRfcSecret, code_for_step(1000), kNow, kMaxWindow + 1).error().kind,
            ErrorKind::kInternal);
}

TEST(Totp, WindowEdgesFollowStepBoundariesNotSeconds) {
  // The code of step 1 (times 30..59) stays valid through step 2 (60..89) and dies at 90.
  const std::string code = code_for_step(1);
  EXPECT_TRUE(verify(kRfcSecret, code, 0).ok());  // step 0: code is one step ahead
  EXPECT_TRUE(verify(kRfcSecret, code, 89).ok());
  EXPECT_FALSE(verify(kRfcSecret, code, 90).ok());
}

TEST(Totp, NearTheEpochNegativeStepsAreSkipped) {
  auto matched = verify(kRfcSecret, code_for_step(0), 5);
  ASSERT_TRUE(matched.ok());
  EXPECT_EQ(*matched, 0);
}

TEST(Totp, UsedCodeIsRejectedTheSecondTime) {
  const std::string code = code_for_step(1000);
  auto first = verify(kRfcSecret, code, kNow);
  ASSERT_TRUE(first.ok());
  auto second = verify(kRfcSecret, code, kNow + 5, 1, *first);
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.error().kind, ErrorKind::kUnauthorized);
  EXPECT_EQ(second.error().user_key, "error.totp.invalid");
  EXPECT_NE(second.error().detail.find("replay"), std::string::npos);
}

TEST(Totp, CodesOlderThanTheLastUsedStepAreRejected) {
  // After the step-1001 code was used, the still-in-window step-999 and step-1000 codes are dead.
  EXPECT_FALSE(verify(kRfcSecret, code_for_step(999), kNow, 1, 1001).ok());
  EXPECT_FALSE(verify(kRfcSecret, code_for_step(1000), kNow, 1, 1001).ok());
  EXPECT_FALSE(verify(kRfcSecret, code_for_step(1001), kNow, 1, 1001).ok());
}

TEST(Totp, LaterCodeIsAcceptedAfterAnEarlierOneWasUsed) {
  auto next = verify(kRfcSecret, code_for_step(1001), kNow, 1, 1000);
  ASSERT_TRUE(next.ok());
  EXPECT_EQ(*next, 1001);
  auto current = verify(kRfcSecret, code_for_step(1000), kNow, 1, 999);
  ASSERT_TRUE(current.ok());
  EXPECT_EQ(*current, 1000);
}

TEST(Totp, WrongCodeOrWrongSecretIsRejected) {
  const std::string right = code_for_step(1000);
  std::string wrong = right;
  wrong[5] = wrong[5] == '9' ? '0' : static_cast<char>(wrong[5] + 1);
  EXPECT_EQ(verify(kRfcSecret, wrong, kNow).error().kind, ErrorKind::kUnauthorized);
  EXPECT_EQ(verify("another secret of 20b", right, kNow).error().kind, ErrorKind::kUnauthorized);
}

TEST(Totp, MalformedCodesAreRejectedBeforeAnyComparison) {
  const std::string good = code_for_step(1000);
  const std::string malformed[] = {
      "",
      "12345",
      "1234567",
      good + "0",
      " " + good.substr(1),
      good.substr(0, 5) + "a",
      good.substr(0, 3) + " " + good.substr(4),
      "+12345",
      "-12345",
      "12345\n",
      std::string("12345\0", 6),
      "\xef\xbc\x91\xef\xbc\x92",  // full-width digits: not ASCII
      "١٢٣٤٥٦",                    // Arabic-Indic digits
  };
  for (const auto& code : malformed) {
    auto result = verify(kRfcSecret, code, kNow);
    ASSERT_FALSE(result.ok()) << code;
    EXPECT_EQ(result.error().kind, ErrorKind::kInvalidInput) << code;
    EXPECT_EQ(result.error().user_key, "error.totp.malformed") << code;
  }
}

TEST(Totp, FreshSecretRoundTripsThroughVerify) {
  const std::string secret = generate_secret();
  const std::int64_t now = 1767225600;  // 2026-01-01T00:00:00Z
  auto step = verify(secret, *code_at(secret, now), now);
  ASSERT_TRUE(step.ok());
  EXPECT_EQ(*step, time_step(now));
}

}  // namespace
}  // namespace zocalo::identity::totp
