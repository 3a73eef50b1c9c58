#pragma once
// The database: a pool of SOCI sessions on SQLite (default, embedded) or PostgreSQL, chosen by
// URL. SQL lives in each module's store/; this class only lends sessions and runs transactions.
//
//   sqlite:var/zocalo.db            (relative to the working directory)
//   sqlite:/abs/path/zocalo.db
//   postgresql://user:pass@host:5432/dbname?sslmode=disable
#include <soci/soci.h>

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "platform/core/result.hpp"
#include "platform/db/dialect.hpp"

namespace zocalo::db {

struct GroupItem;

struct DatabaseOptions {
  std::string url = "sqlite:var/zocalo.db";
  std::size_t pool_size = 8;
  std::chrono::milliseconds busy_timeout{10000};  // SQLite: wait this long for the write lock
  bool sqlite_synchronous_full = true;  // fsync every commit: acknowledged writes survive a crash
  // SQLite reads the database file through a shared memory map of up to this many bytes instead
  // of a pread() into each connection's 2 MiB page cache: reading 1,000 rows of a 1,000,000-row
  // table spent a sixth of its time in pread (bench/requests). Writes still go through the WAL
  // and its fsync. 0 turns it off.
  long long sqlite_mmap_bytes = 1LL << 30;
};

class Database {
 public:
  // Opens the pool (SQLite: WAL, busy timeout, foreign keys on, synchronous=FULL). Creates the
  // SQLite file's folder. Fails with kUnavailable when PostgreSQL cannot be reached and
  // kInvalidInput when the URL is malformed.
  static Result<std::unique_ptr<Database>> open(const DatabaseOptions& options);
  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  Dialect dialect() const { return dialect_; }
  bool is_postgres() const { return dialect_ == Dialect::kPostgres; }
  // The URL with any password replaced by "***", for logs.
  const std::string& redacted_url() const { return redacted_url_; }

  // Lends a pooled session to `fn` (blocks while all are busy). Exceptions from SOCI propagate.
  void with_session(const std::function<void(soci::session&)>& fn);

  // Runs `fn` in a transaction: commit when it returns ok, roll back when it returns an error
  // or throws. On SQLite the transaction starts with BEGIN IMMEDIATE so that two writers never
  // deadlock upgrading read locks, and concurrent calls of this process are committed in
  // groups (each in its own SAVEPOINT, one fsync per group; database.cpp): `fn` may then run
  // on another caller's thread, while this one waits. SOCI exceptions become
  // Error::unavailable / internal.
  // Do not call transaction() again from inside `fn`: it would take a second session and, on
  // SQLite, wait for the write lock the first one holds.
  Status transaction(const std::function<Status(soci::session&)>& fn);
  // A read that needs no transaction; exceptions are mapped as in transaction().
  Status read(const std::function<Status(soci::session&)>& fn);

  // Queues `fn` to run after the transaction running on this thread commits (not at all if it
  // rolls back); runs it at once when no transaction() is running on this thread. For side
  // effects that must not be seen before the data, e.g. waking a job worker.
  static void after_commit(std::function<void()> fn);

  // Applies the embedded migrations/<dialect>/NNNN_*.sql not yet recorded in
  // schema_migrations, each in its own transaction, in order. Safe to run from several
  // processes at once (PostgreSQL: advisory lock; SQLite: the write lock).
  Status migrate();
  // Highest applied migration number (0 when none).
  Result<int> schema_version();
  // Cheap liveness check for /readyz.
  Status ping();

 private:
  Database() = default;
  Status sqlite_group(const std::function<Status(soci::session&)>& fn);
  void run_group(const std::vector<GroupItem*>& group);
  struct Pool;
  std::unique_ptr<Pool> pool_;
  Dialect dialect_ = Dialect::kSqlite;
  std::string redacted_url_;
};

}  // namespace zocalo::db
