#include "identity/model/password_hasher.hpp"

#include <sodium.h>

#include <stdexcept>

#include "identity/model/hashing_lane.hpp"

namespace zocalo::identity {
namespace {

// libsodium reads the password through a pointer; an empty string_view may hold nullptr.
const char* bytes_of(std::string_view s) {
  return s.empty() ? "" : s.data();
}

// Only what we write is accepted: an argon2i string or a stray NUL byte (which libsodium's
// C-string parser would silently stop at) is not one of our hashes.
bool looks_like_ours(std::string_view encoded) {
  return encoded.starts_with(crypto_pwhash_argon2id_STRPREFIX) &&
         encoded.size() < crypto_pwhash_STRBYTES && encoded.find('\0') == std::string_view::npos;
}

}  // namespace

Argon2idParams Argon2idParams::interactive() {
  return {crypto_pwhash_argon2id_OPSLIMIT_INTERACTIVE, crypto_pwhash_argon2id_MEMLIMIT_INTERACTIVE};
}

PasswordHasher::PasswordHasher(Argon2idParams params) : params_(params) {
  if (sodium_init() < 0) throw std::runtime_error("libsodium failed to initialise");
  if (params_.opslimit < crypto_pwhash_argon2id_OPSLIMIT_MIN ||
      params_.opslimit > crypto_pwhash_argon2id_OPSLIMIT_MAX ||
      params_.memlimit < crypto_pwhash_argon2id_MEMLIMIT_MIN ||
      params_.memlimit > crypto_pwhash_argon2id_MEMLIMIT_MAX) {
    throw std::invalid_argument("Argon2id parameters outside libsodium's bounds");
  }
}

Result<std::string> PasswordHasher::hash(std::string_view password) const {
  return HashingLane::shared().run([&] { return hash_here(password); });
}

Result<std::string> PasswordHasher::hash_here(std::string_view password) const {
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str_alg(out, bytes_of(password), password.size(), params_.opslimit,
                            params_.memlimit, crypto_pwhash_ALG_ARGON2ID13) != 0) {
    // With parameters checked in the constructor, the only failure left is memory: transient,
    // so the caller may answer "try again".
    return fail(Error::unavailable("argon2id: could not allocate " +
                                   std::to_string(params_.memlimit) + " bytes"));
  }
  return std::string(out);
}

bool PasswordHasher::verify(std::string_view encoded, std::string_view password) const {
  if (!looks_like_ours(encoded)) return false;
  const std::string terminated(encoded);  // libsodium wants a C string
  return HashingLane::shared().run([&] {
    return crypto_pwhash_str_verify(terminated.c_str(), bytes_of(password), password.size()) == 0;
  });
}

bool PasswordHasher::needs_rehash(std::string_view encoded) const {
  if (!looks_like_ours(encoded)) return true;
  const std::string terminated(encoded);
  // 0: same algorithm and parameters; 1: other parameters; -1: not a valid string.
  return crypto_pwhash_str_needs_rehash(terminated.c_str(), params_.opslimit, params_.memlimit) !=
         0;
}

bool PasswordHasher::dummy_verify(std::string_view password) const {
  return HashingLane::shared().run([&] { return dummy_verify_here(password); });
}

bool PasswordHasher::dummy_verify_here(std::string_view password) const {
  // verify() is one Argon2id computation of a 32-byte hash with the stored parameters, plus a
  // comparison; this is the same computation with ours and a throwaway salt. No stored dummy
  // hash is needed, and none can be matched by a lucky guess.
  unsigned char salt[crypto_pwhash_SALTBYTES];
  randombytes_buf(salt, sizeof salt);
  unsigned char out[32];
  // Its result does not matter: even out of memory, the answer is "no such account".
  [[maybe_unused]] const int rc =
      crypto_pwhash(out, sizeof out, bytes_of(password), password.size(), salt, params_.opslimit,
                    params_.memlimit, crypto_pwhash_ALG_ARGON2ID13);
  sodium_memzero(out, sizeof out);
  return false;
}

}  // namespace zocalo::identity
