#pragma once
// The in-app notifications inbox (the portal's "Avisos"): messages per recipient, newest first,
// with a read mark. `recipient` is an account or contact key chosen by the caller
// ("account:42"); this store never interprets it.
#include <soci/soci.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "platform/core/result.hpp"
#include "platform/db/database.hpp"

namespace zocalo::notify {

struct NewInboxMessage {
  std::string recipient;  // 1..200 bytes
  std::string title;      // 1..200 bytes
  std::string body;       // up to 4000 bytes
  std::string link;       // empty, a site path ("/tramites/123") or an https:// URL
};

struct InboxMessage {
  long long id = 0;
  std::string recipient, title, body, link;
  std::int64_t created_at = 0;
  std::int64_t read_at = 0;  // 0 while unread
  bool unread() const { return read_at == 0; }
};

class Inbox {
 public:
  explicit Inbox(db::Database& db) : db_(db) {}

  // Validates and stores on `sql` (inside the caller's transaction); returns the id.
  static Result<long long> add(soci::session& sql, const NewInboxMessage& message,
                               std::int64_t now);
  Result<long long> add(const NewInboxMessage& message);
  // Newest first; `before_id` > 0 continues a listing below that id (keyset paging).
  Result<std::vector<InboxMessage>> list(const std::string& recipient, std::size_t limit = 50,
                                         long long before_id = 0);
  // Marks message `id` read if it belongs to `recipient`; kNotFound otherwise (someone else's
  // message is indistinguishable from a missing one). Marking twice keeps the first time.
  Status mark_read(const std::string& recipient, long long id);
  Result<long long> unread_count(const std::string& recipient);

  // Whether `link` may be shown as a link: empty, a path on this site, or https.
  static bool is_safe_link(const std::string& link);

 private:
  db::Database& db_;
};

}  // namespace zocalo::notify
