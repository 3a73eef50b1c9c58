#include "identity/store/audit_log.hpp"

#include <functional>
#include <limits>
#include <optional>
#include <string>
#include <utility>

#include "platform/core/time.hpp"

namespace zocalo::identity {
namespace {

constexpr const char* kColumns =
    "id, account_id, actor_kind, actor_id, action, detail, ip, created_at, prev_hash, hash";

// Rows per round trip in verify(): bounded memory (detail is at most 4 KiB, so a batch is at
// most about 2 MiB) and no statement long enough to hold back vacuum or the WAL checkpoint.
constexpr int kVerifyBatch = 500;

// SOCI buffers for one audit_log row; nullable columns carry indicators.
struct AuditRow {
  long long id = 0;
  long long account_id = 0;
  soci::indicator account_id_i = soci::i_null;
  std::string actor_kind, actor_id, action, detail, ip;
  soci::indicator ip_i = soci::i_null;
  long long created_at = 0;
  std::string prev_hash, hash;

  // In the order of kColumns.
  void exchange(soci::statement& st) {
    st.exchange(soci::into(id));
    st.exchange(soci::into(account_id, account_id_i));
    st.exchange(soci::into(actor_kind));
    st.exchange(soci::into(actor_id));
    st.exchange(soci::into(action));
    st.exchange(soci::into(detail));
    st.exchange(soci::into(ip, ip_i));
    st.exchange(soci::into(created_at));
    st.exchange(soci::into(prev_hash));
    st.exchange(soci::into(hash));
  }

