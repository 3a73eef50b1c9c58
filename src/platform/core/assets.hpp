#pragma once
// Files compiled into the binary at build time (templates/, static/, locale/, migrations/,
// data/), addressed by their path relative to the repository root.
#include <cstddef>
#include <optional>
#include <span>
#include <string_view>

namespace zocalo::assets {

struct File {
  std::string_view path;  // e.g. "templates/layout/base.mustache"
  std::string_view data;
};

// Every embedded file, sorted by path.
std::span<const File> all();
// The file at exactly `path`, if embedded.
std::optional<std::string_view> find(std::string_view path);

namespace detail {
extern const File kFiles[];
extern const std::size_t kFileCount;
}  // namespace detail

}  // namespace zocalo::assets
