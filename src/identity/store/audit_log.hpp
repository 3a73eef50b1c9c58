#pragma once
// SQL for the identity audit log (migrations/*/0004_identity_accounts.sql): an append-only,
// hash-chained record of sign-ins, tokens and staff actions. There is deliberately no update or
// delete here; the database refuses both with triggers, and verify() detects what a superuser
// could still do behind the triggers' back.
//
// What the chain proves: no row was edited, removed, inserted or reordered after it was
// written, as long as the head (audit_head) was not rewritten too. Someone able to rewrite the
// whole chain and the head could forge a consistent history; publishing the head's hash
// elsewhere from time to time (a daily job, an external timestamp) closes that gap.
#include <soci/soci.h>

#include <cstdint>
#include <string>
#include <vector>

#include "identity/model/audit_event.hpp"
#include "platform/core/result.hpp"
#include "platform/db/database.hpp"

namespace zocalo::identity {

inline constexpr int kMaxAuditPage = 100;

// The outcome of verify(): ok, or where the chain first breaks and how.
struct ChainCheck {
  bool ok = true;
  long long rows_checked = 0;
  long long first_broken_id = 0;  // 0 when ok
  std::string detail;             // "row 1234: hash does not match its contents"
};

class AuditLog {
 public:
  explicit AuditLog(db::Database& db) : db_(db) {}

  // Appends `event` in the caller's transaction and returns the stored row. The row's id is the
  // next position in the chain and its prev_hash the hash of the row before (64 zeros for the
  // first). Appends from every node are serialised by the audit_head row, which stays locked
  // until the caller commits: append last in a transaction, and keep that transaction short.
  // identity.audit.invalid when the event breaks validate(); created_at 0 means now.
  static Result<AuditRecord> append(soci::session& sql, const AuditEvent& event);

  // A resident's activity page: their rows newest first, `limit` (1..100) of them, with ids
  // below `before_id` (0 = from the newest), so the page after ends at the last id shown.
  Result<std::vector<AuditRecord>> list_for_account(long long account_id, int limit,
                                                    long long before_id = 0);

  // Walks the whole chain in id order, a batch at a time (constant memory, no long-held lock),
  // up to the head as it stood when the walk began; rows appended meanwhile are left for the
  // next run. Checks that ids run 1, 2, 3, ..., each hash matches its row's contents, each
  // prev_hash the hash of the row before, and the last row the head. Database errors are
  // errors; a broken chain is a ChainCheck with ok = false.
  Result<ChainCheck> verify();

 private:
  db::Database& db_;
};

}  // namespace zocalo::identity
