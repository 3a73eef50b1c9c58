#include "identity/model/recovery_codes.hpp"

#include <cstdint>

#include "platform/core/crypto.hpp"

namespace zocalo::identity::recovery_codes {
namespace {

// Why a single SHA-256 and not a slow password hash (Argon2, scrypt): a slow hash exists to make
// guessing low-entropy, human-chosen secrets expensive. These codes are uniformly random with
// 59 bits each, so an attacker holding a stolen hash still needs ~2^58 SHA-256 evaluations on
// average to find its code; slowing each one down adds little. What a plain unsalted hash would
// lose is the multi-target case: with ten million stored codes, one random guess hits *some*
// code 10^7 times as often (~2^36 work, seconds on a GPU). A random salt per code makes every
// stored hash a separate search, so the salt stays even though the hash is fast.
constexpr std::size_t kSaltBytes = 16;
constexpr char kSeparator = '$';

std::optional<std::string> hex_decode(std::string_view hex) {
  if (hex.size() % 2 != 0) return std::nullopt;
  auto nibble = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;  // crypto::hex_encode writes lower case only
  };
  std::string out;
  out.reserve(hex.size() / 2);
  for (std::size_t i = 0; i < hex.size(); i += 2) {
    const int hi = nibble(hex[i]);
    const int lo = nibble(hex[i + 1]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out.push_back(static_cast<char>(hi * 16 + lo));
  }
  return out;
}

std::string digest_hex(std::string_view normalised, std::string_view salt) {
  std::string input(salt);
  input += normalised;
  return crypto::sha256_hex(input);
}

std::string stored_form(std::string_view normalised, std::string_view salt) {
  return crypto::hex_encode(salt) + kSeparator + digest_hex(normalised, salt);
}

// kSymbols symbols drawn uniformly from the alphabet. Bytes >= 248 (8 * 31) are rejected so that
// byte % 31 carries no modulo bias toward the first symbols.
std::string random_symbols() {
  constexpr auto kAccept = static_cast<unsigned>(256 / kAlphabet.size() * kAlphabet.size());
  std::string out;
  out.reserve(kSymbols);
  while (out.size() < kSymbols) {
    for (unsigned char byte : crypto::random_bytes(kSymbols)) {
      if (byte >= kAccept) continue;
      out.push_back(kAlphabet[byte % kAlphabet.size()]);
      if (out.size() == kSymbols) break;
    }
  }
  return out;
}

std::string grouped(std::string_view normalised) {
  std::string out;
  for (std::size_t i = 0; i < normalised.size(); ++i) {
    if (i > 0 && i % kGroup == 0) out.push_back('-');
    out.push_back(normalised[i]);
  }
  return out;
}

}  // namespace

RecoveryCodes generate() {
  RecoveryCodes codes;
  codes.plaintext.reserve(kCount);
  codes.hashes.reserve(kCount);
  while (codes.plaintext.size() < kCount) {
    std::string symbols = random_symbols();
    // Two equal codes in one set (chance ~2^-53) would make match() ambiguous; draw again.
    bool duplicate = false;
    for (const auto& existing : codes.plaintext) duplicate |= normalise(existing) == symbols;
    if (duplicate) continue;
    codes.hashes.push_back(stored_form(symbols, crypto::random_bytes(kSaltBytes)));
    codes.plaintext.push_back(grouped(symbols));
  }
  return codes;
}

std::optional<std::string> normalise(std::string_view input) {
  std::string out;
  out.reserve(kSymbols);
  for (char c : input) {
    if (c == ' ' || c == '-' || c == '\t') continue;
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    if (kAlphabet.find(c) == std::string_view::npos) return std::nullopt;
    if (out.size() == kSymbols) return std::nullopt;  // too long
    out.push_back(c);
  }
  if (out.size() != kSymbols) return std::nullopt;
  return out;
}

std::optional<std::size_t> match(std::string_view input, const std::vector<std::string>& hashes) {
  // A malformed input returns at once: its shape is all the timing could reveal, and the caller
  // already knows that.
  const auto normalised = normalise(input);
  if (!normalised) return std::nullopt;
  std::optional<std::size_t> found;
  for (std::size_t i = 0; i < hashes.size(); ++i) {
    const std::string_view entry = hashes[i];
    const auto cut = entry.find(kSeparator);
    std::optional<std::string> salt;
    if (cut != std::string_view::npos) salt = hex_decode(entry.substr(0, cut));
    // A blanked or broken entry is still hashed (with no salt) so each entry costs the same.
    const bool well_formed = salt && salt->size() == kSaltBytes;
    const std::string candidate = digest_hex(*normalised, well_formed ? *salt : std::string());
    const std::string_view stored = well_formed ? entry.substr(cut + 1) : std::string_view();
    const bool equal = crypto::constant_time_equal(candidate, stored);
    if (equal && well_formed && !found) found = i;
  }
  return found;
}

}  // namespace zocalo::identity::recovery_codes
