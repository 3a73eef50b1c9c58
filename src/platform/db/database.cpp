#include "platform/db/database.hpp"

#include <soci/postgresql/soci-postgresql.h>
#include <soci/sqlite3/soci-sqlite3.h>

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <exception>
#include <filesystem>
#include <mutex>
#include <thread>
#include <vector>

#include "platform/core/log.hpp"
#include "platform/core/time.hpp"
#include "platform/db/connection_url.hpp"
#include "platform/db/db_error.hpp"
#include "platform/db/kept_statement.hpp"
#include "platform/db/migrations.hpp"
#include "platform/db/sql_script.hpp"

namespace zocalo::db {
namespace {

// pg_advisory_xact_lock key for migrate(): "zocalo" in ASCII, then 1. Any constant works as
// long as nothing else in the database uses it.
constexpr long long kMigrateLockKey = 0x7a6f63616c6f01LL;

// Callbacks queued by after_commit() for the transaction running on this thread.
thread_local std::vector<std::function<void()>>* tl_after_commit = nullptr;

std::string sqlite_connect_string(const std::string& path) {
  // SOCI's sqlite3 backend reads "key=value" pairs, with "..." around values holding blanks.
  std::string quoted;
  for (char c : path) {
    if (c == '"')
      quoted += "\"\"";
    else
      quoted.push_back(c);
  }
  return "db=\"" + quoted + "\"";
}

// libpq prints server NOTICEs ("extension already exists, skipping") straight to stderr, which
// would break the one-JSON-object-per-line log; route them through the log instead.
void log_pg_notice(void*, const char* message) {
  std::string text = message ? message : "";
  while (!text.empty() && text.back() == '\n') text.pop_back();
  log::debug("db.notice", {{"message", text}});
}

void configure_pg_session(soci::session& sql) {
  auto* backend = static_cast<soci::postgresql_session_backend*>(sql.get_backend());
  if (backend && backend->conn_) PQsetNoticeProcessor(backend->conn_, &log_pg_notice, nullptr);
}

}  // namespace

// One transaction() call waiting for, or taken by, a SQLite group commit (see sqlite_group).
struct GroupItem {
  const std::function<Status(soci::session&)>* fn = nullptr;
  std::vector<std::function<void()>> hooks;  // its after_commit() callbacks
  Status result;
  std::exception_ptr thrown;  // anything but std::exception, rethrown on the caller's thread
  bool taken = false;         // a leader is running it: its result will come
  bool done = false;
};

struct Database::Pool {
  explicit Pool(std::size_t n) : sessions(n), broken(n, false) {}
  soci::connection_pool sessions;
  std::mutex mu;
  std::vector<bool> broken;  // guarded by mu: the slot lost its PostgreSQL connection
  Dialect dialect = Dialect::kSqlite;
  std::chrono::milliseconds busy_timeout{10000};
  // SQLite writers of this process: queued here and committed in groups (sqlite_group).
  std::mutex group_mu;
  std::condition_variable group_cv;
  std::deque<GroupItem*> group_queue;  // guarded by group_mu
  bool group_leader = false;           // guarded by group_mu: a thread is committing a group
  // SQLite: copies the WAL into the database file off the commit path (run_checkpoints).
  soci::session checkpoint_session;
  std::thread checkpointer;
  std::mutex checkpoint_mu;
  std::condition_variable checkpoint_cv;
  bool stopping = false;  // guarded by checkpoint_mu
  std::chrono::milliseconds checkpoint_interval{200};

  void run_checkpoints();
  ~Pool() {
    if (checkpointer.joinable()) {
      {
        std::lock_guard lock(checkpoint_mu);
        stopping = true;
      }
      checkpoint_cv.notify_all();
      checkpointer.join();
    }
  }
};

namespace {

// A session borrowed from the pool for one call; reconnects it first when the previous user
// saw the connection drop (PostgreSQL restarted, a proxy cut it).
class Lease {
 public:
  Lease(soci::connection_pool& pool, std::mutex& mu, std::vector<bool>& broken)
      : pool_(pool), mu_(mu), broken_(broken), pos_(pool.lease()) {
    bool reconnect = false;
    {
      std::lock_guard lock(mu_);
      reconnect = broken_[pos_];
      broken_[pos_] = false;
    }
    if (reconnect) {
      try {
        soci::session& sql = pool_.at(pos_);
        // Kept statements belong to the connection that is about to be replaced.
        forget_kept_statements(sql);
        sql.reconnect();
        if (sql.get_backend_name() == "postgresql") configure_pg_session(sql);
      } catch (...) {
        mark_broken();
        pool_.give_back(pos_);
        throw;
      }
    }
  }
  ~Lease() { pool_.give_back(pos_); }
  Lease(const Lease&) = delete;
  Lease& operator=(const Lease&) = delete;

