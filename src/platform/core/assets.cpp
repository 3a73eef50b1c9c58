#include "platform/core/assets.hpp"

#include <algorithm>

namespace zocalo::assets {

std::span<const File> all() {
  return {detail::kFiles, detail::kFileCount};
}

std::optional<std::string_view> find(std::string_view path) {
  const auto files = all();
  const auto it = std::lower_bound(files.begin(), files.end(), path,
                                   [](const File& f, std::string_view p) { return f.path < p; });
  if (it == files.end() || it->path != path) return std::nullopt;
  return it->data;
}

}  // namespace zocalo::assets