  // nullopt when actor_kind is none the schema allows (only a hand edit can do that).
  std::optional<AuditRecord> to_record() const {
    const auto kind = parse_actor_kind(actor_kind);
    if (!kind) return std::nullopt;
    AuditRecord r;
    r.id = id;
    if (account_id_i == soci::i_ok) r.event.account_id = account_id;
    r.event.actor_kind = *kind;
    r.event.actor_id = actor_id;
    r.event.action = action;
    r.event.detail = detail;
    if (ip_i == soci::i_ok) r.event.ip = ip;
    r.event.created_at = created_at;
    r.prev_hash = prev_hash;
    r.hash = hash;
    return r;
  }
};

// Runs a SELECT of kColumns with by-name binds and calls `on_row` for each row, stopping early
// when it returns false.
void select_rows(soci::session& sql, const std::string& query,
                 const std::function<void(soci::statement&)>& bind,
                 const std::function<bool(const AuditRow&)>& on_row) {
  AuditRow row;
  soci::statement st(sql);
  row.exchange(st);
  bind(st);
  st.alloc();
  st.prepare(query);
  st.define_and_bind();
  if (!st.execute(true)) return;
  do {
    if (!on_row(row)) return;
  } while (st.fetch());
}

ChainCheck broken(long long id, long long checked, std::string detail) {
  return ChainCheck{false, checked, id, "row " + std::to_string(id) + ": " + std::move(detail)};
}

}  // namespace

Result<AuditRecord> AuditLog::append(soci::session& sql, const AuditEvent& input) {
  AuditEvent event = input;
  if (event.created_at == 0) event.created_at = time::now_unix();
  if (auto st = validate(event); !st) return fail(st.error());

  // Taking the next position and the previous hash in one UPDATE locks the head row first
  // (PostgreSQL: a second appender waits here until this transaction ends, then reads what it
  // committed; SQLite: BEGIN IMMEDIATE has already made this the only writer).
  long long id = 0;
  std::string prev_hash;
  sql << "UPDATE audit_head SET last_id = last_id + 1 WHERE id = 1 RETURNING last_id, last_hash",
      soci::into(id), soci::into(prev_hash);
  if (!sql.got_data()) return fail(Error::internal("audit_head row is missing"));

  AuditRecord record;
  record.id = id;
  record.event = event;
  record.prev_hash = prev_hash;
  record.hash = audit_hash(prev_hash, id, event);

  const std::string kind(to_string(event.actor_kind));
  const std::string none;
  soci::indicator account_i = event.account_id ? soci::i_ok : soci::i_null;
  soci::indicator ip_i = event.ip ? soci::i_ok : soci::i_null;
  const long long account_id = event.account_id.value_or(0);
  const long long created_at = event.created_at;
  sql << "INSERT INTO audit_log (id, account_id, actor_kind, actor_id, action, detail, ip, "
         "created_at, prev_hash, hash) VALUES (:id, :account_id, :actor_kind, :actor_id, "
         ":action, :detail, :ip, :created_at, :prev_hash, :hash)",
      soci::use(id), soci::use(account_id, account_i), soci::use(kind), soci::use(event.actor_id),
      soci::use(event.action), soci::use(event.detail),
      soci::use(event.ip ? *event.ip : none, ip_i), soci::use(created_at),
      soci::use(record.prev_hash), soci::use(record.hash);
  sql << "UPDATE audit_head SET last_hash = :hash WHERE id = 1", soci::use(record.hash);
  return record;
}

Result<std::vector<AuditRecord>> AuditLog::list_for_account(long long account_id, int limit,
                                                            long long before_id) {
  if (limit < 1 || limit > kMaxAuditPage) {
    return fail(Error::invalid("identity.audit.limit", "limit must be 1..100"));
  }
  const long long before = before_id > 0 ? before_id : std::numeric_limits<long long>::max();
  std::vector<AuditRecord> out;
  const Status st = db_.read([&](soci::session& sql) -> Status {
    Status bad_row;
    select_rows(
        sql,
        std::string("SELECT ") + kColumns +
            " FROM audit_log WHERE account_id = :a AND id < :b ORDER BY id DESC LIMIT :n",
        [&](soci::statement& s) {
          s.exchange(soci::use(account_id, "a"));
          s.exchange(soci::use(before, "b"));
          s.exchange(soci::use(limit, "n"));
        },
        [&](const AuditRow& row) {
          auto record = row.to_record();
          if (!record) {
            bad_row = fail(Error::internal("audit row " + std::to_string(row.id) +
                                           " has actor_kind " + row.actor_kind));
            return false;
          }
          out.push_back(std::move(*record));
          return true;
        });
    return bad_row;
  });
  if (!st) return fail(st.error());
  return out;
}

Result<ChainCheck> AuditLog::verify() {
  ChainCheck result;
  const Status st = db_.read([&](soci::session& sql) -> Status {
    // The head first: everything up to it was committed together with it, so the walk below
    // sees a complete chain even while appends go on.
    long long head_id = 0;
    std::string head_hash;
    sql << "SELECT last_id, last_hash FROM audit_head WHERE id = 1", soci::into(head_id),
        soci::into(head_hash);
    if (!sql.got_data()) {
      result = ChainCheck{false, 0, 1, "audit_head row is missing"};
      return {};
    }

    long long last_id = 0;
    std::string last_hash(kGenesisHash);
    long long checked = 0;
    std::optional<ChainCheck> failure;
    while (!failure && last_id < head_id) {
      long long seen = 0;
      select_rows(
          sql,
          std::string("SELECT ") + kColumns +
              " FROM audit_log WHERE id > :after AND id <= :head ORDER BY id LIMIT :n",
          [&](soci::statement& s) {
            s.exchange(soci::use(last_id, "after"));
            s.exchange(soci::use(head_id, "head"));
            s.exchange(soci::use(kVerifyBatch, "n"));
          },
          [&](const AuditRow& row) {
            ++seen;
            const long long expected = last_id + 1;
            if (row.id != expected) {
              const std::string missing = row.id == expected + 1
                                              ? "row " + std::to_string(expected) + " is missing"
                                              : "rows " + std::to_string(expected) + ".." +
                                                    std::to_string(row.id - 1) + " are missing";
              failure = broken(row.id, checked, missing);
              return false;
            }
            const auto record = row.to_record();
            if (!record) {
              failure = broken(row.id, checked, "actor_kind '" + row.actor_kind + "' is invalid");
              return false;
            }
            if (audit_hash(row.prev_hash, row.id, record->event) != row.hash) {
              failure = broken(row.id, checked, "hash does not match its contents");
              return false;
            }
            if (row.prev_hash != last_hash) {
              failure =
                  broken(row.id, checked,
                         last_id == 0 ? "prev_hash is not the genesis hash"
                                      : "prev_hash does not match row " + std::to_string(last_id));
              return false;
            }
            ++checked;
            last_id = row.id;
            last_hash = row.hash;
            return true;
          });
      if (!failure && seen == 0) {
        // The head says there are more rows than the table holds: the end was cut off.
        failure = broken(last_id + 1, checked,
                         "missing; the chain's head records " + std::to_string(head_id) + " rows");
      }
    }
    if (!failure && last_hash != head_hash) {
      failure = broken(last_id, checked, "hash does not match the chain's head");
    }
    result = failure ? std::move(*failure) : ChainCheck{true, checked, 0, {}};
    return {};
  });
  if (!st) return fail(st.error());
  return result;
}

}  // namespace zocalo::identity
