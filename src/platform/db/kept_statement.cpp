#include "platform/db/kept_statement.hpp"

#include <soci/sqlite3/soci-sqlite3.h>

#include <mutex>
#include <unordered_map>
#include <utility>

namespace zocalo::db {
namespace {

using SessionStatements = std::unordered_map<std::type_index, std::shared_ptr<void>>;

// Sessions that keep statements, each with its statements. A session's map is only touched by
// the thread using the session; the registry's mutex guards the outer map, which changes only
// when a Database opens or closes (node-based: a session's map never moves).
struct Registry {
  std::mutex mu;
  std::unordered_map<const soci::session*, SessionStatements> sessions;
};

Registry& registry() {
  static Registry r;
  return r;
}

SessionStatements* statements_of(const soci::session& sql) {
  Registry& r = registry();
  std::lock_guard lock(r.mu);
  auto it = r.sessions.find(&sql);
  return it == r.sessions.end() ? nullptr : &it->second;
}

}  // namespace

namespace detail {

std::shared_ptr<void> find_kept(const soci::session& sql, std::type_index type, bool* keeps) {
  SessionStatements* statements = statements_of(sql);
  *keeps = statements != nullptr;
  if (statements == nullptr) return nullptr;
  auto it = statements->find(type);
  return it == statements->end() ? nullptr : it->second;
}

void store_kept(const soci::session& sql, std::type_index type, std::shared_ptr<void> statement) {
  if (SessionStatements* statements = statements_of(sql)) {
    (*statements)[type] = std::move(statement);
  }
}

void reset_kept(soci::statement& st) {
  // Only statements of SQLite pool sessions are kept (keep_statements_for).
  auto* backend = static_cast<soci::sqlite3_statement_backend*>(st.get_backend());
  if (backend != nullptr && backend->stmt_ != nullptr) sqlite_api::sqlite3_reset(backend->stmt_);
}

}  // namespace detail

void keep_statements_for(const soci::session& sql) {
  Registry& r = registry();
  std::lock_guard lock(r.mu);
  r.sessions.try_emplace(&sql);
}

void forget_kept_statements(const soci::session& sql) {
  SessionStatements dropped;
  if (SessionStatements* statements = statements_of(sql)) dropped.swap(*statements);
}

void drop_kept_statements(const soci::session& sql) {
  SessionStatements dropped;
  {
    Registry& r = registry();
    std::lock_guard lock(r.mu);
    auto it = r.sessions.find(&sql);
    if (it == r.sessions.end()) return;
    dropped = std::move(it->second);
    r.sessions.erase(it);
  }
  // Finalized here, outside the registry's lock, while the session is still open.
}

}  // namespace zocalo::db
