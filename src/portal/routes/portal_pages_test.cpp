#include <gtest/gtest.h>

#include <regex>

#include "platform/core/text.hpp"
#include "platform/web/template_text.hpp"
#include "portal/routes/portal_site_fixture.hpp"

namespace zocalo::portal {
namespace {

bool contains(const std::string& haystack, std::string_view needle) {
  return haystack.find(needle) != std::string::npos;
}

std::size_t count(const std::string& haystack, const std::string& needle) {
  std::size_t n = 0;
  for (auto pos = haystack.find(needle); pos != std::string::npos;
       pos = haystack.find(needle, pos + 1)) {
    ++n;
  }
  return n;
}

class PortalPagesTest : public PortalSiteTest {
 protected:
  // Catalog text as it appears in a page: escaped.
  std::string html_text(std::string_view locale, std::string_view key) const {
    return text::escape_xml(renderer().text(locale, key));
  }
};

TEST_P(PortalPagesTest, HomeHasCitySearchDirectoryAndLanguageSwitch) {
  const http::Response res = get("/");
  ASSERT_EQ(res.status, 200);
  EXPECT_TRUE(contains(res.body, "<html lang=\"es-MX\">"));
  EXPECT_TRUE(contains(res.body, "<h1>Ciudad de México</h1>"));
  EXPECT_TRUE(contains(res.body, "action=\"/buscar\""));
  EXPECT_TRUE(contains(res.body, "<label for=\"q\">"));
  EXPECT_TRUE(contains(res.body, "href=\"/idioma?lang=en&amp;next=%2F\""));
  EXPECT_TRUE(contains(res.body, "href=\"/alcaldias\""));
  EXPECT_TRUE(contains(res.body, "href=\"/dependencias\""));
  EXPECT_TRUE(contains(res.body, "Tu gobierno"));
  EXPECT_FALSE(contains(res.body, "class=\"signin\""));  // no identity configured
  EXPECT_EQ(res.headers.get("Content-Language"), "es-MX");
}

TEST_P(PortalPagesTest, HomeSpeaksEnglishByAcceptLanguageAndCookie) {
  EXPECT_TRUE(contains(get("/", "en-US,en;q=0.9").body, "<html lang=\"en\">"));
  EXPECT_TRUE(contains(get("/", "", "lang=en").body, "Your government"));
  EXPECT_TRUE(contains(get("/", "en", "lang=es-MX").body, "<html lang=\"es-MX\">"));
}

TEST_P(PortalPagesTest, DirectoryListsEveryEntryWithSummaries) {
  const http::Response res = get("/servicios");
  ASSERT_EQ(res.status, 200);
  EXPECT_TRUE(contains(res.body, "<h1>Todos los servicios</h1>"));
  EXPECT_TRUE(contains(res.body, html_text("es-MX", "portal.alcaldias.summary")));
  EXPECT_TRUE(contains(res.body, html_text("es-MX", "portal.agencies.summary")));
  const http::Response en = get("/servicios", "en");
  EXPECT_TRUE(contains(en.body, html_text("en", "portal.alcaldias.summary")));
}

TEST_P(PortalPagesTest, SearchFindsEntriesWithoutAccentsInBothLanguages) {
  const http::Response res = get("/buscar?q=alcaldia");
  ASSERT_EQ(res.status, 200);
  EXPECT_TRUE(contains(res.body, "href=\"/alcaldias\""));
  EXPECT_TRUE(contains(res.body, "value=\"alcaldia\""));
  EXPECT_TRUE(contains(res.body, "Resultados para «alcaldia»"));
  EXPECT_TRUE(contains(get("/buscar?q=borough", "en").body, "href=\"/alcaldias\""));
  EXPECT_TRUE(contains(get("/buscar?q=SECRETAR%C3%8DA").body, "href=\"/dependencias\""));
}

TEST_P(PortalPagesTest, SearchEchoesTheQueryEscaped) {
  const http::Response res = get("/buscar?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E");
  ASSERT_EQ(res.status, 200);
  EXPECT_FALSE(contains(res.body, "<script>"));
  EXPECT_TRUE(contains(res.body, "&lt;script&gt;alert(1)&lt;/script&gt;"));
  EXPECT_TRUE(contains(res.body, html_text("es-MX", "portal.search.none")));
}

TEST_P(PortalPagesTest, EmptySearchAsksForWords) {
  const http::Response res = get("/buscar?q=");
  ASSERT_EQ(res.status, 200);
  EXPECT_TRUE(contains(res.body, html_text("es-MX", "portal.search.empty")));
  EXPECT_EQ(get("/buscar").status, 200);
}

TEST_P(PortalPagesTest, OverlongSearchIs400WithAClearMessage) {
  const http::Response ok = get("/buscar?q=" + std::string(200, 'a'));
  EXPECT_EQ(ok.status, 200);
  const http::Response res = get("/buscar?q=" + std::string(201, 'a'));
  EXPECT_EQ(res.status, 400);
  EXPECT_TRUE(contains(res.body, html_text("es-MX", "portal.search.too_long")));
  EXPECT_TRUE(contains(res.body, "aria-invalid=\"true\""));
  EXPECT_FALSE(contains(res.body, "value=\"" + std::string(201, 'a')));  // not echoed
  EXPECT_TRUE(contains(get("/buscar?q=" + std::string(300, 'a'), "en").body,
                       html_text("en", "portal.search.too_long")));
}

TEST_P(PortalPagesTest, MalformedQueryIs400) {
  EXPECT_EQ(get("/buscar?q=%ZZ").status, 400);
  EXPECT_EQ(get("/buscar?q=%FF%FE").status, 400);
}

TEST_P(PortalPagesTest, AlcaldiasListsTheSixteenInReadingOrder) {
  const http::Response res = get("/alcaldias");
  ASSERT_EQ(res.status, 200);
  EXPECT_EQ(count(res.body, "<li>"), 16u);
  for (const std::string name : {"Iztapalapa", "Coyoacán", "Cuauhtémoc", "Milpa Alta", "Xochimilco",
                                 "Álvaro Obregón", "Gustavo A. Madero"}) {
    EXPECT_TRUE(contains(res.body, "<li>" + name + " ")) << name;
  }
  EXPECT_LT(res.body.find("Álvaro Obregón"), res.body.find("Azcapotzalco"));
  EXPECT_LT(res.body.find("Azcapotzalco"), res.body.find("Xochimilco"));
  EXPECT_TRUE(contains(res.body, "09007"));
  EXPECT_TRUE(contains(res.body, "INEGI"));
}

TEST_P(PortalPagesTest, AgenciesShowTranslatedAndOfficialNames) {
  const http::Response es = get("/dependencias");
  ASSERT_EQ(es.status, 200);
  EXPECT_TRUE(contains(es.body, "<li>Agencia Digital de Innovación Pública</li>"));
  EXPECT_TRUE(contains(es.body, "<li>Alcaldía Iztapalapa</li>"));
  const http::Response en = get("/dependencias", "en");
  EXPECT_TRUE(contains(en.body,
                       "Digital Agency for Public Innovation <span class=\"muted\" "
                       "lang=\"es\">(Agencia Digital de Innovación Pública)</span>"));
}

TEST_P(PortalPagesTest, LanguageSwitchSetsCookieAndReturns) {
  const http::Response res = get("/idioma?lang=en&next=%2Fservicios");
  EXPECT_EQ(res.status, 303);
  EXPECT_EQ(res.headers.get("Location"), "/servicios");
  EXPECT_TRUE(res.headers.get("Set-Cookie")->starts_with("lang=en"));
  const http::Response evil = get("/idioma?lang=en&next=https%3A%2F%2Fevil.example%2F");
  EXPECT_EQ(evil.headers.get("Location"), "/");
  const http::Response bad = get("/idioma?lang=xx&next=%2F");
  EXPECT_EQ(bad.status, 400);
  EXPECT_TRUE(contains(bad.body, html_text("es-MX", "error.invalid_language")));
}

TEST_P(PortalPagesTest, UnknownPathGetsTheLocalisedNotFoundPage) {
  const http::Response res = get("/no-existe", "en");
  EXPECT_EQ(res.status, 404);
  EXPECT_TRUE(contains(res.body, "<html lang=\"en\">"));
  EXPECT_TRUE(contains(res.body, html_text("en", "error.404.title")));
}

TEST_P(PortalPagesTest, RegistrationFailsOnUnknownCatalogKeysAndUnsafeSignInUrl) {
  http::Router router;
  ServiceDirectory directory;
  ASSERT_TRUE(directory.add_category({"government", "portal.category.government"}));
  ASSERT_TRUE(directory.add({.id = "x",
                             .title_key = "portal.nope.title",
                             .summary_key = "portal.alcaldias.summary",
                             .href = "/x",
                             .keywords = {},
                             .category = "government"}));
  const Status unknown = register_routes(router, renderer(), errors(), directory, db());
  ASSERT_FALSE(unknown);
  EXPECT_TRUE(contains(unknown.error().detail, "portal.nope.title"));

  http::Router other;
  ServiceDirectory fine;
  ASSERT_TRUE(add_portal_services(fine));
  EXPECT_FALSE(register_routes(other, renderer(), errors(), fine, db(),
                               {.sign_in_url = "javascript:alert(1)"}));
  EXPECT_FALSE(register_routes(other, renderer(), errors(), fine, db(),
                               {.sign_in_url = "//evil.example/login"}));
}

ZOCALO_INSTANTIATE_DB_TEST(PortalPagesTest);

class SignInConfiguredTest : public PortalSiteTest {
 protected:
  PortalOptions options() const override { return {.sign_in_url = "/entrar"}; }
};

TEST_P(SignInConfiguredTest, HomeShowsSignInProminently) {
  const http::Response res = get("/");
  ASSERT_EQ(res.status, 200);
  EXPECT_TRUE(contains(res.body, "<a class=\"button\" href=\"/entrar\">Inicia sesión</a>"));
  // Before the search form and the directory: the first thing after the heading.
  EXPECT_LT(res.body.find("href=\"/entrar\""), res.body.find("action=\"/buscar\""));
}

ZOCALO_INSTANTIATE_DB_TEST(SignInConfiguredTest);

}  // namespace
}  // namespace zocalo::portal
