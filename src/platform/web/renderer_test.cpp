#include "platform/web/renderer.hpp"

#include <gtest/gtest.h>

#include <set>
#include <thread>
#include <vector>

#include "platform/web/template_text.hpp"

namespace zocalo::web {
namespace {

// A tiny site: a layout, one page, two catalogs.
class FakeSite {
 public:
  FakeSite() {
    add("locale/es-MX.json",
        R"({"locale.name":"Español","page.title":"Título","page.hello":"Hola «{{name}}» & más"})");
    add("locale/en.json",
        R"({"locale.name":"English","page.title":"Title","page.hello":"Hello “{{name}}” & more"})");
    add("templates/layout/base.mustache",
        "<!doctype html><html lang=\"{{lang}}\"><head><meta name=\"viewport\" "
        "content=\"width=device-width,initial-scale=1\"><title>{{title}}</title></head><body>"
        "{{#languages}}<a href=\"{{href}}\">{{name}}</a>{{/languages}}<main>{{{content}}}</main>"
        "</body></html>");
    add("templates/site/page.mustache", "<p>[[page.hello]]</p><p>{{comment}}</p>{{> site/_part}}");
    add("templates/site/_part.mustache", "<i>{{name}}</i>");
  }
  void add(std::string path, std::string data) {
    storage_.push_back({std::move(path), std::move(data)});
  }
  void replace(const std::string& path, std::string data) {
    for (auto& [p, d] : storage_) {
      if (p == path) d = std::move(data);
    }
  }
  std::vector<assets::File> files() const {
    std::vector<assets::File> out;
    for (const auto& [p, d] : storage_) out.push_back({p, d});
    return out;
  }
  Result<std::unique_ptr<Renderer>> load() const { return Renderer::load(files()); }

