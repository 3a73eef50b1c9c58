#include "platform/blobs/blob_name.hpp"

namespace zocalo::blobs {

bool is_blob_name(std::string_view name) {
  if (name.size() != kBlobNameLength) return false;
  for (char c : name) {
    const bool digit = c >= '0' && c <= '9';
    const bool lower_hex = c >= 'a' && c <= 'f';
    if (!digit && !lower_hex) return false;
  }
  return true;
}

}  // namespace zocalo::blobs
