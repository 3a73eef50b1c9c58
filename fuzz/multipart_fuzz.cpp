// libFuzzer target: multipart/form-data parsing (RFC 7578 / RFC 2046).
// The body is parsed under a few fixed Content-Types whose boundaries the seed corpus uses,
// and under one taken from the input itself so that the Content-Type parser is fuzzed too.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "platform/http/form.hpp"

namespace {

using zocalo::http::FormLimits;

void check(bool condition) {
  if (!condition) std::abort();
}

void parse_and_check(std::string_view body, std::string_view content_type,
                     const FormLimits& limits) {
  auto form = zocalo::http::parse_multipart(body, content_type, limits);
  if (!form.ok()) {
    check(form.error().user_key == "error.bad_form" || form.error().user_key == "error.too_large");
    return;
  }
  check(form->fields().size() <= limits.max_fields);
  check(form->files().size() <= limits.max_files);
  for (const auto& [name, value] : form->fields()) {
    check(zocalo::utf8::is_valid(name) && zocalo::utf8::is_valid(value));
    check(value.find('\0') == std::string_view::npos);
    check(name.size() + value.size() <= limits.max_field_bytes);
  }
  for (const auto& file : form->files()) {
    check(zocalo::utf8::is_valid(file.field) && zocalo::utf8::is_valid(file.filename));
    check(file.data.size() <= limits.max_file_bytes);
    check(!file.content_type.empty());
    // Every byte of a part lies inside the body; the parser never invents data.
    check(file.data.size() <= body.size());
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);

  // Small limits so that the fuzzer reaches the limit paths with short inputs.
  FormLimits limits;
  limits.max_fields = 8;
  limits.max_field_bytes = 256;
  limits.max_files = 2;
  limits.max_file_bytes = 1024;

  static constexpr std::string_view kFixedTypes[] = {
      "multipart/form-data; boundary=XyZ",
      "multipart/form-data; boundary=\"a b:c\"",
      "multipart/form-data; boundary=----WebKitFormBoundary7MA4YWxkTrZu0gW",
  };
  for (std::string_view type : kFixedTypes) parse_and_check(input, type, limits);

  // First byte: length of a Content-Type taken from the bytes that follow; the rest is the body.
  if (!input.empty()) {
    const std::size_t length = static_cast<unsigned char>(input[0]) % 96;
    const std::string_view rest = input.substr(1);
    if (length <= rest.size()) {
      parse_and_check(rest.substr(length), rest.substr(0, length), limits);
    }
  }
  return 0;
}
