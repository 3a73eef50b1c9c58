#pragma once
// A blob's name is its SHA-256 in lowercase hex: 64 characters from [0-9a-f], nothing else.
// Checking exactly that before any path is built is what makes path traversal impossible
// ("../", "/", NUL, "%2e" and upper-case aliases all fail the check).
#include <string_view>

namespace zocalo::blobs {

inline constexpr std::size_t kBlobNameLength = 64;

bool is_blob_name(std::string_view name);

}  // namespace zocalo::blobs
