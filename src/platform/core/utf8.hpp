#pragma once
// UTF-8 as every parser of outside input needs it: one strict validator for the whole code base.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace zocalo::utf8 {

// Length of the well-formed sequence starting at s[i] (Unicode §3.9, Table 3-7), or 0 when the
// bytes there are not one: overlong forms, surrogates, > U+10FFFF, truncation.
std::size_t sequence_length(std::string_view s, std::size_t i);
// Strict UTF-8: no overlong forms, no surrogates, nothing above U+10FFFF.
bool is_valid(std::string_view s);
// Replaces each byte that does not start a well-formed sequence with U+FFFD.
std::string to_valid(std::string_view s);
// At most `max_bytes` of valid UTF-8 (invalid bytes replaced as to_valid does), cut at a code
// point boundary: for keeping a bounded copy of text from outside (a User-Agent).
std::string truncate(std::string_view s, std::size_t max_bytes);
// Code points in valid UTF-8: what "2,000 characters" means to a reader.
std::size_t count_code_points(std::string_view s);

// Code points of strict UTF-8 text; nullopt when `s` is not valid UTF-8.
std::optional<std::u32string> decode(std::string_view s);
// UTF-8 bytes of code points (which must be scalar values, as decode() returns).
std::string encode(std::u32string_view text);

}  // namespace zocalo::utf8
