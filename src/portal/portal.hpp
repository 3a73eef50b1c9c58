#pragma once
// The portal's public face: the one front door (AppCDMX's home, directory and search).
//
// Wiring, in src/app (after the renderer and error pages exist):
//
//   portal::ServiceDirectory directory;
//   portal::add_portal_services(directory);      // Alcaldías, Dependencias
//   requests::add_services(directory);           // each module adds its own entries
//   portal::register_routes(router, renderer, error_pages, directory, db,
//                           {.sign_in_url = identity_enabled ? "/entrar" : ""});
//
// Every module that offers residents a page registers it in the ServiceDirectory with catalog
// keys for its title and summary and Spanish + English keywords; the home page, /servicios and
// /buscar then show it. Nothing is listed that does not exist.
#include <string>

#include "platform/core/result.hpp"
#include "platform/db/database.hpp"
#include "platform/http/router.hpp"
#include "platform/web/error_pages.hpp"
#include "platform/web/renderer.hpp"
#include "portal/model/service_directory.hpp"
#include "portal/store/demo_seed.hpp"

namespace zocalo::portal {

struct PortalOptions {
  std::string city_name = "Ciudad de México";  // the home page's heading
  // Where "Sign in" leads; empty until the identity module is configured, and then no sign-in
  // link is shown at all. A same-site path or an https:// URL.
  std::string sign_in_url;
  // Residents' feedback always reaches the "team:feedback" inbox; also e-mailed here when set.
  std::string feedback_email;
};

// Adds the portal's own category ("government") and pages (Alcaldías, Dependencias).
Status add_portal_services(ServiceDirectory& directory);

// GET / (home), /buscar?q= (search), /servicios (directory), /alcaldias, /dependencias and
// /idioma (language switch). Fails when a directory entry names a catalog key that does not
// exist or the sign-in URL is unsafe, so that a bad registration stops start-up, not a page.
// `renderer`, `errors`, and `db` must outlive the router; the directory is copied into views.
Status register_routes(http::Router& router, const web::Renderer& renderer,
                       const web::ErrorPages& errors, const ServiceDirectory& directory,
                       db::Database& db, PortalOptions options = {});

}  // namespace zocalo::portal
