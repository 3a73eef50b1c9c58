#include "platform/core/crypto.hpp"

#include <gtest/gtest.h>

#include <string>

namespace zocalo::crypto {
namespace {

TEST(CryptoBase64urlTest, DecodesTheUrlSafeAlphabetWithoutPadding) {
  EXPECT_EQ(base64url_decode("QUJDREVGR0g"), "ABCDEFGH");
  EXPECT_EQ(base64url_decode("-_8"), std::string("\xfb\xff", 2));
  EXPECT_EQ(base64url_decode(""), "");
}

TEST(CryptoBase64urlTest, RefusesEveryByteOutsideTheAlphabet) {
  // libsodium 1.0.18 reads 0x80-0xFF as '_'; none of them, nor '+', '/', '=' or spaces, may pass.
  for (int c = 0; c < 256; ++c) {
    const bool alphabet = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                          (c >= '0' && c <= '9') || c == '-' || c == '_';
    if (alphabet) continue;
    std::string text = "QUJD";
    text[3] = static_cast<char>(c);
    EXPECT_FALSE(base64url_decode(text)) << "byte " << c;
  }
}

TEST(CryptoBase64urlTest, RefusesNonCanonicalTrailingBits) {
  // "QUI" is "AB"; "QUJ" differs only in bits that the encoding drops (RFC 4648 §3.5).
  EXPECT_EQ(base64url_decode("QUI"), "AB");
  EXPECT_FALSE(base64url_decode("QUJ"));
  EXPECT_FALSE(base64url_decode("Q"));  // a lone sextet is never a whole byte
}

TEST(CryptoTest, EncodeDecodeRoundTripAndRandomTokens) {
  const std::string bytes = random_bytes(64);
  EXPECT_EQ(base64url_decode(base64url_encode(bytes)), bytes);
  EXPECT_EQ(random_token(32).size(), 43u);
  EXPECT_NE(random_token(), random_token());
}

TEST(CryptoTest, HashesAndHmacMatchPublishedVectors) {
  // FIPS 180-2 "abc"; RFC 4231 test case 2.
  EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(hex_encode(hmac_sha256("Jefe", "what do ya want for nothing?")),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

TEST(CryptoTest, ConstantTimeEqualComparesWholeStrings) {
  EXPECT_TRUE(constant_time_equal("", ""));
  EXPECT_TRUE(constant_time_equal("token", "token"));
  EXPECT_FALSE(constant_time_equal("token", "tokem"));
  EXPECT_FALSE(constant_time_equal("token", "token2"));
}

}  // namespace
}  // namespace zocalo::crypto
