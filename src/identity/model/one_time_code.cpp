#include "identity/model/one_time_code.hpp"

#include <sodium.h>

#include "platform/core/crypto.hpp"

namespace zocalo::identity {

std::string_view to_string(CodePurpose purpose) {
  switch (purpose) {
    case CodePurpose::kEmailVerify:
      return "email_verify";
    case CodePurpose::kPhoneVerify:
      return "phone_verify";
    case CodePurpose::kPasswordReset:
      return "password_reset";
    case CodePurpose::kSigninSms:
      return "signin_sms";
  }
  return "signin_sms";
}

std::optional<CodePurpose> parse_code_purpose(std::string_view text) {
  for (const auto p : {CodePurpose::kEmailVerify, CodePurpose::kPhoneVerify,
                       CodePurpose::kPasswordReset, CodePurpose::kSigninSms}) {
    if (to_string(p) == text) return p;
  }
  return std::nullopt;
}

CodeRule rule_for(CodePurpose purpose) {
  switch (purpose) {
    case CodePurpose::kEmailVerify:
      return {24 * 3600, 5, 0};
    case CodePurpose::kPhoneVerify:
      return {10 * 60, 5, 6};
    case CodePurpose::kPasswordReset:
      return {15 * 60, 5, 8};
    case CodePurpose::kSigninSms:
      return {10 * 60, 5, 6};
  }
  return {10 * 60, 5, 6};
}

std::string generate_numeric_code(int digits) {
  if (sodium_init() < 0) std::abort();  // libsodium cannot work without its RNG
  std::string out;
  out.reserve(static_cast<std::size_t>(digits));
  for (int i = 0; i < digits; ++i) out += static_cast<char>('0' + randombytes_uniform(10));
  return out;
}

std::string generate_link_token() {
  return crypto::random_token(32);
}

std::string link_token_hash(std::string_view token) {
  return crypto::sha256_hex(token);
}

std::string hash_short_code(std::string_view code) {
  const std::string salt = crypto::random_bytes(16);
  return crypto::hex_encode(salt) + "$" + crypto::sha256_hex(salt + std::string(code));
}

bool short_code_matches(std::string_view stored, std::string_view code) {
  const auto dollar = stored.find('$');
  if (dollar != 32 || stored.size() != 32 + 1 + 64) return false;
  std::string salt;
  for (std::size_t i = 0; i < 32; i += 2) {
    auto nibble = [](char c) -> int {
      if (c >= '0' && c <= '9') return c - '0';
      if (c >= 'a' && c <= 'f') return c - 'a' + 10;
      return -1;
    };
    const int hi = nibble(stored[i]);
    const int lo = nibble(stored[i + 1]);
    if (hi < 0 || lo < 0) return false;
    salt += static_cast<char>(hi * 16 + lo);
  }
  return crypto::constant_time_equal(stored.substr(33),
                                     crypto::sha256_hex(salt + std::string(code)));
}

std::optional<std::string> normalise_numeric_code(std::string_view input, int digits) {
  if (input.size() > 64) return std::nullopt;
  std::string out;
  for (const char c : input) {
    if (c == ' ' || c == '-') continue;
    if (c < '0' || c > '9') return std::nullopt;
    out += c;
  }
  if (static_cast<int>(out.size()) != digits) return std::nullopt;
  return out;
}

}  // namespace zocalo::identity