 private:
  std::vector<std::pair<std::string, std::string>> storage_;
};

View page_data() {
  View data{View::type::object};
  data.set("name", "<script>alert(1)</script>");
  data.set("comment", "\"quoted\" & 'single'");
  return data;
}

TEST(RendererTest, EscapesRequestDataInEveryLocale) {
  auto renderer = FakeSite().load();
  ASSERT_TRUE(renderer) << renderer.error().detail;
  for (const std::string locale : {"es-MX", "en"}) {
    const std::string html = (*renderer)->render(locale, "site/page", page_data());
    EXPECT_EQ(html.find("<script>"), std::string::npos) << html;
    EXPECT_NE(html.find("&lt;script&gt;alert(1)&lt;/script&gt;"), std::string::npos) << html;
    EXPECT_NE(html.find("&quot;quoted&quot; &amp; &apos;single&apos;"), std::string::npos) << html;
  }
}

TEST(RendererTest, TranslatesMarkersAtLoadWithEscapedCatalogText) {
  auto renderer = FakeSite().load();
  ASSERT_TRUE(renderer) << renderer.error().detail;
  View data{View::type::object};
  data.set("name", "Ana");
  EXPECT_EQ((*renderer)->render("es-MX", "site/page", data),
            "<p>Hola «Ana» &amp; más</p><p></p><i>Ana</i>");
  EXPECT_EQ((*renderer)->render("en", "site/page", data),
            "<p>Hello “Ana” &amp; more</p><p></p><i>Ana</i>");
  // An unknown locale falls back to the default.
  EXPECT_EQ((*renderer)->render("fr", "site/page", data),
            (*renderer)->render("es-MX", "site/page", data));
}

TEST(RendererTest, DefaultLocaleComesFirst) {
  auto renderer = FakeSite().load();
  ASSERT_TRUE(renderer);
  EXPECT_EQ((*renderer)->locales(), (std::vector<std::string>{"es-MX", "en"}));
  EXPECT_EQ((*renderer)->text("en", "page.title"), "Title");
  EXPECT_EQ((*renderer)->text("en", "no.such.key"), "no.such.key");
  EXPECT_FALSE((*renderer)->find_text("en", "no.such.key"));
}

TEST(RendererTest, PageGoesIntoLayoutWithLangViewportTitleAndLanguageLinks) {
  auto renderer = FakeSite().load();
  ASSERT_TRUE(renderer);
  http::Request req;
  req.locale = "en";
  req.path = "/buscar";
  req.raw_query = "q=agua&x=1";
  const http::Response res =
      (*renderer)->render_page(req, "site/page", page_data(), {.title_key = "page.title"});
  EXPECT_EQ(res.status, 200);
  EXPECT_EQ(res.headers.get("Content-Language"), "en");
  EXPECT_TRUE(res.headers.get("Content-Type")->starts_with("text/html"));
  EXPECT_TRUE(res.body.starts_with("<!doctype html><html lang=\"en\">")) << res.body;
  EXPECT_NE(res.body.find("name=\"viewport\""), std::string::npos);
  EXPECT_NE(res.body.find("<title>Title</title>"), std::string::npos);
  EXPECT_NE(res.body.find("<main><p>Hello"), std::string::npos);
  // The switch to Spanish comes back to this page, query included, encoded and escaped.
  EXPECT_NE(res.body.find("<a href=\"/idioma?lang=es&amp;next=%2Fbuscar%3Fq%3Dagua%26x%3D1\">"
                          "Español</a>"),
            std::string::npos)
      << res.body;
}

TEST(RendererTest, ExplicitTitleAndStatusWin) {
  auto renderer = FakeSite().load();
  ASSERT_TRUE(renderer);
  http::Request req;
  const http::Response res =
      (*renderer)->render_page(req, "site/page", page_data(),
                               {.title_key = "page.title", .title = "<Iztapalapa>", .status = 404});
  EXPECT_EQ(res.status, 404);
  EXPECT_NE(res.body.find("<title>&lt;Iztapalapa&gt;</title>"), std::string::npos) << res.body;
}

TEST(RendererTest, UnknownTemplateIsAProgrammingError) {
  auto renderer = FakeSite().load();
  ASSERT_TRUE(renderer);
  EXPECT_FALSE((*renderer)->has_template("site/missing"));
  EXPECT_THROW((*renderer)->render("es-MX", "site/missing", page_data()), std::out_of_range);
}

TEST(RendererTest, LoadFailsOnUnknownMessageKey) {
  FakeSite site;
  site.replace("templates/site/page.mustache", "<p>[[page.nope]]</p>");
  auto renderer = site.load();
  ASSERT_FALSE(renderer);
  EXPECT_NE(renderer.error().detail.find("page.nope"), std::string::npos);
}

TEST(RendererTest, LoadFailsWhenCatalogsDisagree) {
  FakeSite site;
  site.replace("locale/en.json", R"({"locale.name":"English","page.title":"Title"})");
  auto renderer = site.load();
  ASSERT_FALSE(renderer);
  EXPECT_NE(renderer.error().detail.find("page.hello"), std::string::npos);
}

TEST(RendererTest, ModuleCatalogsMergeIntoTheirLanguage) {
  FakeSite site;
  site.add("locale/mod/es-MX.json", R"({"mod.greet":"Hola"})");
  site.add("locale/mod/en.json", R"({"mod.greet":"Hi"})");
  auto renderer = site.load();
  ASSERT_TRUE(renderer) << renderer.error().detail;
  EXPECT_EQ((*renderer)->text("es-MX", "mod.greet"), "Hola");
  EXPECT_EQ((*renderer)->text("en", "mod.greet"), "Hi");
  EXPECT_EQ((*renderer)->text("en", "page.title"), "Title");
}

TEST(RendererTest, ModuleCatalogsMayNotRedefineOrLackKeys) {
  FakeSite clash;
  clash.add("locale/mod/es-MX.json", R"({"page.title":"Otro"})");
  clash.add("locale/mod/en.json", R"({"page.title":"Other"})");
  auto renderer = clash.load();
  ASSERT_FALSE(renderer);
  EXPECT_NE(renderer.error().detail.find("defined twice"), std::string::npos);

  FakeSite missing;
  missing.add("locale/mod/es-MX.json", R"({"mod.greet":"Hola"})");
  renderer = missing.load();
  ASSERT_FALSE(renderer);
  EXPECT_NE(renderer.error().detail.find("mod.greet"), std::string::npos);
}

TEST(RendererTest, LoadRefusesUnescapedOutputInPages) {
  for (const std::string body : {"{{{name}}}", "{{&name}}", "{{ & name}}", "{{=<% %>=}}<%name%>"}) {
    FakeSite site;
    site.replace("templates/site/page.mustache", body);
    auto renderer = site.load();
    EXPECT_FALSE(renderer) << body;
  }
}

TEST(RendererTest, LoadRefusesCatalogTextThatWouldTurnEscapingOff) {
  FakeSite site;
  site.replace("locale/en.json",
               R"({"locale.name":"English","page.title":"Title","page.hello":"{{{name}}}"})");
  EXPECT_FALSE(site.load());
}

TEST(RendererTest, LoadFailsOnMalformedMarkerAndUnknownPartial) {
  FakeSite a;
  a.replace("templates/site/page.mustache", "[[ page.hello ]]");
  EXPECT_FALSE(a.load());
  FakeSite b;
  b.replace("templates/site/page.mustache", "{{> site/_nope}}");
  EXPECT_FALSE(b.load());
  FakeSite c;
  c.replace("templates/site/_part.mustache", "{{> site/_part}}");
  EXPECT_FALSE(c.load());
}

TEST(RendererTest, LayoutNeedsExactlyOneContentSlot) {
  FakeSite site;
  site.replace("templates/layout/base.mustache", "<html><main></main></html>");
  EXPECT_FALSE(site.load());
}

TEST(RendererTest, ConcurrentRendersGiveIdenticalOutput) {
  auto loaded = FakeSite().load();
  ASSERT_TRUE(loaded);
  const Renderer& renderer = **loaded;
  const std::string expected = renderer.render("en", "site/page", page_data());
  std::vector<std::thread> threads;
  std::vector<int> mismatches(8, 0);
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      const View data = page_data();
      for (int i = 0; i < 500; ++i) {
        if (renderer.render("en", "site/page", data) != expected) ++mismatches[t];
      }
    });
  }
  for (auto& thread : threads) thread.join();
  for (int t = 0; t < 8; ++t) EXPECT_EQ(mismatches[t], 0) << "thread " << t;
}

