#include "requests/model/request_intake.hpp"

#include <gtest/gtest.h>

#include <string>

namespace zocalo::requests {
namespace {

TEST(RequestIntakeTest, EmailsAreCheckedAndTheDomainLowerCased) {
  EXPECT_EQ(*check_email("  Vecina.Uno+311@Example.ORG "), "Vecina.Uno+311@example.org");
  for (const char* bad :
       {"", "no-at-sign", "@example.org", "a@", "a@localhost", "a..b@example.org", ".a@example.org",
        "a@-example.org", "a@example-.org", "a@exa mple.org",
        "a'; DROP TABLE service_requests;--@x.org", "<script>@example.org", "a@example.org<b>"}) {
    EXPECT_FALSE(check_email(bad)) << bad;
  }
  EXPECT_FALSE(check_email(std::string(250, 'a') + "@example.org"));
}

TEST(RequestIntakeTest, PhonesNeedEightToFifteenDigits) {
  EXPECT_EQ(*check_phone(" +52 55 5658-1111 "), "+52 55 5658-1111");
  EXPECT_TRUE(check_phone("(55) 5658.1111"));
  EXPECT_FALSE(check_phone("1234567"));
  EXPECT_FALSE(check_phone("1234567890123456"));
  EXPECT_FALSE(check_phone("55 1234 5678'; --"));
  EXPECT_FALSE(check_phone("55+12345678"));
}

TEST(RequestIntakeTest, PersonNamesRefuseMarkupAndControls) {
  EXPECT_EQ(*check_person_name("first_name", " María José "), "María José");
  EXPECT_TRUE(check_person_name("last_name", "O'Higgins-Pérez"));
  EXPECT_FALSE(check_person_name("first_name", "<b>Ana</b>"));
  EXPECT_FALSE(check_person_name("first_name", "Ana\x01"));
  EXPECT_FALSE(check_person_name("first_name", "x; DROP TABLE y"));
  EXPECT_FALSE(check_person_name("first_name", std::string(101, 'a')));
  const auto error = check_person_name("last_name", "<i>");
  EXPECT_EQ(error.error().detail.rfind("last_name:", 0), 0u);
  EXPECT_EQ(error.error().detail.find("<i>"), std::string::npos) << "never quotes the input";
}

TEST(RequestIntakeTest, IdentifiersAreShortTokens) {
  EXPECT_TRUE(check_identifier("device_id", "android:1f2e-3D_4.a@x"));
  EXPECT_FALSE(check_identifier("device_id", "a b"));
  EXPECT_FALSE(check_identifier("account_id", "1 OR 1=1"));
  EXPECT_FALSE(check_identifier("account_id", std::string(65, 'a')));
}

TEST(RequestIntakeTest, FreeTextKeepsMarkupButCountsCharactersAndRefusesControls) {
  EXPECT_EQ(*check_free_text("description", "  <b>hoyo</b>\r\nenorme ", 4000),
            "<b>hoyo</b>\nenorme");
  EXPECT_TRUE(check_free_text("description", std::string(4000, 'a'), 4000));
  EXPECT_FALSE(check_free_text("description", std::string(4001, 'a'), 4000));
  std::string accents;
  for (int i = 0; i < 4000; ++i) accents += "á";  // 8,000 bytes, 4,000 characters
  EXPECT_TRUE(check_free_text("description", accents, 4000));
  EXPECT_FALSE(check_free_text("description", accents + "á", 4000));
  EXPECT_FALSE(check_free_text("description", "bad\x07", 4000));
  EXPECT_FALSE(check_free_text("description", "\xC3\x28", 4000));
  EXPECT_TRUE(check_free_text("description", "tab\tand\nline", 4000));
}

TEST(RequestIntakeTest, MediaUrlsAreAbsoluteHttp) {
  EXPECT_TRUE(check_media_url("https://fotos.example.org/a/b.jpg?x=1"));
  EXPECT_FALSE(check_media_url("javascript:alert(1)"));
  EXPECT_FALSE(check_media_url("https://x.org/\"><script>"));
  EXPECT_FALSE(check_media_url("ftp://x.org/a"));
  EXPECT_FALSE(check_media_url("https:///path"));
  EXPECT_FALSE(check_media_url("https://x.org/" + std::string(2000, 'a')));
}

TEST(RequestIntakeTest, DegreesAreDecimalOnly) {
  EXPECT_DOUBLE_EQ(*parse_degrees("19.4326"), 19.4326);
  EXPECT_DOUBLE_EQ(*parse_degrees("-99.1332"), -99.1332);
  EXPECT_DOUBLE_EQ(*parse_degrees("+19"), 19);
  for (const char* bad : {"", "NaN", "nan", "inf", "-Infinity", "1e2", "0x10", "19,43", "19.4.3",
                          "-", ".", "1 9", "19.4326; DROP TABLE x"}) {
    EXPECT_FALSE(parse_degrees(bad)) << bad;
  }
}

TEST(RequestIntakeTest, AttributesAreStoredAsCodeAndValues) {
  EXPECT_EQ(attributes_to_json({{"residuos", AttributeDatatype::kMultiValueList, {"a", "b"}},
                                {"n", AttributeDatatype::kNumber, {"3"}}}),
            R"([{"code":"residuos","values":["a","b"]},{"code":"n","values":["3"]}])");
  EXPECT_EQ(attributes_to_json({}), "[]");
}

}  // namespace
}  // namespace zocalo::requests
