#include "identity/model/curp.hpp"

#include <gtest/gtest.h>

#include <string>
#include <string_view>

namespace zocalo::identity {
namespace {

using std::chrono::day;
using std::chrono::month;
using std::chrono::year;
using std::chrono::year_month_day;

// The check digit computed independently of curp.cpp, straight from the Instructivo's table:
// positions in "0123456789ABCDEFGHIJKLMNÑOPQRSTUVWXYZ" ('&' stands in for the two-byte Ñ),
// weighted 18 down to 2.
std::string with_check_digit(std::string_view first17) {
  constexpr std::string_view kAlphabet = "0123456789ABCDEFGHIJKLMN&OPQRSTUVWXYZ";
  int sum = 0;
  for (std::size_t i = 1; i <= 17; ++i) {
    sum += static_cast<int>(kAlphabet.find(first17[i - 1])) * static_cast<int>(19 - i);
  }
  return std::string(first17) + static_cast<char>('0' + (10 - sum % 10) % 10);
}

year_month_day ymd(int y, unsigned m, unsigned d) {
  return year_month_day{year{y}, month{m}, day{d}};
}

struct ValidCase {
  std::string curp;
  year_month_day birth_date;
  Sex sex;
  std::string_view state;
};

TEST(CurpTest, AcceptsWellFormedCurps) {
  const ValidCase cases[] = {
      // Published examples, checked against the algorithm: RENAPO's own sample CURP and the
      // doctest of python-stdnum's mx.curp (born abroad).
      {"HEGG560427MVZRRL04", ymd(1956, 4, 27), Sex::kFemale, "VZ"},
      {"BOXW310820HNERXN09", ymd(1931, 8, 20), Sex::kMale, "NE"},
      // Made up, check digit from the helper above.
      {with_check_digit("GOMA850212HDFNRN0"), ymd(1985, 2, 12), Sex::kMale, "DF"},
      {with_check_digit("PEGL020430MJCRNSA"), ymd(2002, 4, 30), Sex::kFemale, "JC"},
      {with_check_digit("RXXA991231XNERRR1"), ymd(1999, 12, 31), Sex::kNonBinary, "NE"},
      {with_check_digit("LOPE000101HMCPRZB"), ymd(2000, 1, 1), Sex::kMale, "MC"},
      {with_check_digit("SAXT230915XDFNXW0"), ymd(1923, 9, 15), Sex::kNonBinary, "DF"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.curp);
    auto parsed = parse_curp(c.curp);
    ASSERT_TRUE(parsed) << parsed.error().user_key << ": " << parsed.error().detail;
    EXPECT_EQ(parsed->value, c.curp);
    EXPECT_EQ(parsed->birth_date, c.birth_date);
    EXPECT_EQ(parsed->sex, c.sex);
    EXPECT_EQ(parsed->state, c.state);
    EXPECT_EQ(parsed->born_abroad(), c.state == "NE");
  }
}

TEST(CurpTest, LowerCaseAndSurroundingSpaceAreNormalised) {
  auto parsed = parse_curp("  hegg560427mvzrrl04\r\n");
  ASSERT_TRUE(parsed);
  EXPECT_EQ(parsed->value, "HEGG560427MVZRRL04");
  EXPECT_TRUE(parse_curp("BoXw310820hNeRxN09"));
}

TEST(CurpTest, EveryStateCodeAndBornAbroadAreAccepted) {
  for (std::string_view state :
       {"AS", "BC", "BS", "CC", "CL", "CM", "CS", "CH", "DF", "DG", "GT",
        "GR", "HG", "JC", "MC", "MN", "MS", "NT", "NL", "OC", "PL", "QT",
        "QR", "SP", "SL", "SR", "TC", "TS", "TL", "VZ", "YN", "ZS", "NE"}) {
    const std::string curp = with_check_digit("HEGG560427M" + std::string(state) + "RRL0");
    auto parsed = parse_curp(curp);
    ASSERT_TRUE(parsed) << curp;
    EXPECT_EQ(parsed->state, state);
  }
}

TEST(CurpTest, PositionSeventeenFixesTheCentury) {
  // The same YYMMDD read as 1905 or 2005: a digit means born before 2000, a letter from 2000 on.
  auto old = parse_curp(with_check_digit("GOMA050101HDFNRN0"));
  auto young = parse_curp(with_check_digit("GOMA050101HDFNRNA"));
  ASSERT_TRUE(old);
  ASSERT_TRUE(young);
  EXPECT_EQ(old->birth_date, ymd(1905, 1, 1));
  EXPECT_EQ(young->birth_date, ymd(2005, 1, 1));
}

TEST(CurpTest, FebruaryTwentyNinthOnlyInLeapYears) {
  struct Case {
    std::string first17;
    bool valid;
  };
  const Case cases[] = {
      {"GOMA960229HDFNRN0", true},   // 1996: leap
      {"GOMA970229HDFNRN0", false},  // 1997
      {"GOMA000229HDFNRNA", true},   // 2000: divisible by 400, leap
      {"GOMA000229HDFNRN0", false},  // 1900: divisible by 100, not leap
      {"GOMA010229HDFNRNA", false},  // 2001
      {"GOMA240229MDFNRNA", true},   // 2024
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.first17);
    auto parsed = parse_curp(with_check_digit(c.first17));
    EXPECT_EQ(parsed.ok(), c.valid);
    if (!c.valid) {
      EXPECT_EQ(parsed.error().user_key, "identity.curp.date");
    }
  }
}

struct InvalidCase {
  std::string curp;
  std::string_view key;
};

TEST(CurpTest, EachBrokenRuleHasItsOwnKey) {
  const InvalidCase cases[] = {
      {"", "identity.curp.length"},
      {"   ", "identity.curp.length"},
      {"HEGG560427MVZRRL0", "identity.curp.length"},
      {"HEGG560427MVZRRL045", "identity.curp.length"},
      {"HEGG 560427MVZRRL04", "identity.curp.length"},
      {"HEGG-560427-MVZRRL-04", "identity.curp.length"},
      // 18 characters but one is two bytes: RENAPO never writes Ñ.
      {"ÑEGG560427MVZRRL04", "identity.curp.format"},
      {with_check_digit("1EGG560427MVZRRL0"), "identity.curp.format"},  // position 1 not a letter
      {with_check_digit("HBGG560427MVZRRL0"), "identity.curp.format"},  // position 2 no vowel
      {with_check_digit("HE9G560427MVZRRL0"), "identity.curp.format"},
      {with_check_digit("HEGG56O427MVZRRL0"), "identity.curp.format"},  // letter O in the date
      {with_check_digit("HEGG560427MVZARL0"), "identity.curp.format"},  // vowel at position 14
      {with_check_digit("HEGG560427MVZRR10"), "identity.curp.format"},  // digit at position 16
      {"HEGG560427MVZRRL-4", "identity.curp.format"},                   // position 17
      {"HEGG560427MVZRRL0A", "identity.curp.format"},                   // position 18 a letter
      {with_check_digit("HEGG560427FVZRRL0"), "identity.curp.sex"},
      {with_check_digit("HEGG5604271VZRRL0"), "identity.curp.sex"},
      {with_check_digit("HEGG560427MXXRRL0"), "identity.curp.state"},
      {with_check_digit("HEGG560427MCXRRL0"), "identity.curp.state"},
      {with_check_digit("HEGG560427M12RRL0"), "identity.curp.state"},
      {with_check_digit("HEGG561327MVZRRL0"), "identity.curp.date"},  // month 13
      {with_check_digit("HEGG560027MVZRRL0"), "identity.curp.date"},  // month 00
      {with_check_digit("HEGG560400MVZRRL0"), "identity.curp.date"},  // day 00
      {with_check_digit("HEGG560431MVZRRL0"), "identity.curp.date"},  // 31 April
      {with_check_digit("HEGG560132MVZRRL0"), "identity.curp.date"},  // 32 January
      {"HEGG560427MVZRRL05", "identity.curp.check_digit"},
      {"BOXW310820HNERXN08", "identity.curp.check_digit"},
      {"HEGG560427MVZRRL14", "identity.curp.check_digit"},  // homoclave changed
      {"HEGG650427MVZRRL04", "identity.curp.check_digit"},  // transposed digits
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.curp);
    auto parsed = parse_curp(c.curp);
    ASSERT_FALSE(parsed);
    EXPECT_EQ(parsed.error().kind, ErrorKind::kInvalidInput);
    EXPECT_EQ(parsed.error().user_key, c.key);
    EXPECT_FALSE(parsed.error().detail.empty());
  }
}

