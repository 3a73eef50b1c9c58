#include "identity/routes/jwks_route.hpp"

#include <boost/json/serialize.hpp>
#include <string>
#include <utility>

#include "platform/core/log.hpp"
#include "platform/core/time.hpp"
#include "platform/http/errors.hpp"

namespace zocalo::identity {

KeySetSnapshot::KeySetSnapshot(db::Database& db, std::shared_ptr<const KeyEncryption> encryption,
                               std::chrono::seconds max_age)
    : encryption_(std::move(encryption)), store_(db, *encryption_), max_age_(max_age) {}

Result<std::shared_ptr<const jose::KeySet>> KeySetSnapshot::get() {
  std::shared_ptr<const jose::KeySet> current;
  {
    std::lock_guard lock(mu_);
    current = set_;
    if (current && SteadyClock::now() - loaded_at_ < max_age_) return current;
  }
  std::unique_lock reload(reload_mu_, std::defer_lock);
  if (current) {
    // Stale: someone else is already reloading; answer from the previous copy meanwhile.
    if (!reload.try_lock()) return current;
  } else {
    reload.lock();  // nothing to answer with yet: wait for the first load
  }
  {
    std::lock_guard lock(mu_);  // the thread we waited for may have just reloaded
    if (set_ && SteadyClock::now() - loaded_at_ < max_age_) return set_;
  }
  if (Status st = refresh(); !st) {
    std::lock_guard lock(mu_);
    if (!set_) return fail(st.error());
    return set_;
  }
  std::lock_guard lock(mu_);
  return set_;
}

Status KeySetSnapshot::refresh() {
  auto loaded = store_.load();
  std::lock_guard lock(mu_);
  // Success or not, wait another max_age before the next try: a failing database is not
  // asked again on every request.
  loaded_at_ = SteadyClock::now();
  if (!loaded) {
    log::warn("identity.keys.reload_failed",
              {{"error", loaded.error().user_key}, {"detail", loaded.error().detail}});
    return fail(loaded.error());
  }
  set_ = std::make_shared<const jose::KeySet>(std::move(*loaded));
  return {};
}

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
