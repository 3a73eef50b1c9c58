#pragma once
// The requests module's public face: 311 on Open311 GeoReport v2.
//
// Wiring, in src/app (after the portal's routes; the demo catalog needs the portal's agencies):
//
//   requests::register_routes(router, *db, errors,
//                             {.base_url = config.base_url(), .contact = "..."});
//
// Demo (serve --demo), after portal::seed_demo and seed_demo_catalog:
//
//   requests::seed_demo_requests(db, time::now_unix());   // requests/store/demo_requests.hpp
//
// Routes so far (answered from any origin, in the format the suffix names):
//   GET  /open311/v2/discovery.{xml,json}         Open311 Service Discovery
//   GET  /open311/v2/services.{xml,json}          GET Service List (active services)
//   GET  /open311/v2/services/{code}.{xml,json}   GET Service Definition (metadata=true only)
//   POST /open311/v2/requests.{xml,json}          POST Service Request (api_key)
//   GET  /open311/v2/requests.{xml,json}          GET Service Requests
//   GET  /open311/v2/requests/{id}.{xml,json}     GET Service Request
//   GET  /open311/v2/tokens/{token}.{xml,json}    GET request id from a token
//   GET  /open311/v2/servicerequestupdates.{xml,json}   FixMyStreet updates
//   POST /open311/v2/servicerequestupdates.{xml,json}   FixMyStreet update (api_key)
//   GET  /open311/v2/...                          anything else: an Open311 404 error document
#include <string>

#include "platform/blobs/blob_store.hpp"
#include "platform/core/result.hpp"
#include "platform/db/database.hpp"
#include "platform/http/answer_cache.hpp"
#include "platform/http/router.hpp"
#include "platform/media/photo.hpp"
#include "platform/web/error_pages.hpp"
#include "platform/web/renderer.hpp"

namespace zocalo::requests {

struct RequestsOptions {
  // The public URL of this server without a trailing slash ("https://311.cdmx.gob.mx");
  // discovery publishes base_url + "/open311/v2/" as the endpoint.
  std::string base_url;
  // Open311 GeoReport v2: a call naming another jurisdiction_id is answered 404.
  std::string jurisdiction_id = "cdmx";
  // Discovery's `contact`: whom developers ask, in words.
  std::string contact;
  // The module's HTML pages (staff inbox /atencion, operator console /operador, the resident's
  // /reportes) render with it; null registers the Open311 API alone. Must outlive the router.
  const web::Renderer* renderer = nullptr;
  // The resident's pages (routes/resident_routes.hpp): open requests of the same service
  // within this many metres of a new report are offered as duplicates (issue 4, item 5).
  double duplicate_radius_meters = 50;
  // Where report photos go (issue 4, item 4): the web form's `foto` and the Open311 `media`
  // part, normalised by platform/media and served at /reportes/fotos/<sha256>.jpg. Null: no
  // photos (the form hides the field; the API refuses file parts). Must outlive the router.
  blobs::BlobStore* blobs = nullptr;
  media::PhotoLimits photo_limits;
  // Rendered Open311 GET requests lists, kept while the data they show is unchanged (ADR 0008,
  // migration 0017): a busy service's 1,000-request answer is ~0.5 MB of JSON that polling
  // apps ask for again and again. max_bytes = 0 renders every call.
  http::AnswerCacheOptions list_cache;
};

// Registers the routes above. Fails when base_url is not an http(s) URL or jurisdiction_id is
// empty, so that bad configuration stops start-up rather than a call. `db` must outlive the
// router. `errors` is accepted for the module's HTML pages; the Open311 API never answers with
// one: its every answer, errors included, is an Open311 document.
Status register_routes(http::Router& router, db::Database& db, const web::ErrorPages& errors,
                       RequestsOptions options);

}  // namespace zocalo::requests