TEST(CurpTest, ErrorDetailDoesNotRepeatTheKey) {
  auto parsed = parse_curp("HEGG560427MVZRRL05");
  ASSERT_FALSE(parsed);
  EXPECT_EQ(parsed.error().detail.find("HEGG560427"), std::string::npos);
}

TEST(CurpTest, DeclaredBirthDateMustMatch) {
  auto curp = parse_curp("HEGG560427MVZRRL04");
  ASSERT_TRUE(curp);
  EXPECT_TRUE(check_birth_date(*curp, 1956, 4, 27));

  struct Case {
    int y;
    unsigned m, d;
  };
  const Case mismatches[] = {
      {1956, 4, 28},
      {1956, 5, 27},
      {2056, 4, 27},          // right YYMMDD, wrong century
      {1956, 2, 30},          // no date at all
      {0, 4, 27},             // out of range
      {1956 + 65536, 4, 27},  // would wrap around into 1956 in std::chrono::year's 16 bits
      {1956, 4 + 256, 27},    // would wrap around into April in std::chrono::month's 8 bits
      {1956, 4, 27 + 256},
  };
  for (const auto& c : mismatches) {
    SCOPED_TRACE(std::to_string(c.y) + "-" + std::to_string(c.m) + "-" + std::to_string(c.d));
    auto st = check_birth_date(*curp, c.y, c.m, c.d);
    ASSERT_FALSE(st);
    EXPECT_EQ(st.error().user_key, "identity.curp.birth_date_mismatch");
  }
}

TEST(CurpTest, BirthDateCheckUsesTheCenturyFromPositionSeventeen) {
  auto curp = parse_curp(with_check_digit("GOMA050101HDFNRNA"));
  ASSERT_TRUE(curp);
  EXPECT_TRUE(check_birth_date(*curp, 2005, 1, 1));
  EXPECT_FALSE(check_birth_date(*curp, 1905, 1, 1));
}

}  // namespace
}  // namespace zocalo::identity
