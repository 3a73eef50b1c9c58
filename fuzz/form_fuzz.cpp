// libFuzzer target: application/x-www-form-urlencoded parsing and percent-decoding.
// Besides "no crash, no sanitizer report", it checks what callers rely on: every decoded name
// and value is valid UTF-8 without NUL, limits hold, and encode/decode round-trips.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "platform/http/form.hpp"

namespace {

void check(bool condition) {
  if (!condition) std::abort();
}

bool is_text(std::string_view s) {
  return zocalo::utf8::is_valid(s) && s.find('\0') == std::string_view::npos;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace zocalo::http;
  const std::string_view input(reinterpret_cast<const char*>(data), size);

  // Small limits so that the fuzzer reaches the limit paths with short inputs.
  FormLimits limits;
  limits.max_fields = 16;
  limits.max_field_bytes = 64;
  auto form = parse_urlencoded(input, limits);
  if (form.ok()) {
    check(form->fields().size() <= limits.max_fields);
    check(form->files().empty());
    for (const auto& [name, value] : form->fields()) {
      check(is_text(name) && is_text(value));
      check(name.size() + value.size() <= limits.max_field_bytes);
    }
  } else {
    check(form.error().user_key == "error.bad_form" || form.error().user_key == "error.too_large");
  }

  for (bool plus_as_space : {false, true}) {
    auto decoded = percent_decode(input, plus_as_space);
    if (!decoded) continue;
    check(is_text(*decoded));
    check(decoded->size() <= input.size());
    // Encoding keeps only unreserved bytes, so it decodes back to exactly the same text.
    const std::string encoded = percent_encode(*decoded);
    check(encoded.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                                    "0123456789-._~%") == std::string::npos);
    check(percent_decode(encoded, plus_as_space) == decoded);
  }

  check(zocalo::utf8::is_valid(zocalo::utf8::to_valid(input)));
  if (zocalo::utf8::is_valid(input)) check(zocalo::utf8::to_valid(input) == input);
  return 0;
}
