// Llave's templates and catalog texts load with the rest of the site, render in both languages
// and stay inside the first round trip (STANDARDS.md: 14,600 bytes gzipped).
#include <gtest/gtest.h>

#include <string>

#include "platform/http/gzip.hpp"
#include "platform/web/renderer.hpp"

namespace zocalo::identity {
namespace {

constexpr std::size_t kBudget = 14'600;

web::View full_view() {
  web::View view{web::View::type::object};
  for (const char* flag : {"totp", "sms", "recovery", "phone_verified", "email", "phone",
                           "email_unverified", "verified", "reautenticar", "has_errors"}) {
    view.set(flag, true);
  }
  for (const char* text :
       {"csrf", "identificador", "siguiente", "notice", "error", "correo", "telefono", "curp",
        "nombre", "apellidos", "nacimiento", "domicilio", "correo_error", "curp_error",
        "password_error", "nacimiento_error", "secret", "qr", "recovery_left"}) {
    view.set(text, std::string(40, 'x'));
  }
  web::View errors{web::View::type::list};
  web::View item{web::View::type::object};
  item.set("field", "curp");
  item.set("message", "La CURP tiene 18 caracteres.");
  errors.push_back(item);
  view.set("errors", errors);
  web::View codes{web::View::type::list};
  for (int i = 0; i < 10; ++i) codes.push_back(web::View("ABCD-EFGH-JKMN"));
  view.set("codes", codes);
  return view;
}

TEST(LlavePagesTest, EveryTemplateRendersInBothLanguagesWithinTheBudget) {
  auto renderer = web::Renderer::load();
  ASSERT_TRUE(renderer) << renderer.error().detail;
  for (const char* name : {"entrar", "codigo", "registro", "registro_enviado", "verificar_correo",
                           "verificar_telefono", "recuperar", "recuperar_codigo", "seguridad",
                           "totp_alta", "codigos_recuperacion"}) {
    for (const char* locale : {"es-MX", "en"}) {
      SCOPED_TRACE(std::string(name) + " " + locale);
      http::Request req;
      req.locale = locale;
      req.csrf_token = "token";
      const auto res = (*renderer)->render_page(req, std::string("llave/") + name, full_view(),
                                                {.title_key = "llave.signin.title"});
      EXPECT_EQ(res.status, 200);
      EXPECT_NE(res.body.find("<html lang=\"" + std::string(locale) + "\""), std::string::npos);
      EXPECT_EQ(res.body.find("<script"), std::string::npos);
      EXPECT_EQ(res.body.find("[[llave."), std::string::npos) << "a catalog key was not found";
      EXPECT_LE(http::gzip_compress(res.body).size(), kBudget);
    }
  }
}

TEST(LlavePagesTest, CatalogExplainsEveryCurpAndPasswordRule) {
  auto renderer = web::Renderer::load();
  ASSERT_TRUE(renderer) << renderer.error().detail;
  for (const char* key :
       {"identity.curp.length", "identity.curp.format", "identity.curp.sex", "identity.curp.state",
        "identity.curp.date", "identity.curp.check_digit", "identity.curp.birth_date_mismatch",
        "identity.password.invalid", "identity.password.too_short", "identity.password.too_long",
        "identity.password.context", "identity.password.common", "identity.email.invalid",
        "identity.phone.invalid", "identity.account.contact_required"}) {
    for (const char* locale : {"es-MX", "en"}) {
      EXPECT_TRUE((*renderer)->find_text(locale, std::string("llave.error.") + key))
          << key << " " << locale;
    }
  }
}

}  // namespace
}  // namespace zocalo::identity
