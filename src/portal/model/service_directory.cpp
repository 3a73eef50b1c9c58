#include "portal/model/service_directory.hpp"

#include <algorithm>

namespace zocalo::portal {

Status ServiceDirectory::add_category(DirectoryCategory category) {
  if (category.id.empty() || category.title_key.empty()) {
    return fail(Error::invalid("error.400.body", "directory category needs an id and a title"));
  }
  const bool taken = std::any_of(categories_.begin(), categories_.end(),
                                 [&](const DirectoryCategory& c) { return c.id == category.id; });
  if (taken) return fail(Error::conflict("error.409.body", "duplicate category " + category.id));
  categories_.push_back(std::move(category));
  return {};
}

Status ServiceDirectory::add(DirectoryEntry entry) {
  if (entry.id.empty() || entry.title_key.empty() || entry.summary_key.empty()) {
    return fail(Error::invalid("error.400.body", "directory entry needs id, title and summary"));
  }
  const std::string_view href = entry.href;
  if (href.empty() || href.front() != '/' ||
      (href.size() > 1 && (href[1] == '/' || href[1] == '\\'))) {
    return fail(Error::invalid("error.400.body",
                               "directory entry " + entry.id + ": href must be a same-site path"));
  }
  const bool known =
      std::any_of(categories_.begin(), categories_.end(),
                  [&](const DirectoryCategory& c) { return c.id == entry.category; });
  if (!known) {
    return fail(Error::invalid(
        "error.400.body", "directory entry " + entry.id + ": unknown category " + entry.category));
  }
  if (find(entry.id) != nullptr) {
    return fail(Error::conflict("error.409.body", "duplicate directory entry " + entry.id));
  }
  entries_.push_back(std::move(entry));
  return {};
}

const DirectoryEntry* ServiceDirectory::find(std::string_view id) const {
  const auto it = std::find_if(entries_.begin(), entries_.end(),
                               [&](const DirectoryEntry& e) { return e.id == id; });
  return it == entries_.end() ? nullptr : &*it;
}

}  // namespace zocalo::portal
