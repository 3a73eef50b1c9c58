#include "identity/routes/llave_common.hpp"

#include <gtest/gtest.h>

namespace zocalo::identity::llave {
namespace {

TEST(LlaveCommonTest, IdentifiersAreEmailsOrPhonesAndAlwaysHaveABucket) {
  const Identifier email = parse_identifier(" Ana@Example.MX ");
  EXPECT_TRUE(email.is_email);
  EXPECT_EQ(email.normalised, "ana@example.mx");
  EXPECT_EQ(email.bucket, identifier_bucket("ana@example.mx"));
  // However it is typed, one address is one bucket.
  EXPECT_EQ(parse_identifier("ana@example.mx").bucket, email.bucket);

  const Identifier phone = parse_identifier("+52 55 1234 5678");
  EXPECT_FALSE(phone.is_email);
  EXPECT_EQ(phone.normalised, "+525512345678");
  EXPECT_EQ(phone.bucket, parse_identifier("+52-55-1234-5678").bucket);

  // Neither: no account can have it, but it is still throttled.
  const Identifier junk = parse_identifier("not a thing");
  EXPECT_TRUE(junk.normalised.empty());
  EXPECT_EQ(junk.bucket.size(), 64u);
  EXPECT_NE(junk.bucket, email.bucket);
}

TEST(LlaveCommonTest, NextOnlyForLocalPaths) {
  EXPECT_EQ(safe_next("/mi-llave/seguridad?x=1"), "/mi-llave/seguridad?x=1");
  EXPECT_EQ(safe_next(""), "/mi-llave");
  EXPECT_EQ(safe_next("https://evil.example"), "/mi-llave");
  EXPECT_EQ(safe_next("//evil.example"), "/mi-llave");
  EXPECT_EQ(safe_next("/\\evil.example"), "/mi-llave");
  EXPECT_EQ(safe_next("/x\r\nLocation: //evil.example"), "/mi-llave");
}

TEST(LlaveCommonTest, FillReplacesEveryMarker) {
  EXPECT_EQ(fill("a {{code}} b {{code}}", "code", "123"), "a 123 b 123");
  EXPECT_EQ(fill("no marker", "code", "123"), "no marker");
  // A value holding a marker is not expanded again.
  EXPECT_EQ(fill("{{link}}", "link", "{{link}}"), "{{link}}");
}

TEST(LlaveCommonTest, FieldsAreCutAtAUtf8Boundary) {
  http::FormData form;
  form.add("n", std::string(10, 'a') + "ñ");
  EXPECT_EQ(field(form, "n", 11), std::string(10, 'a'));
  EXPECT_EQ(field(form, "n", 12), std::string(10, 'a') + "ñ");
  EXPECT_EQ(field(form, "missing"), "");
}

}  // namespace
}  // namespace zocalo::identity::llave
