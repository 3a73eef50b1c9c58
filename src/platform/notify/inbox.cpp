#include "platform/notify/inbox.hpp"

#include <algorithm>

#include "platform/core/time.hpp"
#include "platform/notify/mime.hpp"

namespace zocalo::notify {

bool Inbox::is_safe_link(const std::string& link) {
  if (link.empty()) return true;
  if (link.size() > 2000) return false;
  for (unsigned char c : link) {
    if (c <= 0x20 || c == 0x7f || c == '\\') return false;
  }
  // "/x" yes, "//evil.example" no (a scheme-relative URL leaves the site); no javascript: etc.
  if (link[0] == '/') return link.size() == 1 || link[1] != '/';
  return link.rfind("https://", 0) == 0 && link.size() > 8;
}

Result<long long> Inbox::add(soci::session& sql, const NewInboxMessage& m, std::int64_t now) {
  if (m.recipient.empty() || m.recipient.size() > 200) {
    return fail(Error::invalid("error.inbox_recipient", "recipient must be 1..200 bytes"));
  }
  if (m.title.empty() || m.title.size() > 200 || m.body.size() > 4000 || !utf8::is_valid(m.title) ||
      !utf8::is_valid(m.body)) {
    return fail(Error::invalid("error.inbox_message", "title 1..200, body <= 4000 UTF-8 bytes"));
  }
  if (!is_safe_link(m.link)) return fail(Error::invalid("error.inbox_link", "unsafe link"));
  long long id = 0;
  const long long created_at = now;
  soci::indicator link_ind = m.link.empty() ? soci::i_null : soci::i_ok;
  sql << "INSERT INTO inbox_messages (recipient, title, body, link, created_at) "
         "VALUES (:r, :t, :b, :l, :c) RETURNING id",
      soci::use(m.recipient), soci::use(m.title), soci::use(m.body), soci::use(m.link, link_ind),
      soci::use(created_at), soci::into(id);
  return id;
}

Result<long long> Inbox::add(const NewInboxMessage& message) {
  long long id = 0;
  const Status st = db_.transaction([&](soci::session& sql) -> Status {
    auto r = add(sql, message, time::now_unix());
    if (!r) return fail(r.error());
    id = *r;
    return {};
  });
  if (!st) return fail(st.error());
  return id;
}

Result<std::vector<InboxMessage>> Inbox::list(const std::string& recipient, std::size_t limit,
                                              long long before_id) {
  std::vector<InboxMessage> out;
  const long long bound = before_id > 0 ? before_id : (1LL << 62);
  const long long n = static_cast<long long>(std::clamp<std::size_t>(limit, 1, 200));
  const Status st = db_.read([&](soci::session& sql) -> Status {
    InboxMessage row;
    std::string link;
    long long created_at = 0, read_at = 0;
    soci::indicator link_ind = soci::i_null, read_ind = soci::i_null;
    soci::statement select =
        (sql.prepare << "SELECT id, recipient, title, body, link, created_at, read_at "
                        "FROM inbox_messages WHERE recipient = :r AND id < :before "
                        "ORDER BY created_at DESC, id DESC LIMIT :n",
         soci::into(row.id), soci::into(row.recipient), soci::into(row.title), soci::into(row.body),
         soci::into(link, link_ind), soci::into(created_at), soci::into(read_at, read_ind),
         soci::use(recipient), soci::use(bound), soci::use(n));
    select.execute();
    while (select.fetch()) {
      InboxMessage m = row;
      m.link = link_ind == soci::i_ok ? link : "";
      m.created_at = created_at;
      m.read_at = read_ind == soci::i_ok ? read_at : 0;
      out.push_back(std::move(m));
    }
    return {};
  });
  if (!st) return fail(st.error());
  return out;
}

Status Inbox::mark_read(const std::string& recipient, long long id) {
  const long long now = time::now_unix();
  return db_.transaction([&](soci::session& sql) -> Status {
    int found = 0;
    sql << "SELECT COUNT(*) FROM inbox_messages WHERE id = :id AND recipient = :r", soci::use(id),
        soci::use(recipient), soci::into(found);
    if (found == 0) return fail(Error::not_found("inbox message " + std::to_string(id)));
    sql << "UPDATE inbox_messages SET read_at = :now "
           "WHERE id = :id AND recipient = :r AND read_at IS NULL",
        soci::use(now), soci::use(id), soci::use(recipient);
    return {};
  });
}

Result<long long> Inbox::unread_count(const std::string& recipient) {
  long long n = 0;
  const Status st = db_.read([&](soci::session& sql) -> Status {
    sql << "SELECT COUNT(*) FROM inbox_messages WHERE recipient = :r AND read_at IS NULL",
        soci::use(recipient), soci::into(n);
    return {};
  });
  if (!st) return fail(st.error());
  return n;
}

}  // namespace zocalo::notify
