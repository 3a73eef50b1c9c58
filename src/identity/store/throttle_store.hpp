#pragma once
// SQL for the backoff counters (migrations/*/0008_identity_signin.sql, signin_throttles): how
// many failures a bucket (an identifier's hash, an IP address) has had and until when it must
// wait. In the database, not in memory, so an attacker gains nothing by spreading guesses over
// the nodes of the cluster.
#include <soci/soci.h>

#include <cstdint>
#include <string_view>

#include "identity/model/throttle.hpp"
#include "platform/core/result.hpp"
#include "platform/db/database.hpp"

namespace zocalo::identity {

// Scopes (what a bucket counts). Each pairs with a rule in model/throttle.hpp.
inline constexpr std::string_view kThrottleAccount = "account";
inline constexpr std::string_view kThrottleIp = "ip";
inline constexpr std::string_view kThrottleCodeIp = "code_ip";
inline constexpr std::string_view kThrottleCodeAccount = "code_account";
inline constexpr std::string_view kThrottleSendIp = "send_ip";

class ThrottleStore {
 public:
  explicit ThrottleStore(db::Database& db) : db_(db) {}

  // Seconds the bucket must still wait at `now` (0: go ahead). A counter idle for longer than
  // rule.forget_after waits for nothing. Reads only: a throttled attempt changes nothing.
  Result<std::int64_t> wait_seconds(std::string_view scope, std::string_view bucket,
                                    const ThrottleRule& rule, std::int64_t now);

  // Counts one more failure (or send) in the caller's transaction and sets the wait its count
  // earns (backoff_seconds); returns the new count. A counter idle past forget_after restarts
  // at 1. identity.throttle.invalid for an empty or over-long scope or bucket.
  static Result<int> record_failure(soci::session& sql, std::string_view scope,
                                    std::string_view bucket, const ThrottleRule& rule,
                                    std::int64_t now);
  // The same in a transaction of its own.
  Result<int> record_failure(std::string_view scope, std::string_view bucket,
                             const ThrottleRule& rule, std::int64_t now);

  // Forgets the bucket (after a success for an identifier).
  static Status clear(soci::session& sql, std::string_view scope, std::string_view bucket);

  // Maintenance: deletes counters idle since before `now - retention`; returns how many.
  Result<int> purge(std::int64_t now, std::int64_t retention);

 private:
  db::Database& db_;
};

}  // namespace zocalo::identity
