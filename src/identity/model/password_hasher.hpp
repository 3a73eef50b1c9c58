#pragma once
// Password storage: Argon2id (RFC 9106) through libsodium, as NIST SP 800-63B §5.1.1.2 asks
// ("salted and hashed using a suitable one-way key derivation function", memory-hard preferred).
// The stored value is libsodium's PHC string "$argon2id$v=19$m=65536,t=3,p=1$salt$hash", which
// carries its own salt and parameters, so old hashes keep verifying after the parameters change.
#include <cstddef>
#include <string>
#include <string_view>

#include "platform/core/result.hpp"

namespace zocalo::identity {

struct Argon2idParams {
  unsigned long long opslimit = 3;          // passes over memory (Argon2's t)
  std::size_t memlimit = 64 * 1024 * 1024;  // bytes (Argon2's m); libsodium always uses p = 1

  // What accounts are hashed with. RFC 9106 §4's second recommended option is t=3 with 64 MiB,
  // for hosts that cannot give a hash 2 GiB; OWASP's floor is 19 MiB with t=2. 64 MiB per hash
  // keeps a 2-core node's worker pool (ARCHITECTURE.md: Argon2id runs there, off the I/O
  // threads) within a few hundred MiB at full sign-in load, and t=3 costs about 80 ms per hash
  // on one core of the 2-core development VM (170-250 ms while its cores were busy with builds;
  // PasswordHasherTest.ReportsProductionCost prints it): slow for an offline guesser, unnoticed
  // by a resident signing in. Raise both when the hardware allows; needs_rehash() upgrades
  // accounts at their next sign-in.
  static Argon2idParams production() { return {}; }
  // libsodium's crypto_pwhash_OPSLIMIT_INTERACTIVE / MEMLIMIT_INTERACTIVE (t=2, 64 MiB).
  static Argon2idParams interactive();

  bool operator==(const Argon2idParams&) const = default;
};

// Every hash and verification runs on HashingLane::shared() (one low-priority thread per
// core), whichever thread calls: see hashing_lane.hpp.
class PasswordHasher {
 public:
  // Throws std::invalid_argument when the parameters are outside what libsodium's Argon2id
  // accepts (a configuration bug, caught at start-up rather than at the first sign-up).
  explicit PasswordHasher(Argon2idParams params = Argon2idParams::production());

  const Argon2idParams& params() const { return params_; }

  // A PHC string with a fresh random salt. Fails (kUnavailable) only when the memory for the hash
  // cannot be had; the error never contains the password.
  Result<std::string> hash(std::string_view password) const;

  // Whether `password` is the one `encoded` was made from. libsodium recomputes the hash with the
  // parameters in `encoded` and compares in constant time, so the time taken depends on those
  // parameters only, never on how close the guess was. False for anything that is not one of
  // our Argon2id strings.
  bool verify(std::string_view encoded, std::string_view password) const;

  // Whether `encoded` was made with other parameters than ours (or is not ours at all): after a
  // successful verify, hash the password again and store the new string.
  bool needs_rehash(std::string_view encoded) const;

  // For sign-in attempts on accounts that do not exist: spends what verify() spends on a hash
  // made with our parameters, and returns false. Without it an unknown e-mail answers in
  // microseconds and a known one in a tenth of a second, which tells anyone which accounts exist.
  bool dummy_verify(std::string_view password) const;

 private:
  // The computations themselves; the public functions run them on HashingLane::shared().
  Result<std::string> hash_here(std::string_view password) const;
  bool dummy_verify_here(std::string_view password) const;

  Argon2idParams params_;
};

}  // namespace zocalo::identity
