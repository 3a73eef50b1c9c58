#pragma once
// Small, hard-to-misuse crypto helpers shared by every module.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace zocalo::crypto {

// `n` bytes from the OS CSPRNG (libsodium).
std::string random_bytes(std::size_t n);
// A URL-safe random token carrying `bytes` bytes of entropy (base64url, no padding).
std::string random_token(std::size_t bytes = 32);

std::string base64url_encode(std::string_view bytes);
// Strict RFC 4648 §5 without padding: any byte outside the alphabet, or non-zero trailing bits,
// is an error (hostile input must not decode to the same bytes as the genuine text).
std::optional<std::string> base64url_decode(std::string_view text);
std::string hex_encode(std::string_view bytes);

std::string sha256(std::string_view data);  // raw 32 bytes
std::string sha256_hex(std::string_view data);
std::string hmac_sha256(std::string_view key, std::string_view data);  // raw 32 bytes

// Comparison whose time does not depend on where the inputs differ.
bool constant_time_equal(std::string_view a, std::string_view b);

}  // namespace zocalo::crypto
