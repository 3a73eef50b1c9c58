// libFuzzer target: Cookie header parsing (RFC 6265 §4.2.1) and Set-Cookie serialisation of
// whatever the parser lets through. The properties checked are the security ones: bounded
// output, and a serialised cookie that can never split the header or add attributes.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "platform/http/cookie.hpp"
#include "platform/http/headers.hpp"

namespace {

void check(bool condition) {
  if (!condition) std::abort();
}

bool only_cookie_octets(std::string_view s) {
  for (char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if (c <= 0x20 || c >= 0x7F || c == '"' || c == ',' || c == ';' || c == '\\') return false;
  }
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace zocalo::http;
  const std::string_view input(reinterpret_cast<const char*>(data), size);

  const auto pairs = parse_cookie_header(input);
  check(pairs.size() <= 50);
  for (const auto& [name, value] : pairs) {
    check(is_token(name));
    for (char c : value) check(c >= 0x20 && c <= 0x7E);

    Cookie cookie{.name = name, .value = value, .max_age = 60, .secure = true};
    const std::string header = cookie.serialize();
    // One cookie-pair, then exactly our attributes: nothing from the value escapes it.
    const std::size_t semi = header.find(';');
    check(semi != std::string::npos);
    check(header.substr(semi) == "; Path=/; Max-Age=60; HttpOnly; Secure; SameSite=Lax");
    check(only_cookie_octets(header.substr(name.size() + 1, semi - name.size() - 1)));

    // Reading our own Set-Cookie value back as a Cookie header gives the pair first, and the
    // value unchanged whenever it needed no encoding.
    const auto again = parse_cookie_header(header);
    check(!again.empty() && again.front().first == name);
    if (only_cookie_octets(value)) check(again.front().second == value);
  }
  return 0;
}
