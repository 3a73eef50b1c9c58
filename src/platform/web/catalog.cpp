#include "platform/web/catalog.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

#include "platform/web/template_text.hpp"

namespace zocalo::web {
namespace {

bool valid_key(std::string_view key) {
  if (key.empty() || key.size() > 128) return false;
  for (const char c : key) {
    const bool ok =
        (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-';
    if (!ok) return false;
  }
  return true;
}

}  // namespace

Result<Catalog> Catalog::parse(std::string locale, std::string_view json) {
  boost::system::error_code ec;
  const boost::json::value doc = boost::json::parse(json, ec);
  if (ec || !doc.is_object()) {
    return fail(Error::internal("catalog " + locale + ": not a JSON object: " + ec.message()));
  }
  Catalog catalog;
  catalog.locale_ = std::move(locale);
  for (const auto& [key, value] : doc.as_object()) {
    const std::string name(key);
    if (!valid_key(name)) {
      return fail(Error::internal("catalog " + catalog.locale_ + ": bad key '" + name + "'"));
    }
    if (!value.is_string()) {
      return fail(Error::internal("catalog " + catalog.locale_ + ": '" + name + "' is not text"));
    }
    std::string text(value.as_string());
    if (!only_plain_variables(text) || text.find("[[") != std::string::npos) {
      return fail(Error::internal("catalog " + catalog.locale_ + ": '" + name +
                                  "' may only use {{variable}} tags"));
    }
    catalog.entries_.emplace(name, std::move(text));
  }
  return catalog;
}

Status Catalog::merge(Catalog&& other) {
  for (auto& [key, text] : other.entries_) {
    if (entries_.contains(key)) {
      return fail(Error::internal("catalog " + locale_ + ": '" + key + "' is defined twice"));
    }
  }
  entries_.merge(other.entries_);
  return {};
}

std::optional<std::string_view> Catalog::find(std::string_view key) const {
  const auto it = entries_.find(key);
  if (it == entries_.end()) return std::nullopt;
  return it->second;
}

}  // namespace zocalo::web
