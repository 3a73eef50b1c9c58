#include "identity/model/totp.hpp"

#include <liboath/oath.h>

#include <array>
#include <cstdlib>
#include <memory>
#include <stdexcept>

#include "platform/core/crypto.hpp"

namespace zocalo::identity::totp {
namespace {

// liboath's functions may only be called after oath_init (it sets up the crypto backend); once
// per process is enough, and oath_done at exit would buy nothing.
void ensure_oath() {
  static const int rc = oath_init();
  if (rc != OATH_OK) throw std::runtime_error(std::string("oath_init: ") + oath_strerror(rc));
}

struct FreeDeleter {
  void operator()(char* p) const { std::free(p); }
};
using MallocedChars = std::unique_ptr<char, FreeDeleter>;

// RFC 3986 section 2.3: only unreserved characters go unencoded. Everything else, including
// UTF-8 bytes, '@', ':' and space (never "+", which some apps show literally), becomes %XX.
std::string percent_encode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size() * 3);
  for (unsigned char c : text) {
    const bool unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                            (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' || c == '~';
    if (unreserved) {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    }
  }
  return out;
}

bool is_six_ascii_digits(std::string_view code) {
  if (code.size() != kDigits) return false;
  for (char c : code) {
    if (c < '0' || c > '9') return false;  // not std::isdigit: that one depends on the locale
  }
  return true;
}

// HOTP(K, C) truncated to `digits` decimal digits (RFC 4226 section 5.3).
Result<std::string> hotp(std::string_view secret, std::uint64_t counter, unsigned digits) {
  ensure_oath();
  std::array<char, 16> buffer{};  // at most 8 digits and the NUL liboath writes
  const int rc = oath_hotp_generate(secret.data(), secret.size(), counter, digits, false,
                                    OATH_HOTP_DYNAMIC_TRUNCATION, buffer.data());
  if (rc != OATH_OK)
    return fail(Error::internal(std::string("oath_hotp_generate: ") + oath_strerror(rc)));
  return std::string(buffer.data());
}

Error invalid_code(std::string detail) {
  return {ErrorKind::kUnauthorized, "error.totp.invalid", std::move(detail)};
}

}  // namespace

std::string generate_secret() {
  return crypto::random_bytes(kSecretBytes);
}

std::string base32_encode(std::string_view bytes) {
  if (bytes.empty()) return {};
  ensure_oath();
  char* raw = nullptr;
  std::size_t len = 0;
  const int rc = oath_base32_encode(bytes.data(), bytes.size(), &raw, &len);
  MallocedChars owned(raw);
  if (rc != OATH_OK)
    throw std::runtime_error(std::string("oath_base32_encode: ") + oath_strerror(rc));
  std::string out(owned.get(), len);
  // Key Uri Format: "padding specified in RFC 3548 section 2.2 is not required and should be
  // omitted"; some apps reject the "=".
  while (!out.empty() && out.back() == '=') out.pop_back();
  return out;
}

Result<std::string> otpauth_uri(std::string_view issuer, std::string_view account,
                                std::string_view secret) {
  if (issuer.empty() || account.empty()) {
    return fail(Error::invalid("error.totp.label", "issuer and account must not be empty"));
  }
  // Key Uri Format: "Neither issuer nor account name may themselves contain a colon", whether
  // literal or encoded, because apps split the label on the first one.
  if (issuer.find(':') != std::string_view::npos || account.find(':') != std::string_view::npos) {
    return fail(Error::invalid("error.totp.label", "issuer or account contains a colon"));
  }
  if (secret.empty()) return fail(Error::internal("otpauth_uri: empty secret"));
  const std::string encoded_issuer = percent_encode(issuer);
  // The issuer goes both in the label prefix (older apps read only that) and in the issuer
  // parameter (the one the format recommends); they must be equal.
  std::string uri = "otpauth://totp/";
  uri += encoded_issuer;
  uri += ':';
  uri += percent_encode(account);
  uri += "?secret=";
  uri += base32_encode(secret);
  uri += "&issuer=";
  uri += encoded_issuer;
  uri += "&algorithm=SHA1&digits=6&period=30";
  return uri;
}

std::int64_t time_step(std::int64_t unix_seconds) {
  // Floor division, so -1 s is step -1, not step 0 (C++ division truncates toward zero).
  std::int64_t step = unix_seconds / kPeriodSeconds;
  if (unix_seconds % kPeriodSeconds < 0) --step;
  return step;
}

Result<std::string> code_at(std::string_view secret, std::int64_t unix_seconds, unsigned digits) {
  if (secret.empty()) return fail(Error::internal("totp: empty secret"));
  if (unix_seconds < 0) return fail(Error::internal("totp: time before the epoch"));
  if (digits < 6 || digits > 8) return fail(Error::internal("totp: digits must be 6 to 8"));
  return hotp(secret, static_cast<std::uint64_t>(time_step(unix_seconds)), digits);
}

Result<std::int64_t> verify(std::string_view secret, std::string_view code, std::int64_t now,
                            unsigned window, std::optional<std::int64_t> last_used_step) {
  if (!is_six_ascii_digits(code)) {
    return fail(Error::invalid("error.totp.malformed", "code is not six ASCII digits"));
  }
  if (secret.empty()) return fail(Error::internal("totp: empty secret"));
  // Each extra step of window is another code an attacker may guess (RFC 6238 section 5.2 asks
  // for at most one step back); a huge value would also make this loop a denial of service.
  if (window > kMaxWindow) return fail(Error::internal("totp: window too large"));
  const std::int64_t current = time_step(now);
  const auto span = static_cast<std::int64_t>(window);
  std::optional<std::int64_t> accepted;
  bool matched_used_step = false;
  // Every step in the window is computed and compared, with no early exit, so the time taken
  // does not tell which step (if any) matched. Of several matching steps (a 1-in-a-million
  // collision) the earliest unused one is taken, which burns the fewest future steps.
  for (std::int64_t step = current - span; step <= current + span; ++step) {
    if (step < 0) continue;
    auto expected = hotp(secret, static_cast<std::uint64_t>(step), kDigits);
    if (!expected) return fail(expected.error());
    if (!crypto::constant_time_equal(*expected, code)) continue;
    if (last_used_step && step <= *last_used_step) {
      matched_used_step = true;  // RFC 6238 section 5.2: a used code, or one older than it
    } else if (!accepted) {
      accepted = step;
    }
  }
  if (accepted) return *accepted;
  if (matched_used_step) return fail(invalid_code("code already used (replay)"));
  return fail(invalid_code("code does not match any step in the window"));
}

}  // namespace zocalo::identity::totp
