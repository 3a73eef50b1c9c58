#pragma once
// The service directory as ready-made template data, one copy per locale, built once at start:
// the directory does not change while serving, so pages only copy these views.
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "platform/core/result.hpp"
#include "platform/web/renderer.hpp"
#include "portal/model/service_directory.hpp"
#include "portal/model/service_search.hpp"

namespace zocalo::portal {

class DirectoryViews {
 public:
  // Fails when an entry or category names a catalog key that does not exist.
  static Result<DirectoryViews> build(const ServiceDirectory& directory,
                                      const web::Renderer& renderer);

  // [{id, title, entries: [{title, summary, href}]}]: categories in the order added, empty
  // ones left out, entries by title in that language.
  const web::View& categories(std::string_view locale) const;
  // {title, summary, href} of one entry, or nullptr.
  const web::View* entry(std::string_view locale, std::string_view id) const;
  // Every entry, titles and summaries in all languages, ready to search.
  const ServiceSearch& search() const { return search_; }

 private:
  struct LocaleViews {
    web::View categories{web::View::type::list};
    std::map<std::string, web::View, std::less<>> entries;
  };
  const LocaleViews& for_locale(std::string_view locale) const;

  std::map<std::string, LocaleViews, std::less<>> by_locale_;
  std::string default_locale_;
  ServiceSearch search_;
};

}  // namespace zocalo::portal
