#pragma once
// The one list of what a resident can do on the site. Each module registers its own entries at
// start (the 311 module its report form, procedures its catalog...), so the portal never links
// to a page that does not exist. Titles and summaries are catalog keys, in every language.
#include <string>
#include <string_view>
#include <vector>

#include "platform/core/result.hpp"

namespace zocalo::portal {

struct DirectoryCategory {
  std::string id;         // "government"
  std::string title_key;  // "portal.category.government"
};

struct DirectoryEntry {
  std::string id;                     // unique, stable: "alcaldias"
  std::string title_key;              // "portal.alcaldias.title"
  std::string summary_key;            // "portal.alcaldias.summary"
  std::string href;                   // a same-site path: "/alcaldias"
  std::vector<std::string> keywords;  // Spanish and English words people search with
  std::string category;               // a DirectoryCategory id
};

class ServiceDirectory {
 public:
  // Categories show in the order added. Fails on a duplicate or empty id.
  Status add_category(DirectoryCategory category);
  // Fails on a duplicate id, an unknown category, an empty key, or an href that is not a
  // same-site path ("/x", never "//x" or "https://...").
  Status add(DirectoryEntry entry);

  const std::vector<DirectoryCategory>& categories() const { return categories_; }
  const std::vector<DirectoryEntry>& entries() const { return entries_; }
  const DirectoryEntry* find(std::string_view id) const;

 private:
  std::vector<DirectoryCategory> categories_;
  std::vector<DirectoryEntry> entries_;
};

}  // namespace zocalo::portal
