#include "portal/routes/directory_views.hpp"

#include <algorithm>

#include "portal/model/search_text.hpp"

namespace zocalo::portal {
namespace {

Result<std::string> text(const web::Renderer& renderer, const std::string& locale,
                         const std::string& key) {
  const auto found = renderer.find_text(locale, key);
  if (!found) return fail(Error::internal("directory: no catalog text for '" + key + "'"));
  return std::string(*found);
}

}  // namespace

Result<DirectoryViews> DirectoryViews::build(const ServiceDirectory& directory,
                                             const web::Renderer& renderer) {
  DirectoryViews views;
  views.default_locale_ = renderer.default_locale();
  std::map<std::string, SearchDocument> documents;
  for (const std::string& locale : renderer.locales()) {
    LocaleViews& lv = views.by_locale_[locale];
    for (const DirectoryCategory& category : directory.categories()) {
      auto category_title = text(renderer, locale, category.title_key);
      if (!category_title) return fail(category_title.error());
      struct Item {
        std::string sort_key;
        web::View view;
      };
      std::vector<Item> items;
      for (const DirectoryEntry& entry : directory.entries()) {
        if (entry.category != category.id) continue;
        auto title = text(renderer, locale, entry.title_key);
        auto summary = text(renderer, locale, entry.summary_key);
        if (!title) return fail(title.error());
        if (!summary) return fail(summary.error());
        web::View view{web::View::type::object};
        view.set("title", *title);
        view.set("summary", *summary);
        view.set("href", entry.href);
        lv.entries.emplace(entry.id, view);
        SearchDocument& doc = documents[entry.id];
        doc.id = entry.id;
        doc.titles.push_back(*title);
        doc.summaries.push_back(*summary);
        doc.keywords = entry.keywords;
        items.push_back({fold_for_search(*title), std::move(view)});
      }
      if (items.empty()) continue;
      std::stable_sort(items.begin(), items.end(),
                       [](const Item& a, const Item& b) { return a.sort_key < b.sort_key; });
      web::View entries{web::View::type::list};
      for (auto& item : items) entries.push_back(std::move(item.view));
      web::View view{web::View::type::object};
      view.set("id", category.id);
      view.set("title", *category_title);
      view.set("entries", std::move(entries));
      lv.categories.push_back(std::move(view));
    }
  }
  // Searched in the order registered, so equal scores keep the directory's order.
  for (const DirectoryEntry& entry : directory.entries()) {
    const auto it = documents.find(entry.id);
    if (it != documents.end()) views.search_.add(it->second);
  }
  return views;
}

const DirectoryViews::LocaleViews& DirectoryViews::for_locale(std::string_view locale) const {
  const auto it = by_locale_.find(locale);
  return it != by_locale_.end() ? it->second : by_locale_.find(default_locale_)->second;
}

const web::View& DirectoryViews::categories(std::string_view locale) const {
  return for_locale(locale).categories;
}

const web::View* DirectoryViews::entry(std::string_view locale, std::string_view id) const {
  const auto& entries = for_locale(locale).entries;
  const auto it = entries.find(id);
  return it == entries.end() ? nullptr : &it->second;
}

}  // namespace zocalo::portal
