#pragma once
// Browser sessions kept in the `sessions` table, so any node behind the load balancer can
// answer any request. Only the SHA-256 of the session id is stored: a leaked backup or a
// read-only SQL injection does not yield live cookies.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "platform/core/result.hpp"
#include "platform/core/time.hpp"
#include "platform/db/database.hpp"
#include "platform/http/session.hpp"

namespace zocalo::web {

struct SessionStoreOptions {
  // A session unused this long expires (sliding; OWASP Session Management: idle timeout).
  std::chrono::seconds idle_timeout{std::chrono::minutes(30)};
  // A session ends this long after it was created however active it is (absolute timeout).
  std::chrono::seconds absolute_timeout{std::chrono::hours(12)};
  // Sliding the expiry is a write; do it at most this often per session so that reading pages
  // does not turn every request into a write.
  std::chrono::seconds touch_interval{std::chrono::minutes(1)};
  std::function<std::int64_t()> clock = time::now_unix;
};

class DbSessionStore : public http::SessionBackend {
 public:
  explicit DbSessionStore(db::Database& db, SessionStoreOptions options = {});

  // The session's values, or nullopt when unknown or expired. Slides the idle expiry.
  // SessionBackend has no error channel: a database failure throws std::runtime_error, which
  // the request boundary answers with a 5xx (never "signed out" by accident).
  std::optional<http::SessionValues> load(const std::string& session_id) override;
  // Creates or replaces the session's values and restarts its idle timeout.
  void save(const std::string& session_id, const http::SessionValues& values) override;
  void destroy(const std::string& session_id) override;

  // Deletes expired sessions; returns how many. Run periodically (a job or the worker loop).
  Result<std::size_t> purge_expired();

 private:
  std::int64_t expiry_from(std::int64_t now, std::int64_t created_at) const;

  db::Database& db_;
  SessionStoreOptions options_;
};

}  // namespace zocalo::web
