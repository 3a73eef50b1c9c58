#pragma once
// Statements a hot path runs on every call, prepared once per SQLite session instead of parsed
// on every call (ADR 0009). SQLite spends longer preparing a 25-column INSERT than running
// it, and on SQLite every write runs on the one thread that holds the write lock
// (bench/requests: sqlite3_prepare_v2 was ~30% of that thread's time in Open311 POSTs).
//
// SOCI binds by reference, so a kept statement owns the variables it is bound to. A
// statement's definition is a struct with its SQL, its variables and how they bind:
//
//   struct InsertNote {
//     static constexpr std::string_view kSql =
//         "INSERT INTO notes (request_id, body) VALUES (:request_id, :body)";
//     long long request_id = 0;
//     std::string body;
//     void bind(soci::statement& st) {
//       st.exchange(soci::use(request_id));
//       st.exchange(soci::use(body));
//     }
//   };
//
//   auto note = db::kept<InsertNote>(sql);   // inside Database::transaction/read
//   note->values.request_id = id;
//   note->values.body = text;
//   note->run();                             // true when a row came back (into / RETURNING)
//
// On sessions of a db::Database's pool the statement is kept for the connection's life: on
// SQLite a prepared sqlite3_stmt, reset after every run() so that it never holds a read
// snapshot or keeps a COMMIT waiting; on PostgreSQL a server-side prepared statement (parsed
// and planned once). The pool forgets a session's statements before it reconnects it and
// drops them before it closes. On any other session each kept() is a one-shot statement, as
// `sql << ...` is.
#include <soci/soci.h>

#include <memory>
#include <string>
#include <string_view>
#include <typeindex>

namespace zocalo::db {

namespace detail {
// The kept statement of `type` on `sql`, or null when the session keeps none (not a SQLite
// pool session) or has none of that type yet; store() keeps one.
std::shared_ptr<void> find_kept(const soci::session& sql, std::type_index type, bool* keeps);
void store_kept(const soci::session& sql, std::type_index type, std::shared_ptr<void> statement);
// sqlite3_reset, so that the statement holds nothing between runs (SQLite statements only).
void reset_kept(soci::statement& st);
}  // namespace detail

template <class Definition>
class KeptStatement {
 public:
  KeptStatement(soci::session& sql, bool keep)
      : statement_(sql), reset_after_run_(keep && sql.get_backend_name() == "sqlite3") {
    values.bind(statement_);
    statement_.alloc();
    statement_.prepare(std::string(Definition::kSql), keep ? soci::details::st_repeatable_query
                                                           : soci::details::st_one_time_query);
    statement_.define_and_bind();
  }
  KeptStatement(const KeptStatement&) = delete;
  KeptStatement& operator=(const KeptStatement&) = delete;

  // Executes with the current values; true when a row came back into the `into` variables.
  bool run() {
    return with_rows([](soci::statement& st) { return st.execute(true); });
  }

  // For a statement of many rows: `read(statement)` calls statement.execute() and then
  // statement.fetch() until it is false, reading each row from `values`; the statement is reset
  // when read returns.
  template <class Read>
  decltype(auto) with_rows(Read&& read) {
    struct Reset {
      KeptStatement& self;
      ~Reset() {
        if (self.reset_after_run_) detail::reset_kept(self.statement_);
      }
    } reset{*this};
    return read(statement_);
  }

  Definition values;

 private:
  soci::statement statement_;
  bool reset_after_run_;  // SQLite: a stepped statement holds its snapshot until reset
};

// The session's statement for Definition, prepared on first use (see above). Not shared
// between threads: a session is used by one thread at a time.
template <class Definition>
std::shared_ptr<KeptStatement<Definition>> kept(soci::session& sql) {
  bool keeps = false;
  const std::type_index type(typeid(Definition));
  if (auto found = detail::find_kept(sql, type, &keeps)) {
    return std::static_pointer_cast<KeptStatement<Definition>>(found);
  }
  auto made = std::make_shared<KeptStatement<Definition>>(sql, keeps);
  if (keeps) detail::store_kept(sql, type, made);
  return made;
}

// Called by db::Database for its pool: statements are kept for these sessions only, forgotten
// before a session reconnects (they belong to the old connection) and dropped before the
// sessions close.
void keep_statements_for(const soci::session& sql);
void forget_kept_statements(const soci::session& sql);
void drop_kept_statements(const soci::session& sql);

}  // namespace zocalo::db
