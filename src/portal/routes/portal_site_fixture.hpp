#pragma once
// Test fixture: the portal wired as src/app wires it (renderer, error pages, locale middleware,
// router fallback), on a fresh demo-seeded database of each dialect. Requests go through the
// router, middleware included, without a socket.
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "db_fixture.hpp"
#include "platform/http/router.hpp"
#include "platform/web/error_pages.hpp"
#include "platform/web/locale.hpp"
#include "platform/web/renderer.hpp"
#include "portal/portal.hpp"

namespace zocalo::portal {

class PortalSiteTest : public testing::DbTest {
 protected:
  void SetUp() override {
    DbTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    ASSERT_TRUE(seed_demo(db()));
    auto loaded = web::Renderer::load();
    ASSERT_TRUE(loaded) << loaded.error().detail;
    renderer_ = std::move(*loaded);
    errors_ = std::make_unique<web::ErrorPages>(*renderer_);
    router_ = std::make_unique<http::Router>();
    router_->use(web::locale_middleware(renderer_->locales()));
    router_->set_fallback(errors_->fallback());
    ASSERT_TRUE(add_portal_services(directory_));
    ASSERT_TRUE(register_routes(*router_, *renderer_, *errors_, directory_, db(), options()));
    router_->finalize();
  }

  virtual PortalOptions options() const { return {}; }

  http::Response get(const std::string& target, const std::string& accept_language = "",
                     const std::string& cookie = "") {
    http::Request req;
    req.method = http::Method::kGet;
    req.target = target;
    const auto q = target.find('?');
    req.path = target.substr(0, q);
    req.raw_query = q == std::string::npos ? "" : target.substr(q + 1);
    if (!accept_language.empty()) req.headers.set("Accept-Language", accept_language);
    if (!cookie.empty()) req.headers.set("Cookie", cookie);
    return router_->dispatch(req);
  }

  const web::Renderer& renderer() const { return *renderer_; }
  const web::ErrorPages& errors() const { return *errors_; }
  ServiceDirectory& directory() { return directory_; }

 private:
  std::unique_ptr<web::Renderer> renderer_;
  std::unique_ptr<web::ErrorPages> errors_;
  std::unique_ptr<http::Router> router_;
  ServiceDirectory directory_;
};

}  // namespace zocalo::portal
