#pragma once
// One language's message catalog: locale/<locale>.json plus each module's
// locale/<module>/<locale>.json, flat JSON objects of dotted keys
// ("portal.home.title") to text. Text is plain (never HTML); it may name request data as a
// mustache variable ("Resultados para «{{q}}»"), which the page fills in and escapes.
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "platform/core/result.hpp"

namespace zocalo::web {

class Catalog {
 public:
  // Fails on anything but a flat object of string values, on keys outside [a-z0-9_.-], and on
  // text holding mustache tags other than plain {{name}} variables: a catalog may never turn
  // escaping off ({{{x}}}, {{&x}}) or add logic, because translators are not reviewers of HTML.
  static Result<Catalog> parse(std::string locale, std::string_view json);

  // Adds `other`'s entries (another file of the same language). A key defined twice is an
  // error: two modules must never silently override each other's text.
  Status merge(Catalog&& other);

  const std::string& locale() const { return locale_; }
  std::optional<std::string_view> find(std::string_view key) const;
  const std::map<std::string, std::string, std::less<>>& entries() const { return entries_; }

 private:
  std::string locale_;
  std::map<std::string, std::string, std::less<>> entries_;
};

}  // namespace zocalo::web
