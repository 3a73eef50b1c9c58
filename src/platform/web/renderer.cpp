#include "platform/web/renderer.hpp"

#include <set>
#include <stdexcept>

#include "platform/http/form.hpp"
#include "platform/web/compiled_template.hpp"
#include "platform/web/locale.hpp"
#include "platform/web/static_assets.hpp"
#include "platform/web/template_text.hpp"

namespace zocalo::web {
namespace {

constexpr std::string_view kTemplateDir = "templates/";
constexpr std::string_view kTemplateExt = ".mustache";
constexpr std::string_view kCatalogDir = "locale/";
constexpr std::string_view kCatalogExt = ".json";
constexpr std::string_view kLayout = "layout/base";
constexpr std::string_view kContentSlot = "{{{content}}}";
constexpr std::string_view kLayoutHead = "layout/base#head";
constexpr std::string_view kLayoutTail = "layout/base#tail";

Error load_error(std::string_view name, std::string_view what) {
  return Error::internal("template " + std::string(name) + ": " + std::string(what));
}

// Template and catalog sources, by name, from the embedded files.
struct Sources {
  std::map<std::string, std::string_view, std::less<>> templates;  // "portal/home" -> text
  // "es-MX" -> JSON of locale/es-MX.json, then of each locale/<module>/es-MX.json
  std::map<std::string, std::vector<std::string_view>, std::less<>> catalogs;
};

Sources collect(std::span<const assets::File> files) {
  Sources sources;
  for (const auto& file : files) {
    const std::string_view path = file.path;
    if (path.starts_with(kTemplateDir) && path.ends_with(kTemplateExt)) {
      sources.templates.emplace(
          path.substr(kTemplateDir.size(), path.size() - kTemplateDir.size() - kTemplateExt.size()),
          file.data);
    } else if (path.starts_with(kCatalogDir) && path.ends_with(kCatalogExt)) {
      // locale/es-MX.json or locale/<module>/es-MX.json; files arrive sorted by path, so the
      // main catalog comes first and the modules' files follow in name order.
      std::string_view rest = path.substr(kCatalogDir.size());
      rest.remove_suffix(kCatalogExt.size());
      const auto slash = rest.find('/');
      if (slash != std::string_view::npos) {
        if (rest.find('/', slash + 1) != std::string_view::npos) continue;
        rest.remove_prefix(slash + 1);
      }
      auto& parts = sources.catalogs[std::string(rest)];
      if (slash == std::string_view::npos) {
        parts.insert(parts.begin(), file.data);
      } else {
        parts.push_back(file.data);
      }
    }
  }
  return sources;
}

Status same_keys(const Catalog& reference, const Catalog& other) {
  for (const auto& [key, text] : reference.entries()) {
    if (!other.find(key)) {
      return fail(Error::internal("catalog " + other.locale() + " lacks '" + key + "' (in " +
                                  reference.locale() + ")"));
    }
  }
  if (reference.entries().size() != other.entries().size()) {
    for (const auto& [key, text] : other.entries()) {
      if (!reference.find(key)) {
        return fail(Error::internal("catalog " + reference.locale() + " lacks '" + key + "' (in " +
                                    other.locale() + ")"));
      }
    }
  }
  return {};
}

}  // namespace

Renderer::~Renderer() = default;

Result<std::unique_ptr<Renderer>> Renderer::load(RendererOptions options) {
  return load(assets::all(), std::move(options));
}

Result<std::unique_ptr<Renderer>> Renderer::load(std::span<const assets::File> files,
                                                 RendererOptions options) {
  const Sources sources = collect(files);
  std::unique_ptr<Renderer> r(new Renderer());

  // Catalogs: the default locale first, then the others in name order.
  const auto default_catalog = sources.catalogs.find(options.default_locale);
  if (default_catalog == sources.catalogs.end()) {
    return fail(Error::internal("no catalog for default locale " + options.default_locale));
  }
  auto add_catalog = [&r](const std::string& locale,
                          const std::vector<std::string_view>& files) -> Status {
    auto catalog = Catalog::parse(locale, files.front());
    if (!catalog) return fail(catalog.error());
    for (std::size_t i = 1; i < files.size(); ++i) {
      auto part = Catalog::parse(locale, files[i]);
      if (!part) return fail(part.error());
      if (auto merged = catalog->merge(std::move(*part)); !merged) return merged;
    }
    if (!r->catalogs_.empty()) {
      if (auto same = same_keys(r->catalogs_.front(), *catalog); !same) return same;
    }
    r->locales_.push_back(locale);
    r->catalogs_.push_back(std::move(*catalog));
    return {};
  };
  if (auto ok = add_catalog(default_catalog->first, default_catalog->second); !ok) {
    return fail(ok.error());
  }
  for (const auto& [locale, files] : sources.catalogs) {
    if (locale == options.default_locale) continue;
    if (auto ok = add_catalog(locale, files); !ok) return fail(ok.error());
  }

  const TemplateLookup lookup = [&sources](std::string_view name) {
    const auto it = sources.templates.find(name);
    return it == sources.templates.end() ? std::nullopt
                                         : std::optional<std::string_view>(it->second);
  };
  if (!sources.templates.contains(kLayout)) return fail(load_error(kLayout, "missing"));

  r->templates_.resize(r->locales_.size());
  for (const auto& [name, raw] : sources.templates) {
    auto source = inline_partials(raw, lookup);
    if (!source) return fail(load_error(name, source.error().detail));
    std::vector<std::pair<std::string, std::string>> parts;  // name -> source
    if (name == kLayout) {
      // The layout's one content slot is where the (already escaped) page goes.
      const std::size_t slot = source->find(kContentSlot);
      if (slot == std::string::npos || source->find(kContentSlot, slot + 1) != std::string::npos) {
        return fail(load_error(name, "needs exactly one {{{content}}} slot"));
      }
      parts.emplace_back(kLayoutHead, source->substr(0, slot));
      parts.emplace_back(kLayoutTail, source->substr(slot + kContentSlot.size()));
    } else {
      parts.emplace_back(name, std::move(*source));
    }
    for (const auto& [part_name, part_source] : parts) {
      if (has_unescaped_tag(part_source)) {
        return fail(load_error(part_name, "unescaped output ({{{ }}}, {{& }} or {{= }})"));
      }
      for (std::size_t i = 0; i < r->locales_.size(); ++i) {
        auto translated = translate_markers(part_source, r->catalogs_[i]);
        if (!translated) return fail(load_error(part_name, translated.error().detail));
        auto compiled = std::make_unique<CompiledTemplate>(*translated);
        if (!compiled->valid()) return fail(load_error(part_name, compiled->error()));
        r->templates_[i].emplace(part_name, std::move(compiled));
      }
    }
  }

  r->stylesheet_url_ = asset_url(options.stylesheet);
  r->icon_url_ = asset_url(options.icon);
  r->options_ = std::move(options);
  return r;
}

bool Renderer::has_template(std::string_view name) const {
  return templates_.front().contains(name);
}

std::size_t Renderer::locale_index(std::string_view locale) const {
  for (std::size_t i = 0; i < locales_.size(); ++i) {
    if (locales_[i] == locale) return i;
  }
  return 0;
}

std::optional<std::string_view> Renderer::find_text(std::string_view locale,
                                                    std::string_view key) const {
  return catalogs_[locale_index(locale)].find(key);
}

std::string_view Renderer::text(std::string_view locale, std::string_view key) const {
  return find_text(locale, key).value_or(key);
}

const CompiledTemplate& Renderer::compiled(std::string_view locale, std::string_view name) const {
  const auto& by_name = templates_[locale_index(locale)];
  const auto it = by_name.find(name);
  if (it == by_name.end()) throw std::out_of_range("no template " + std::string(name));
  return *it->second;
}

std::string Renderer::render(std::string_view locale, std::string_view name,
                             const View& data) const {
  std::string out;
  compiled(locale, name).render_into(data, out);
  return out;
}

View Renderer::layout_view(const http::Request& req, std::size_t locale,
                           const PageOptions& options) const {
  View view{View::type::object};
  view.set("lang", locales_[locale]);
  view.set("title", options.title.empty() ? std::string(text(locales_[locale], options.title_key))
                                          : options.title);
  view.set("site_name", options_.site_name);
  view.set("stylesheet_url", stylesheet_url_);
  view.set("icon_url", icon_url_);
  // The switch brings the reader back to this very page (path and query).
  std::string here = req.path.empty() ? "/" : req.path;
  if (!req.raw_query.empty()) here += "?" + req.raw_query;
  const std::string next = http::percent_encode(safe_return_path(here));
  View languages{View::type::list};
  for (std::size_t i = 0; i < locales_.size(); ++i) {
    if (i == locale) continue;
    View link{View::type::object};
    link.set("name", std::string(text(locales_[i], "locale.name")));
    link.set("lang", locales_[i]);
    link.set("href", "/idioma?lang=" + lang_param(locales_[i]) + "&next=" + next);
    languages.push_back(std::move(link));
  }
  view.set("languages", std::move(languages));
  return view;
}

http::Response Renderer::render_page(const http::Request& req, std::string_view name,
                                     const View& data, const PageOptions& options) const {
  const std::size_t locale = locale_index(req.locale);
  const View layout = layout_view(req, locale, options);
  std::string html;
  html.reserve(8 * 1024);
  compiled(locales_[locale], kLayoutHead).render_into(layout, html);
  compiled(locales_[locale], name).render_into(data, html);
  compiled(locales_[locale], kLayoutTail).render_into(layout, html);
  http::Response res = http::Response::html(std::move(html), options.status);
  res.headers.set("Content-Language", locales_[locale]);
  return res;
}

}  // namespace zocalo::web
