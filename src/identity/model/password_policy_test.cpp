#include "identity/model/password_policy.hpp"

#include <gtest/gtest.h>

#include <array>
#include <string>
#include <string_view>

#include "platform/core/assets.hpp"

namespace zocalo::identity {
namespace {

struct Case {
  std::string password;
  std::string_view key;  // empty: accepted
};

void expect_cases(const Case* begin, const Case* end, const PasswordContext& context = {}) {
  for (const Case* c = begin; c != end; ++c) {
    SCOPED_TRACE(c->password);
    auto st = check_password(c->password, context);
    if (c->key.empty()) {
      EXPECT_TRUE(st) << st.error().user_key << ": " << st.error().detail;
    } else {
      ASSERT_FALSE(st);
      EXPECT_EQ(st.error().kind, ErrorKind::kInvalidInput);
      EXPECT_EQ(st.error().user_key, c->key) << st.error().detail;
    }
  }
}

template <std::size_t N>
void expect_cases(const std::array<Case, N>& cases, const PasswordContext& context = {}) {
  expect_cases(cases.data(), cases.data() + N, context);
}

TEST(PasswordPolicyTest, AcceptsPasswordsWithoutCompositionRules) {
  // §5.1.1.2: no rules about mixing character classes; all lower case or all letters is fine.
  const std::array<Case, 7> cases = {{
      {"tortuga de chapultepec", ""},
      {"ajolotesazules", ""},
      {"Xochimilco trajinera 7", ""},
      {"cuatro palabras al azar", ""},
      {"nopal-verde-lunes", ""},
      {"ñandú pequeño", ""},       // non-ASCII letters are welcome
      {"熊猫喜欢竹子和米饭", ""},  // 9 code points, 27 bytes
  }};
  expect_cases(cases);
}

TEST(PasswordPolicyTest, LengthIsCountedInCodePoints) {
  const std::array<Case, 8> cases = {{
      {"", "identity.password.too_short"},
      {"gato!", "identity.password.too_short"},
      {"tlacoyo", "identity.password.too_short"},                // 7
      {"tlacoyos", ""},                                          // 8
      {"ñañañañ", "identity.password.too_short"},                // 7 code points, 14 bytes
      {"cañón!7x", ""},                                          // 8 code points, 10 bytes
      {std::string(256, 'q') + "", "identity.password.common"},  // 256: length fine, repetitive
      {std::string(257, 'q'), "identity.password.too_long"},
  }};
  expect_cases(cases);
}

TEST(PasswordPolicyTest, AcceptsExactlyTheMaximumLength) {
  std::string phrase;
  while (phrase.size() < kPasswordMaxChars) phrase += "chile en nogada ";
  phrase.resize(kPasswordMaxChars);
  EXPECT_TRUE(check_password(phrase));
  EXPECT_EQ(check_password(phrase + "x").error().user_key, "identity.password.too_long");
  // 128 two-byte characters and 128 ASCII letters, 384 bytes: fine. A huge input is refused
  // before it is decoded.
  std::string accents;
  for (int i = 0; i < 128; ++i) accents += "á" + std::string(1, static_cast<char>('a' + i % 26));
  EXPECT_TRUE(check_password(accents));
  EXPECT_EQ(check_password(std::string(1 << 20, 'a')).error().user_key,
            "identity.password.too_long");
}

TEST(PasswordPolicyTest, InvalidUtf8IsRejected) {
  const std::array<Case, 7> cases = {{
      {"contrase\xF1"
       "a123",
       "identity.password.invalid"},                              // Latin-1 ñ
      {"abcdefgh\xC3", "identity.password.invalid"},              // truncated sequence
      {"abcdefgh\xC0\xAF", "identity.password.invalid"},          // overlong '/'
      {"abcdefgh\xE0\x80\xAF", "identity.password.invalid"},      // overlong, 3 bytes
      {"abcdefgh\xED\xA0\x80", "identity.password.invalid"},      // UTF-16 surrogate
      {"abcdefgh\xF4\x90\x80\x80", "identity.password.invalid"},  // past U+10FFFF
      {"abcdefgh\x80xyz", "identity.password.invalid"},           // stray continuation
  }};
  expect_cases(cases);
}

TEST(PasswordPolicyTest, CommonPasswordsAreRejectedWhateverTheirCase) {
  const std::array<Case, 7> cases = {{
      {"password", "identity.password.common"},
      {"PASSWORD", "identity.password.common"},
      {"PassWord", "identity.password.common"},
      {"iloveyou", "identity.password.common"},
      {"football", "identity.password.common"},
      {"sunshine", "identity.password.common"},
      {"trustno1", "identity.password.common"},
  }};
  expect_cases(cases);
}

TEST(PasswordPolicyTest, TrivialVariationsOfCommonPasswordsAreRejected) {
  const std::array<Case, 6> cases = {{
      {"password2024", "identity.password.common"},
      {"Password!", "identity.password.common"},
      {"monkey1987", "identity.password.common"},
      {"123dragon!", "identity.password.common"},
      {"Sunshine2023!", "identity.password.common"},
      {"abc12345678", ""},  // "abc" is too short a core to call this a variation
  }};
  expect_cases(cases);
}

TEST(PasswordPolicyTest, RepeatedCharactersAndSequencesAreRejected) {
  const std::array<Case, 14> cases = {{
      {"aaaaaaaa", "identity.password.common"},
      {"77777777777", "identity.password.common"},
      {"ññññññññ", "identity.password.common"},
      {"12121212", "identity.password.common"},
      {"abcabcabc", "identity.password.common"},
      {"12345678", "identity.password.common"},
      {"87654321", "identity.password.common"},
      {"abcdefgh", "identity.password.common"},
      {"ABCDEFGHIJ", "identity.password.common"},
      {"zyxwvuts", "identity.password.common"},
      {"qwertyuiop", "identity.password.common"},
      {"asdfghjklñ", "identity.password.common"},
      {"abcd2024!", "identity.password.common"},  // a sequence with a year on it
      {"abcdefgz", ""},                           // breaks the run: not a sequence
  }};
  expect_cases(cases);
}

TEST(PasswordPolicyTest, ServiceNamesAreContextWords) {
  const std::array<Case, 6> cases = {{
      {"zocalo es la plaza mayor", ""},  // containing one is not being one
      {"Zócalo2024!", "identity.password.context"},
      {"ZOCALO123", "identity.password.context"},
      {"llave12345", "identity.password.context"},
      {"LlaveCDMX", "identity.password.context"},
      {"cdmx2026!!", "identity.password.context"},
  }};
  expect_cases(cases);
}

TEST(PasswordPolicyTest, AccountDetailsAreContextWords) {
  const std::array<std::string_view, 2> names = {"María José", "Pérez de la Cruz"};
  const PasswordContext context{
      .email = "mj.perez85+zocalo@example.mx",
      .curp = "HEGG560427MVZRRL04",
      .phone = "+52 55 1234 5678",
      .names = names,
  };
  const std::array<Case, 18> cases = {{
      {"mj.perez85+zocalo", "identity.password.context"},  // the whole local part
      {"mj.perez85", "identity.password.context"},         // without the sub-address
      {"MJ.Perez2024", "identity.password.context"},
      {"perez1985", "identity.password.context"},           // a piece of the address
      {"hegg560427mvzrrl04", "identity.password.context"},  // the CURP
      {"HEGG560427MVZRRL", "identity.password.context"},
      {"HEGG560427", "identity.password.context"},  // initials + birth date
      {"5512345678", "identity.password.context"},
      {"+52 55 1234 5678", "identity.password.context"},
      {"044-55-1234-5678", "identity.password.context"},
      {"maria1234", "identity.password.context"},  // accents do not matter
      {"MARÍA2000!", "identity.password.context"},
      {"mariajose07", "identity.password.context"},  // a full given name, spaces dropped
      {"PerezDeLaCruz1999", "identity.password.context"},
      {"Cruz!!2024", "identity.password.context"},
      // Containing a context word is not the same as being one.
      {"maria vive en coyoacan", ""},
      {"5512345678 es mi numero", ""},
      {"pan de muerto con chocolate", ""},
  }};
  expect_cases(cases, context);
}

TEST(PasswordPolicyTest, ShortContextPiecesAreIgnored) {
  // "Li" and "jp" are too short to stand for the resident; only whole words are checked.
  const std::array<std::string_view, 1> names = {"Li"};
  const PasswordContext context{.email = "jp@example.mx", .names = names};
  const std::array<Case, 2> cases = {{{"li123456789", ""}, {"jp20242025", ""}}};
  expect_cases(cases, context);
}

TEST(PasswordPolicyTest, ErrorDetailsNeverContainThePassword) {
  const std::array<std::string_view, 1> names = {"Guadalupe"};
  const PasswordContext context{.email = "lupita@example.mx", .names = names};
  for (std::string_view pw :
       {"guadalupe1", "lupita2024", "password123", "qwertyuiop", "corto", "invalid\xFFutf8"}) {
    auto st = check_password(pw, context);
    ASSERT_FALSE(st) << pw;
    EXPECT_EQ(st.error().detail.find(pw), std::string::npos) << st.error().detail;
    EXPECT_EQ(st.error().detail.find("guadalupe"), std::string::npos) << st.error().detail;
    EXPECT_EQ(st.error().detail.find("lupita"), std::string::npos) << st.error().detail;
  }
}

TEST(PasswordPolicyTest, BundledListIsEmbeddedLowerCaseAndSmall) {
  const auto list = assets::find("data/identity/common-passwords.txt");
  ASSERT_TRUE(list);
  EXPECT_GT(list->size(), 10'000u);
  EXPECT_LT(list->size(), 200'000u);
  for (char c : *list) ASSERT_FALSE(c >= 'A' && c <= 'Z') << "upper case in the list";
  EXPECT_NE(list->find("\npassword\n"), std::string_view::npos);
}

}  // namespace
}  // namespace zocalo::identity
