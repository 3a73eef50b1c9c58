#pragma once
// gzip (RFC 1952) for HTTP content coding (RFC 9110 §8.4.1.3), and the small decisions around
// it: may this client take gzip, is this media type worth compressing.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace zocalo::http {

// zlib's levels: 1 is fastest, 9 smallest. 6 is zlib's own default and a good trade-off for
// HTML/JSON served once per request.
inline constexpr int kGzipDefaultLevel = 6;

// Compresses `data` into a complete gzip member. Reuses one zlib stream per thread, so a call
// costs no allocation beyond the output string.
std::string gzip_compress(std::string_view data, int level = kGzipDefaultLevel);
// Inflates a gzip member; nullopt when the input is corrupt or would inflate past `max_bytes`
// (a zip bomb).
std::optional<std::string> gzip_decompress(std::string_view data, std::size_t max_bytes);

// Whether an Accept-Encoding value admits gzip (RFC 9110 §12.5.3): "gzip" or "x-gzip" with a
// non-zero weight, or "*" with a non-zero weight when gzip is not listed on its own.
bool accepts_gzip(std::string_view accept_encoding);
// Text-like media types that shrink well: text/*, JSON, problem+json, XML, SVG, JavaScript.
bool is_compressible_type(std::string_view content_type);

}  // namespace zocalo::http
