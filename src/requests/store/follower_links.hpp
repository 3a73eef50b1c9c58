#pragma once
// The follower's side of following a request (issue 4, items 5 and 7; migration 0016): the
// language they follow in (their notices are written in it) and the two ways to stop — the
// page's button while signed in, and the link in every message (stop_token, created by
// RequestNotifications::queue), which works without signing in and only once, since using it
// deletes the row that holds it.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "platform/core/result.hpp"
#include "platform/db/database.hpp"

namespace zocalo::requests {

struct FollowedByToken {
  std::string folio;
  std::string service_es, service_en;
};

class FollowerLinks {
 public:
  explicit FollowerLinks(db::Database& db) : db_(db) {}

  // Records the language (`es-MX` or `en`; anything else is es-MX) in which `account_id`
  // follows `folio`; nothing when they do not follow it.
  Status remember_language(const std::string& folio, long long account_id, std::string_view locale);
  // The request a stop link names, or nullopt (unknown, used already, malformed).
  Result<std::optional<FollowedByToken>> find(std::string_view token);
  // Stops the follow the link names: true when it did, false when the link was unknown or used.
  Result<bool> stop(std::string_view token);
  // Stops `account_id` following `folio`: true when it did, false when they did not follow it.
  Result<bool> unfollow(const std::string& folio, long long account_id);

  // A token as the links carry it: base64url, 16..64 characters.
  static bool is_well_formed(std::string_view token);

 private:
  db::Database& db_;
};

}  // namespace zocalo::requests
