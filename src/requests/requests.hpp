#pragma once
// The requests module's public face: 311 on Open311 GeoReport v2.
//
// Wiring, in src/app (after the portal's routes; the demo catalog needs the portal's agencies):
//
//   requests::register_routes(router, *db, errors,
//                             {.base_url = config.base_url(), .contact = "..."});
//
// Routes so far (all GET, answered from any origin, in the format the suffix names):
//   /open311/v2/discovery.{xml,json}         Open311 Service Discovery
//   /open311/v2/services.{xml,json}          GET Service List (active services)
//   /open311/v2/services/{code}.{xml,json}   GET Service Definition (metadata=true only)
//   /open311/v2/...                          anything else: an Open311 404 error document
#include <string>

#include "platform/core/result.hpp"
#include "platform/db/database.hpp"
#include "platform/http/router.hpp"
#include "platform/web/error_pages.hpp"

namespace zocalo::requests {

struct RequestsOptions {
  // The public URL of this server without a trailing slash ("https://311.cdmx.gob.mx");
  // discovery publishes base_url + "/open311/v2/" as the endpoint.
  std::string base_url;
  // Open311 GeoReport v2: a call naming another jurisdiction_id is answered 404.
  std::string jurisdiction_id = "cdmx";
  // Discovery's `contact`: whom developers ask, in words.
  std::string contact;
};

// Registers the routes above. Fails when base_url is not an http(s) URL or jurisdiction_id is
// empty, so that bad configuration stops start-up rather than a call. `db` must outlive the
// router. `errors` is accepted for the module's HTML pages; the Open311 API never answers with
// one: its every answer, errors included, is an Open311 document.
Status register_routes(http::Router& router, db::Database& db, const web::ErrorPages& errors,
                       RequestsOptions options);

}  // namespace zocalo::requests
