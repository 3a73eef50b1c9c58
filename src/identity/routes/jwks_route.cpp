#include "identity/routes/jwks_route.hpp"

#include <boost/json/serialize.hpp>
#include <string>
#include <utility>

#include "platform/core/time.hpp"
#include "platform/http/errors.hpp"

namespace zocalo::identity {

KeySetSnapshot::KeySetSnapshot(db::Database& db, std::shared_ptr<const KeyEncryption> encryption,
                               std::chrono::seconds max_age)
    : RefreshingSnapshot([&db, encryption = std::move(
                                   encryption)] { return SigningKeyStore(db, *encryption).load(); },
                         max_age, "identity.keys.reload_failed") {}

void add_jwks_route(http::Router& router, std::shared_ptr<KeySetSnapshot> snapshot,
                    JwksRouteOptions options) {
  if (!options.clock) options.clock = time::now_unix;
  const std::string cache_control = "public, max-age=" + std::to_string(options.max_age.count());
  router.get("/.well-known/jwks.json", [snapshot = std::move(snapshot), clock = options.clock,
                                        cache_control](http::Request&) {
    auto set = snapshot->get();
    if (!set) {
      const int status = http::status_for(ErrorKind::kUnavailable);
      return http::problem_json(status, http::reason_phrase(status));
    }
    // RFC 7517 §8.5.1 registers application/jwk-set+json for a JWK Set.
    auto res = http::Response::with_type("application/jwk-set+json",
                                         boost::json::serialize((*set)->jwks(clock())));
    res.headers.set("Cache-Control", cache_control);
    res.headers.set("Access-Control-Allow-Origin", "*");
    return res;
  });
}

}  // namespace zocalo::identity
