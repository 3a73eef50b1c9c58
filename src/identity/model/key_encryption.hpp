#pragma once
// Seals the OpenID Provider's private signing keys for storage, so that a copy of the database
// (a backup, a replica, a leaked dump) holds no usable key without the key-encryption key (KEK),
// which lives outside the database (the app reads it from the environment or a 0600 file).
//
// Format of a sealed key, one ASCII string:
//
//   "v1." base64url(nonce[24] || ciphertext)     (RFC 4648 §5, no padding)
//
// where ciphertext = crypto_secretbox_easy(PEM, nonce, subkey): XSalsa20 with a Poly1305 tag
// (libsodium "Authenticated encryption"), a fresh random nonce per seal (192 bits, so random
// nonces never collide in practice), and
//
//   subkey = BLAKE2b-256(key = KEK, message = "zocalo.signing-key.v1" 0x00 kid)
//
// secretbox has no associated data, so the kid is bound by deriving a per-key subkey from it
// (keyed BLAKE2b is a PRF; libsodium's crypto_kdf is the same construction with an 8-byte
// context, too short for a kid). A sealed key copied onto another row opens under a different
// subkey and fails authentication, as does any edited byte or the wrong KEK. "v1" names this
// whole recipe: a future change of cipher or derivation is "v2", and open() will know both.
#include <cstddef>
#include <string>
#include <string_view>

#include "platform/core/result.hpp"

namespace zocalo::identity {

class KeyEncryption {
 public:
  // crypto_secretbox_KEYBYTES.
  static constexpr std::size_t kKeyBytes = 32;

  // `kek` is exactly 32 raw bytes (not text: the app decodes whatever encoding it reads).
  // Throws std::invalid_argument otherwise: a wrong-sized KEK is a configuration bug that must
  // stop start-up, and the message never contains the bytes.
  explicit KeyEncryption(std::string kek);
  ~KeyEncryption();
  KeyEncryption(const KeyEncryption&) = delete;
  KeyEncryption& operator=(const KeyEncryption&) = delete;

  // The sealed form of `plaintext` (a PKCS#8 PEM) for the row whose kid is `kid`.
  std::string seal(std::string_view kid, std::string_view plaintext) const;

  // The plaintext sealed for `kid`. Fails (kInternal, user_key "identity.keys.unreadable")
  // when the text is not a v1 sealed key, or authentication fails: the wrong KEK, a sealed key
  // moved from another kid's row, or any changed byte. The detail names the kid and the likely
  // causes, never the bytes. The plaintext is a secret: callers wipe it (sodium_memzero) once
  // they have parsed it.
  Result<std::string> open(std::string_view kid, std::string_view sealed) const;

 private:
  std::string kek_;
};

}  // namespace zocalo::identity
