#include "identity/model/key_encryption.hpp"

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>

#include "platform/core/crypto.hpp"

namespace zocalo::identity {
namespace {

constexpr std::string_view kKid = "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs";
constexpr std::string_view kPem =
    "-----BEGIN PRIVATE KEY-----\nMIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg\n"
    "-----END PRIVATE KEY-----\n";

TEST(KeyEncryptionTest, SealedKeyOpensToThePlaintext) {
  const KeyEncryption enc(crypto::random_bytes(32));
  const std::string sealed = enc.seal(kKid, kPem);
  EXPECT_TRUE(sealed.starts_with("v1."));
  EXPECT_EQ(sealed.find("PRIVATE KEY"), std::string::npos);
  auto opened = enc.open(kKid, sealed);
  ASSERT_TRUE(opened) << opened.error().detail;
  EXPECT_EQ(*opened, kPem);
}

TEST(KeyEncryptionTest, EverySealUsesAFreshNonce) {
  const KeyEncryption enc(crypto::random_bytes(32));
  const std::string a = enc.seal(kKid, kPem);
  const std::string b = enc.seal(kKid, kPem);
  EXPECT_NE(a, b);
  // 24-byte nonce + 16-byte Poly1305 tag around the plaintext, base64url without padding.
  EXPECT_EQ(crypto::base64url_decode(a.substr(3))->size(), 24 + 16 + kPem.size());
}

TEST(KeyEncryptionTest, EveryChangedByteIsRejected) {
  const KeyEncryption enc(crypto::random_bytes(32));
  const std::string sealed = enc.seal(kKid, kPem);
  const std::string box = *crypto::base64url_decode(sealed.substr(3));
  // Nonce, tag and ciphertext alike: a flipped bit anywhere fails authentication.
  for (std::size_t i = 0; i < box.size(); ++i) {
    std::string altered = box;
    altered[i] = static_cast<char>(altered[i] ^ 0x01);
    auto opened = enc.open(kKid, "v1." + crypto::base64url_encode(altered));
    ASSERT_FALSE(opened) << "byte " << i;
    EXPECT_EQ(opened.error().user_key, "identity.keys.unreadable");
  }
  // Truncated or extended.
  EXPECT_FALSE(enc.open(kKid, "v1." + crypto::base64url_encode(box.substr(0, box.size() - 1))));
  EXPECT_FALSE(enc.open(kKid, "v1." + crypto::base64url_encode(box + "x")));
}

TEST(KeyEncryptionTest, AnotherKekCannotOpen) {
  const KeyEncryption enc(crypto::random_bytes(32));
  const KeyEncryption other(crypto::random_bytes(32));
  auto opened = other.open(kKid, enc.seal(kKid, kPem));
  ASSERT_FALSE(opened);
  EXPECT_EQ(opened.error().kind, ErrorKind::kInternal);
  EXPECT_EQ(opened.error().user_key, "identity.keys.unreadable");
  EXPECT_NE(opened.error().detail.find("key-encryption key"), std::string::npos);
  EXPECT_NE(opened.error().detail.find(kKid), std::string::npos);
}

TEST(KeyEncryptionTest, SealedKeyDoesNotOpenUnderAnotherKid) {
  const KeyEncryption enc(crypto::random_bytes(32));
  const std::string sealed = enc.seal(kKid, kPem);
  EXPECT_FALSE(enc.open("another-kid", sealed));
  EXPECT_FALSE(enc.open(std::string(kKid) + "x", sealed));
  EXPECT_FALSE(enc.open("", sealed));
}

TEST(KeyEncryptionTest, MalformedSealedTextIsRejected) {
  const KeyEncryption enc(crypto::random_bytes(32));
  const std::string sealed = enc.seal(kKid, kPem);
  for (const std::string& bad :
       {std::string(), std::string("v1."), sealed.substr(3), "v2." + sealed.substr(3),
        "V1." + sealed.substr(3), sealed + "=", std::string("v1.!!!!"),
        "v1." + std::string(50, 'A'), std::string(kPem)}) {
    auto opened = enc.open(kKid, bad);
    ASSERT_FALSE(opened) << bad;
    EXPECT_EQ(opened.error().user_key, "identity.keys.unreadable");
    EXPECT_EQ(opened.error().detail.find("PRIVATE"), std::string::npos);
  }
}

TEST(KeyEncryptionTest, EmptyPlaintextRoundTrips) {
  const KeyEncryption enc(crypto::random_bytes(32));
  auto opened = enc.open(kKid, enc.seal(kKid, ""));
  ASSERT_TRUE(opened);
  EXPECT_EQ(*opened, "");
}

TEST(KeyEncryptionTest, KekMustBeExactly32BytesAndIsNeverEchoed) {
  for (const std::size_t n : {0, 16, 31, 33, 44, 64}) {
    const std::string kek(n, 'k');
    try {
      KeyEncryption enc(kek);
      ADD_FAILURE() << n << " bytes accepted";
    } catch (const std::invalid_argument& e) {
      EXPECT_EQ(std::string(e.what()).find("kkkk"), std::string::npos);
    }
  }
  EXPECT_NO_THROW(KeyEncryption(std::string(32, '\0')));
}

}  // namespace
}  // namespace zocalo::identity
