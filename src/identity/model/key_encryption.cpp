#include "identity/model/key_encryption.hpp"

#include <sodium.h>

#include <array>
#include <stdexcept>

#include "platform/core/crypto.hpp"

namespace zocalo::identity {
namespace {

constexpr std::string_view kVersionPrefix = "v1.";
// Domain separation: the KEK may one day derive other subkeys, which must never equal these.
constexpr std::string_view kSubkeyContext = "zocalo.signing-key.v1";

static_assert(crypto_secretbox_KEYBYTES == KeyEncryption::kKeyBytes);
static_assert(crypto_generichash_KEYBYTES_MIN <= KeyEncryption::kKeyBytes &&
              KeyEncryption::kKeyBytes <= crypto_generichash_KEYBYTES_MAX);

// Wipes the subkey when it goes out of scope, on every path.
struct Subkey {
  std::array<unsigned char, crypto_secretbox_KEYBYTES> bytes{};
  ~Subkey() { sodium_memzero(bytes.data(), bytes.size()); }
};

void derive_subkey(const std::string& kek, std::string_view kid, Subkey& out) {
  crypto_generichash_state state;
  crypto_generichash_init(&state, reinterpret_cast<const unsigned char*>(kek.data()), kek.size(),
                          out.bytes.size());
  crypto_generichash_update(&state, reinterpret_cast<const unsigned char*>(kSubkeyContext.data()),
                            kSubkeyContext.size());
  // The NUL ends the context, so no (context, kid) pair can run into another.
  const unsigned char separator = 0;
  crypto_generichash_update(&state, &separator, 1);
  crypto_generichash_update(&state, reinterpret_cast<const unsigned char*>(kid.data()), kid.size());
  crypto_generichash_final(&state, out.bytes.data(), out.bytes.size());
  sodium_memzero(&state, sizeof state);
}

Error unreadable(std::string_view kid, std::string_view why) {
  return Error{ErrorKind::kInternal, "identity.keys.unreadable",
               "signing key " + std::string(kid) + ": " + std::string(why)};
}

}  // namespace

KeyEncryption::KeyEncryption(std::string kek) : kek_(std::move(kek)) {
  if (sodium_init() < 0) throw std::runtime_error("libsodium could not be initialised");
  if (kek_.size() != kKeyBytes) {
    sodium_memzero(kek_.data(), kek_.size());
    throw std::invalid_argument("the key-encryption key must be exactly 32 bytes, got " +
                                std::to_string(kek_.size()));
  }
}

KeyEncryption::~KeyEncryption() {
  sodium_memzero(kek_.data(), kek_.size());
}

std::string KeyEncryption::seal(std::string_view kid, std::string_view plaintext) const {
  Subkey subkey;
  derive_subkey(kek_, kid, subkey);
  std::string box(crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + plaintext.size(), '\0');
  auto* nonce = reinterpret_cast<unsigned char*>(box.data());
  randombytes_buf(nonce, crypto_secretbox_NONCEBYTES);
  crypto_secretbox_easy(nonce + crypto_secretbox_NONCEBYTES,
                        reinterpret_cast<const unsigned char*>(plaintext.data()), plaintext.size(),
                        nonce, subkey.bytes.data());
  return std::string(kVersionPrefix) + crypto::base64url_encode(box);
}

Result<std::string> KeyEncryption::open(std::string_view kid, std::string_view sealed) const {
  if (!sealed.starts_with(kVersionPrefix)) {
    return fail(unreadable(kid, "not a v1 sealed key"));
  }
  const auto box = crypto::base64url_decode(sealed.substr(kVersionPrefix.size()));
  if (!box) return fail(unreadable(kid, "sealed key is not base64url"));
  if (box->size() < crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES) {
    return fail(unreadable(kid, "sealed key is too short"));
  }
  Subkey subkey;
  derive_subkey(kek_, kid, subkey);
  const auto* nonce = reinterpret_cast<const unsigned char*>(box->data());
  const std::size_t cipher_len = box->size() - crypto_secretbox_NONCEBYTES;
  std::string plaintext(cipher_len - crypto_secretbox_MACBYTES, '\0');
  if (crypto_secretbox_open_easy(reinterpret_cast<unsigned char*>(plaintext.data()),
                                 nonce + crypto_secretbox_NONCEBYTES, cipher_len, nonce,
                                 subkey.bytes.data()) != 0) {
    // secretbox writes nothing on failure, but wipe anyway: cheap, and robust to a change.
    sodium_memzero(plaintext.data(), plaintext.size());
    return fail(unreadable(kid,
                           "cannot be decrypted: the key-encryption key is not the one it was "
                           "sealed with, or the row was altered or moved from another kid"));
  }
  return plaintext;
}

}  // namespace zocalo::identity
