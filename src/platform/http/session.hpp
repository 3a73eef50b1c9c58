#pragma once
// A browser session: a random id in an HttpOnly cookie, and key/value data kept server-side
// (in the database, so any node can answer). The data is loaded on first use, so requests that
// never look at the session cost no query.
#include <functional>
#include <map>
#include <optional>
#include <string>

namespace zocalo::http {

using SessionValues = std::map<std::string, std::string>;

class SessionBackend {
 public:
  virtual ~SessionBackend() = default;
  virtual std::optional<SessionValues> load(const std::string& session_id) = 0;
  virtual void save(const std::string& session_id, const SessionValues& values) = 0;
  virtual void destroy(const std::string& session_id) = 0;
};

class Session {
 public:
  Session() = default;
  Session(std::string id, bool is_new, SessionBackend* backend)
      : id_(std::move(id)), is_new_(is_new), backend_(backend) {}

  const std::string& id() const { return id_; }
  // True when the id was minted for this request (the response must set the cookie).
  bool is_new() const { return is_new_; }
  bool empty_id() const { return id_.empty(); }

  std::optional<std::string> get(const std::string& key);
  void set(const std::string& key, std::string value);
  void erase(const std::string& key);
  // Drops all data and, when `new_id` is given, moves to that id (on sign-in and sign-out, so
  // a session fixed by an attacker before sign-in is worthless after it).
  void reset(std::optional<std::string> new_id = std::nullopt);

  bool dirty() const { return dirty_; }
  bool id_changed() const { return !old_id_.empty(); }
  const std::string& old_id() const { return old_id_; }
  // Writes changes through the backend; called once by the session middleware. After a move
  // to a new id the old id is destroyed first; a session left with no values is destroyed
  // (or, if its id was minted for this request, never stored).
  void commit();

 private:
  void ensure_loaded();
  std::string id_;
  std::string old_id_;
  bool old_destroyed_ = false;
  bool is_new_ = false;
  bool loaded_ = false;
  bool dirty_ = false;
  SessionValues values_;
  SessionBackend* backend_ = nullptr;
};

}  // namespace zocalo::http