// The real site: what ships in the binary.

TEST(EmbeddedSiteTest, LoadsWithCatalogsInStepAndEveryMarkerKnown) {
  auto renderer = Renderer::load();
  ASSERT_TRUE(renderer) << renderer.error().detail;
  EXPECT_EQ((*renderer)->default_locale(), "es-MX");
  EXPECT_EQ((*renderer)->locales().size(), 2u);
}

// Every language's catalog as the renderer builds it: locale/<lang>.json merged with each
// module's locale/<module>/<lang>.json.
Catalog embedded_catalog(const std::string& locale) {
  Catalog merged = *Catalog::parse(locale, *assets::find("locale/" + locale + ".json"));
  for (const auto& file : assets::all()) {
    const std::string_view path = file.path;
    if (!path.starts_with("locale/") || !path.ends_with("/" + locale + ".json")) continue;
    if (path == "locale/" + locale + ".json") continue;
    auto part = Catalog::parse(locale, file.data);
    EXPECT_TRUE(part) << path << ": " << part.error().detail;
    if (part) {
      EXPECT_TRUE(merged.merge(std::move(*part))) << path;
    }
  }
  return merged;
}

TEST(EmbeddedSiteTest, BothCatalogsHoldTheSameKeys) {
  const Catalog es = embedded_catalog("es-MX");
  const Catalog en = embedded_catalog("en");
  std::set<std::string> es_keys;
  std::set<std::string> en_keys;
  for (const auto& [key, text] : es.entries()) es_keys.insert(key);
  for (const auto& [key, text] : en.entries()) en_keys.insert(key);
  EXPECT_EQ(es_keys, en_keys);
  for (const auto& [key, text] : es.entries()) EXPECT_FALSE(text.empty()) << key;
  for (const auto& [key, text] : en.entries()) EXPECT_FALSE(text.empty()) << key;
}

TEST(EmbeddedSiteTest, EveryTemplateMarkerExistsInBothCatalogs) {
  const Catalog es = embedded_catalog("es-MX");
  const Catalog en = embedded_catalog("en");
  int markers = 0;
  for (const auto& file : assets::all()) {
    if (!file.path.starts_with("templates/")) continue;
    for (const auto& key : marker_keys(file.data)) {
      ++markers;
      EXPECT_TRUE(es.find(key)) << file.path << ": " << key;
      EXPECT_TRUE(en.find(key)) << file.path << ": " << key;
    }
  }
  EXPECT_GT(markers, 20);
}

TEST(EmbeddedSiteTest, NoTemplateTurnsEscapingOffExceptTheLayoutContentSlot) {
  int templates = 0;
  for (const auto& file : assets::all()) {
    if (!file.path.starts_with("templates/")) continue;
    ++templates;
    std::string source(file.data);
    if (file.path == "templates/layout/base.mustache") {
      const auto slot = source.find("{{{content}}}");
      ASSERT_NE(slot, std::string::npos);
      source.erase(slot, std::string_view("{{{content}}}").size());
    }
    EXPECT_FALSE(has_unescaped_tag(source)) << file.path;
  }
  EXPECT_GE(templates, 5);
}

TEST(EmbeddedSiteTest, LayoutDeclaresLanguageViewportSkipLinkAndLandmarks) {
  auto renderer = Renderer::load();
  ASSERT_TRUE(renderer);
  for (const std::string locale : {"es-MX", "en"}) {
    http::Request req;
    req.locale = locale;
    req.path = "/";
    const std::string html =
        (*renderer)->render_page(req, "errors/error", View{View::type::object}).body;
    EXPECT_NE(html.find("<html lang=\"" + locale + "\">"), std::string::npos);
    EXPECT_NE(html.find("<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">"),
              std::string::npos);
    EXPECT_NE(html.find("class=\"skip\" href=\"#main\""), std::string::npos);
    EXPECT_NE(html.find("<main id=\"main\""), std::string::npos);
    EXPECT_NE(html.find("<header"), std::string::npos);
    EXPECT_NE(html.find("<footer"), std::string::npos);
    EXPECT_NE(html.find("<nav"), std::string::npos);
    EXPECT_NE(html.find("href=\"/static/app."), std::string::npos);
    EXPECT_EQ(html.find("<script"), std::string::npos);
  }
}

}  // namespace
}  // namespace zocalo::web