  soci::session& session() { return pool_.at(pos_); }
  void mark_broken() {
    std::lock_guard lock(mu_);
    broken_[pos_] = true;
  }
  void note_failure(const std::exception& e) {
    if (is_connection_lost(e)) mark_broken();
  }

 private:
  soci::connection_pool& pool_;
  std::mutex& mu_;
  std::vector<bool>& broken_;
  std::size_t pos_;
};

void configure_sqlite_session(soci::session& sql, const DatabaseOptions& options) {
  // WAL lets readers work while one writer commits; busy_timeout makes a second writer wait
  // instead of failing at once; foreign keys are off by default in SQLite.
  std::string mode;
  sql << "PRAGMA journal_mode=WAL", soci::into(mode);
  sql << "PRAGMA busy_timeout=" + std::to_string(options.busy_timeout.count());
  sql << "PRAGMA foreign_keys=ON";
  sql << std::string("PRAGMA synchronous=") + (options.sqlite_synchronous_full ? "FULL" : "NORMAL");
  sql << "PRAGMA mmap_size=" + std::to_string(std::max(0LL, options.sqlite_mmap_bytes));
  // SQLite's automatic checkpoint runs inside the COMMIT that crosses 1,000 WAL pages: the
  // writers of that group wait for the copy and its fsync, on the one thread all writes share
  // (ADR 0009). Pool::checkpointer does that work on its own thread instead.
  sql << "PRAGMA wal_autocheckpoint=0";
}

}  // namespace

Result<std::unique_ptr<Database>> Database::open(const DatabaseOptions& options) {
  auto url = parse_connection_url(options.url);
  if (!url) return fail(url.error());
  if (options.pool_size == 0) return fail(Error::invalid("error.config", "pool_size must be > 0"));

  std::unique_ptr<Database> db(new Database());
  db->dialect_ = url->dialect;
  db->redacted_url_ = url->redacted;
  db->pool_ = std::make_unique<Pool>(options.pool_size);
  db->pool_->dialect = url->dialect;
  db->pool_->busy_timeout = options.busy_timeout;

  if (url->dialect == Dialect::kSqlite) {
    std::error_code ec;
    const std::filesystem::path parent = std::filesystem::path(url->sqlite_path).parent_path();
    if (!parent.empty()) std::filesystem::create_directories(parent, ec);
    if (ec) {
      return fail(
          Error::unavailable("cannot create folder " + parent.string() + ": " + ec.message()));
    }
  }
  try {
    for (std::size_t i = 0; i < options.pool_size; ++i) {
      soci::session& sql = db->pool_->sessions.at(i);
      if (url->dialect == Dialect::kSqlite) {
        sql.open(*soci::factory_sqlite3(), sqlite_connect_string(url->sqlite_path));
        configure_sqlite_session(sql, options);
      } else {
        sql.open(*soci::factory_postgresql(), url->pg_conninfo);
        configure_pg_session(sql);
      }
      keep_statements_for(sql);
    }
  } catch (const std::exception& e) {
    Error err = error_from_exception(e, "open " + url->redacted);
    // Failing to connect at start-up is a dependency problem (wrong host, server down, bad
    // password), never a bug of ours.
    if (url->dialect == Dialect::kPostgres || err.kind == ErrorKind::kUnavailable) {
      return fail(Error::unavailable(err.detail));
    }
    return fail(err);
  }
  if (url->dialect == Dialect::kSqlite) {
    try {
      Pool& pool = *db->pool_;
      pool.checkpoint_session.open(*soci::factory_sqlite3(),
                                   sqlite_connect_string(url->sqlite_path));
      configure_sqlite_session(pool.checkpoint_session, options);
      pool.checkpointer = std::thread([&pool] { pool.run_checkpoints(); });
    } catch (const std::exception& e) {
      return fail(error_from_exception(e, "open " + url->redacted));
    }
  }
  log::info("db.open", {{"url", db->redacted_url_}, {"pool_size", options.pool_size}});
  return db;
}

// Every checkpoint_interval, a PASSIVE checkpoint: it copies what the WAL holds into the
// database file without waiting for, or blocking, readers and writers. A PASSIVE checkpoint
// alone never lets the WAL start again from its beginning while some reader is always active
// (bench/requests: the WAL grew by 100 MB/s, and appending to it cost more than the writes
// themselves). So once the WAL holds more than kWalRestartPages, a RESTART checkpoint takes
// the write lock, copies what the PASSIVE pass could not and waits (busy_timeout) for the
// readers of the WAL to finish, while writers wait. That pause is the back-pressure that keeps
// the WAL bounded when writers outrun the copying (bench/requests: a few hundred MB at most,
// and a POST p99 of a few hundred ms, at 2,000 POSTs/s; none at ordinary loads).
// The next writer starts the WAL again from its beginning, over blocks already on disk.
// Failures are logged and retried at the next interval.
void Database::Pool::run_checkpoints() {
  constexpr int kWalRestartPages = 16384;  // 64 MiB of 4 KiB pages
  std::unique_lock lock(checkpoint_mu);
  while (!checkpoint_cv.wait_for(lock, checkpoint_interval, [this] { return stopping; })) {
    lock.unlock();
    try {
      int busy = 0, wal_pages = 0, copied = 0;
      checkpoint_session << "PRAGMA wal_checkpoint(PASSIVE)", soci::into(busy),
          soci::into(wal_pages), soci::into(copied);
      if (wal_pages > kWalRestartPages) {
        checkpoint_session << "PRAGMA wal_checkpoint(RESTART)", soci::into(busy),
            soci::into(wal_pages), soci::into(copied);
      }
    } catch (const std::exception& e) {
      log::warn("db.checkpoint_failed", {{"error", e.what()}});
    }
    lock.lock();
  }
}

Database::~Database() {
  if (!pool_) return;
  for (std::size_t i = 0; i < pool_->broken.size(); ++i) {
    drop_kept_statements(pool_->sessions.at(i));
  }
}

void Database::with_session(const std::function<void(soci::session&)>& fn) {
  Lease lease(pool_->sessions, pool_->mu, pool_->broken);
  try {
    fn(lease.session());
  } catch (const std::exception& e) {
    lease.note_failure(e);
    throw;
  }
}

// SQLite has one writer at a time, and with synchronous=FULL each COMMIT waits for an fsync of
// the WAL (~0.5 ms on an SSD): one transaction per commit caps a node at ~1/fsync writes per
// second, and writers blocked on the lock sleep in SQLite's busy handler (1, 2, 5, ... 100 ms
// naps) instead of taking the lock when it is released. So this process's writers queue here
// instead: the first becomes the leader, takes every queued transaction (up to kMaxGroup), and
// runs them one after the other in ONE SQLite transaction, each inside its own SAVEPOINT — a
// function that fails or throws is rolled back to its savepoint alone, exactly as if it had
// run in a transaction of its own, and the others see the database as if they had run one
// after the other (they did). One COMMIT (one fsync) then makes the whole group durable, and
// only then is any caller told it succeeded, or its after_commit() hooks run (on its own
// thread). Writers of other processes (`zocalo worker`) still meet BEGIN IMMEDIATE's lock and
// busy_timeout. A caller not taken by a leader within busy_timeout gets kUnavailable, as
// SQLite's own "database is locked" would say.
namespace {
constexpr std::size_t kMaxGroup = 64;
}

Status Database::sqlite_group(const std::function<Status(soci::session&)>& fn) {
  GroupItem me;
  me.fn = &fn;
  Pool& pool = *pool_;
  std::unique_lock lock(pool.group_mu);
  pool.group_queue.push_back(&me);
  const auto deadline = std::chrono::steady_clock::now() + pool.busy_timeout;
  while (!me.done) {
    if (!pool.group_leader && !me.taken) {
      pool.group_leader = true;
      std::vector<GroupItem*> group;
      while (!pool.group_queue.empty() && group.size() < kMaxGroup) {
        group.push_back(pool.group_queue.front());
        pool.group_queue.pop_front();
        group.back()->taken = true;
      }
      lock.unlock();
      run_group(group);
      lock.lock();
      pool.group_leader = false;
      for (GroupItem* item : group) item->done = true;
      pool.group_cv.notify_all();
    } else if (me.taken) {
      pool.group_cv.wait(lock);
    } else if (pool.group_cv.wait_until(lock, deadline) == std::cv_status::timeout && !me.taken &&
               !me.done) {
      std::erase(pool.group_queue, &me);
      return fail(Error::unavailable("transaction: database is locked (write queue timeout)"));
    }
  }
  lock.unlock();
  if (me.thrown) std::rethrow_exception(me.thrown);
  if (me.result) {
    for (auto& hook : me.hooks) hook();
  }
  return me.result;
}

void Database::run_group(const std::vector<GroupItem*>& group) {
  std::size_t next = 0;
  while (next < group.size()) {
    // One SQLite transaction for group[first, next); a function whose failure takes the whole
    // transaction with it (SQLite rolls back by itself on some errors) ends it early, and the
    // rest go into a new one.
    const std::size_t first = next;
    try {
      Lease lease(pool_->sessions, pool_->mu, pool_->broken);
      soci::session& sql = lease.session();
      auto fail_all = [&](std::size_t from, std::size_t to, const Error& error) {
        for (std::size_t i = from; i < to; ++i) {
          group[i]->result = fail(error);
          group[i]->hooks.clear();
        }
      };
      try {
        sql << "BEGIN IMMEDIATE";
      } catch (const std::exception& e) {
        lease.note_failure(e);
        fail_all(first, group.size(), error_from_exception(e, "transaction"));
        return;
      }
      const bool single = group.size() - first == 1;
      bool broken = false;
      for (; next < group.size() && !broken; ++next) {
        GroupItem& item = *group[next];
        auto* outer_hooks = tl_after_commit;
        try {
          if (!single) sql << "SAVEPOINT zocalo_group";
          tl_after_commit = &item.hooks;
          item.result = (*item.fn)(sql);
          tl_after_commit = outer_hooks;
          if (item.result) {
            if (!single) sql << "RELEASE zocalo_group";
            continue;
          }
        } catch (const std::exception& e) {
          tl_after_commit = outer_hooks;
          lease.note_failure(e);
          item.result = fail(error_from_exception(e, "transaction"));
        } catch (...) {
          tl_after_commit = outer_hooks;
          item.thrown = std::current_exception();
          item.result = fail(Error::internal("transaction: unknown exception"));
        }
        item.hooks.clear();
        if (single) {
          ++next;
          break;  // ROLLBACK below
        }
        try {
          sql << "ROLLBACK TO zocalo_group";
          sql << "RELEASE zocalo_group";
        } catch (const std::exception& e) {
          // The transaction itself is gone: what ran before this one in it is lost too.
          lease.note_failure(e);
          fail_all(first, next, error_from_exception(e, "transaction"));
          broken = true;
        }
      }
      if (single && !group[first]->result) {
        try {
          sql << "ROLLBACK";
        } catch (const std::exception& e) {
          lease.note_failure(e);
        }
        continue;
      }
      if (broken) {
        try {
          sql << "ROLLBACK";
        } catch (const std::exception& e) {
          lease.note_failure(e);
        }
        continue;
      }
      try {
        sql << "COMMIT";
      } catch (const std::exception& e) {
        lease.note_failure(e);
        fail_all(first, next, error_from_exception(e, "transaction"));
        try {
          sql << "ROLLBACK";
        } catch (const std::exception&) {
          // Nothing left to undo.
        }
      }
    } catch (const std::exception& e) {  // leasing (reconnect) failed
      for (std::size_t i = first; i < group.size(); ++i) {
        group[i]->result = fail(error_from_exception(e, "transaction"));
        group[i]->hooks.clear();
      }
      return;
    }
  }
}

Status Database::transaction(const std::function<Status(soci::session&)>& fn) {
  if (dialect_ == Dialect::kSqlite) return sqlite_group(fn);
  std::vector<std::function<void()>> hooks;
  Status result;
  try {
    Lease lease(pool_->sessions, pool_->mu, pool_->broken);
    soci::session& sql = lease.session();
    bool open = false;
    auto* outer_hooks = tl_after_commit;
    try {
      sql << "BEGIN";
      open = true;
      tl_after_commit = &hooks;
      result = fn(sql);
      tl_after_commit = outer_hooks;
      if (result) {
        sql << "COMMIT";
        open = false;
      } else {
        sql << "ROLLBACK";
        open = false;
        hooks.clear();
      }
    } catch (const std::exception& e) {
      tl_after_commit = outer_hooks;
      hooks.clear();
      lease.note_failure(e);
      if (open) {
        try {
          sql << "ROLLBACK";
        } catch (const std::exception& rollback_error) {
          lease.note_failure(rollback_error);
        }
      }
      return fail(error_from_exception(e, "transaction"));
    } catch (...) {
      // Not ours to map, but the session must not go back to the pool mid-transaction.
      tl_after_commit = outer_hooks;
      if (open) {
        try {
          sql << "ROLLBACK";
        } catch (const std::exception& rollback_error) {
          lease.note_failure(rollback_error);
        }
      }
      throw;
    }
  } catch (const std::exception& e) {  // leasing (reconnect) failed
    return fail(error_from_exception(e, "transaction"));
  }
  for (auto& hook : hooks) hook();
  return result;
}

Status Database::read(const std::function<Status(soci::session&)>& fn) {
  try {
    Lease lease(pool_->sessions, pool_->mu, pool_->broken);
    try {
      return fn(lease.session());
    } catch (const std::exception& e) {
      lease.note_failure(e);
      throw;
    }
  } catch (const std::exception& e) {
    return fail(error_from_exception(e, "read"));
  }
}

void Database::after_commit(std::function<void()> fn) {
  if (tl_after_commit)
    tl_after_commit->push_back(std::move(fn));
  else
    fn();
}

Status Database::migrate() {
  auto migrations = embedded_migrations(dialect_);
  if (!migrations) return fail(migrations.error());

  // Every step takes the migration lock first, so concurrent migrators queue up and each
  // sees what the previous one recorded.
  auto lock = [this](soci::session& sql) {
    if (dialect_ == Dialect::kPostgres) {
      sql << "SELECT pg_advisory_xact_lock(:key)", soci::use(kMigrateLockKey);
    }
    // SQLite: BEGIN IMMEDIATE already holds the single write lock.
  };
  Status created = transaction([&](soci::session& sql) -> Status {
    lock(sql);
    sql << "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, "
           "name TEXT NOT NULL, applied_at BIGINT NOT NULL)";
    return {};
  });
  if (!created) return created;

  for (const Migration& m : *migrations) {
    bool applied_now = false;
    Status st = transaction([&](soci::session& sql) -> Status {
      lock(sql);
      int found = 0;
      sql << "SELECT COUNT(*) FROM schema_migrations WHERE version = :v", soci::use(m.version),
          soci::into(found);
      if (found > 0) return {};
      for (const std::string& statement : split_sql_statements(m.sql)) {
        try {
          sql << statement;
        } catch (soci::soci_error& e) {
          e.add_context("migration " + m.name);
          throw;
        }
      }
      const long long now = time::now_unix();
      sql << "INSERT INTO schema_migrations (version, name, applied_at) VALUES (:v, :n, :t)",
          soci::use(m.version), soci::use(m.name), soci::use(now);
      applied_now = true;
      return {};
    });
    if (!st) {
      log::error("db.migrate_failed", {{"migration", m.name}, {"detail", st.error().detail}});
      return st;
    }
    if (applied_now) log::info("db.migrated", {{"migration", m.name}});
  }
  return {};
}

Result<int> Database::schema_version() {
  int version = 0;
  Status st = read([&](soci::session& sql) -> Status {
    int tables = 0;
    if (dialect_ == Dialect::kPostgres) {
      sql << "SELECT COUNT(*) FROM information_schema.tables "
             "WHERE table_schema = current_schema() AND table_name = 'schema_migrations'",
          soci::into(tables);
    } else {
      sql << "SELECT COUNT(*) FROM sqlite_master "
             "WHERE type = 'table' AND name = 'schema_migrations'",
          soci::into(tables);
    }
    if (tables == 0) return {};
    soci::indicator ind = soci::i_ok;
    sql << "SELECT MAX(version) FROM schema_migrations", soci::into(version, ind);
    if (ind != soci::i_ok) version = 0;
    return {};
  });
  if (!st) return fail(st.error());
  return version;
}

Status Database::ping() {
  return read([](soci::session& sql) -> Status {
    int one = 0;
    sql << "SELECT 1", soci::into(one);
    if (one != 1) return fail(Error::internal("SELECT 1 returned " + std::to_string(one)));
    return {};
  });
}

}  // namespace zocalo::db
