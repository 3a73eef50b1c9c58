#pragma once
// Server-side HTML: every templates/**/*.mustache is loaded from the embedded assets at start,
// its partials inlined and its [[message.key]] markers replaced by the escaped catalog text of
// each locale, then compiled once per locale. Rendering is a walk over a compiled template
// with the request's data: no parsing, no catalog lookups.
//
//   web::View data = web::View::type::object;
//   data.set("q", query);                                   // {{q}} is always escaped
//   return renderer.render_page(req, "portal/search", data, {.title_key = "portal.search.title"});
//
// Page templates may not turn escaping off ({{{x}}} and {{&x}} are refused at load); the page
// goes into layout/base.mustache at its {{{content}}} slot, which is split at load instead of
// being rendered as a variable.
#include <kainjow/mustache.hpp>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "platform/core/assets.hpp"
#include "platform/core/result.hpp"
#include "platform/http/request.hpp"
#include "platform/http/response.hpp"
#include "platform/web/catalog.hpp"

namespace zocalo::web {

class CompiledTemplate;
using View = kainjow::mustache::data;

struct RendererOptions {
  std::string site_name = "zócalo";  // shown in the header and every <title>
  std::string default_locale = "es-MX";
  std::string stylesheet = "app.css";  // static/ names, linked by their fingerprinted URLs
  std::string icon = "favicon.svg";
};

struct PageOptions {
  std::string title_key;  // catalog key of the page's <title>
  std::string title;      // already-localised title (e.g. a name from the database); wins
  int status = 200;
};

class Renderer {
 public:
  // Loads from every embedded asset.
  static Result<std::unique_ptr<Renderer>> load(RendererOptions options = {});
  // Loads from `files` (templates/**.mustache, locale/*.json, static/*): tests pass their own.
  // Fails when a template does not parse, uses an unknown partial or message key, turns
  // escaping off, or when the catalogs do not hold the same keys.
  static Result<std::unique_ptr<Renderer>> load(std::span<const assets::File> files,
                                                RendererOptions options = {});
  ~Renderer();
  Renderer(const Renderer&) = delete;
  Renderer& operator=(const Renderer&) = delete;

  // Catalog locales, the default first ("es-MX", "en").
  const std::vector<std::string>& locales() const { return locales_; }
  const std::string& default_locale() const { return locales_.front(); }
  bool has_template(std::string_view name) const;

  // Catalog text, unescaped, for data that the template escapes, headers and JSON. An unknown
  // locale falls back to the default; an unknown key yields nullopt.
  std::optional<std::string_view> find_text(std::string_view locale, std::string_view key) const;
  // As find_text, but an unknown key yields the key itself (visible, never a crash).
  std::string_view text(std::string_view locale, std::string_view key) const;

  // Renders template `name` ("portal/home") alone. Thread-safe. Throws std::out_of_range for
  // an unknown template: a programming error, answered as a 500 at the request boundary.
  std::string render(std::string_view locale, std::string_view name, const View& data) const;
  // Renders the page in req.locale inside the layout and answers text/html.
  http::Response render_page(const http::Request& req, std::string_view name, const View& data,
                             const PageOptions& options = {}) const;

 private:
  Renderer() = default;
  const CompiledTemplate& compiled(std::string_view locale, std::string_view name) const;
  std::size_t locale_index(std::string_view locale) const;
  View layout_view(const http::Request& req, std::size_t locale, const PageOptions& options) const;

  RendererOptions options_;
  std::string stylesheet_url_;
  std::string icon_url_;
  std::vector<std::string> locales_;
  std::vector<Catalog> catalogs_;  // parallel to locales_
  // Per locale: template name -> compiled template.
  std::vector<std::map<std::string, std::unique_ptr<CompiledTemplate>, std::less<>>> templates_;
};

}  // namespace zocalo::web
