#include "identity/model/account.hpp"

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace zocalo::identity {
namespace {

TEST(LevelOfAssuranceTest, AcrNamesTheLevel) {
  EXPECT_EQ(acr(LevelOfAssurance::kUnverified), "urn:zocalo:loa:0");
  EXPECT_EQ(acr(LevelOfAssurance::kContactVerified), "urn:zocalo:loa:1");
  EXPECT_EQ(acr(LevelOfAssurance::kCurpValidated), "urn:zocalo:loa:2");
  EXPECT_EQ(acr(LevelOfAssurance::kInPerson), "urn:zocalo:loa:3");
}

TEST(LevelOfAssuranceTest, AcrParsesBackAndRejectsOthers) {
  EXPECT_EQ(level_from_acr("urn:zocalo:loa:2"), LevelOfAssurance::kCurpValidated);
  EXPECT_EQ(level_from_acr("urn:zocalo:loa:4"), std::nullopt);
  EXPECT_EQ(level_from_acr("urn:zocalo:loa:"), std::nullopt);
  EXPECT_EQ(level_from_acr("urn:zocalo:loa:22"), std::nullopt);
  EXPECT_EQ(level_from_acr("urn:other:loa:2"), std::nullopt);
  EXPECT_EQ(level_from_int(-1), std::nullopt);
  EXPECT_EQ(level_from_int(3), LevelOfAssurance::kInPerson);
}

TEST(AccountStatusTest, RoundTrips) {
  for (auto s : {AccountStatus::kActive, AccountStatus::kLocked, AccountStatus::kClosed}) {
    EXPECT_EQ(parse_account_status(to_string(s)), s);
  }
  EXPECT_EQ(parse_account_status("Active"), std::nullopt);
}

TEST(NormalizeEmailTest, LowerCasesAndTrims) {
  auto e = normalize_email("  Ana.Lopez@CDMX.gob.MX ");
  ASSERT_TRUE(e);
  EXPECT_EQ(*e, "ana.lopez@cdmx.gob.mx");
  auto utf = normalize_email("JOSÉ@correo.mx");  // only ASCII letters change case
  ASSERT_TRUE(utf);
  EXPECT_EQ(*utf, "josÉ@correo.mx");
}

TEST(NormalizeEmailTest, RejectsMalformed) {
  const std::string too_long = std::string(64, 'a') + "@" + std::string(186, 'b') + ".mx";
  ASSERT_EQ(too_long.size(), 254u);
  EXPECT_TRUE(normalize_email(too_long));
  for (const std::string& bad :
       {std::string(""), std::string("ana"), std::string("@x.mx"), std::string("a@@x.mx"),
        std::string("a@b@x.mx"), std::string("a b@x.mx"), std::string("a@x.mx\r\nBcc: y@z.mx"),
        std::string("a\n@x.mx"), std::string("a@localhost"), std::string("a@.x.mx"),
        std::string("a@x..mx"), std::string("a@x.mx."), std::string(65, 'a') + "@x.mx",
        too_long + "m", std::string("a\xff@x.mx")}) {
    auto e = normalize_email(bad);
    EXPECT_FALSE(e) << bad;
    if (!e) {
      EXPECT_EQ(e.error().user_key, "identity.email.invalid");
    }
  }
}

TEST(NormalizePhoneTest, AcceptsE164WithTypedSeparators) {
  auto p = normalize_phone("+52 (55) 1234-5678");
  ASSERT_TRUE(p);
  EXPECT_EQ(*p, "+525512345678");
  for (const char* bad : {"5512345678", "+0123456789", "+52 55 abc", "+1234567", "",
                          "+5255123456789012", "+52\n5512345678"}) {
    auto r = normalize_phone(bad);
    EXPECT_FALSE(r) << bad;
    if (!r) {
      EXPECT_EQ(r.error().user_key, "identity.phone.invalid");
    }
  }
}

TEST(NewSubjectTest, IsRandomBase64UrlOf22Chars) {
  std::set<std::string> seen;
  for (int i = 0; i < 100; ++i) {
    const std::string s = new_subject();
    ASSERT_EQ(s.size(), 22u);
    for (char c : s) {
      EXPECT_TRUE((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                  c == '-' || c == '_')
          << s;
    }
    seen.insert(s);
  }
  EXPECT_EQ(seen.size(), 100u);
}

TEST(FoldForSearchTest, FoldsCaseAccentsAndSpaces) {
  EXPECT_EQ(fold_for_search("  José   Núñez "), "jose nunez");
  EXPECT_EQ(fold_for_search("ÁÉÍÓÚÜÑ áéíóúüñ"), "aeiouun aeiouun");
  EXPECT_EQ(fold_for_search("Jose\xCC\x81"), "jose");  // decomposed é (e + U+0301)
  EXPECT_EQ(fold_for_search("MARÍA\tDE LA\u00a0O"), "maria de la o");
  EXPECT_EQ(fold_for_search("Łukasz"), "Łukasz");  // outside Latin-1: kept as written
  EXPECT_EQ(fold_for_search(""), "");
}

}  // namespace
}  // namespace zocalo::identity
