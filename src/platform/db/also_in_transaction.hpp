#pragma once
// Work a caller adds to a store's own transaction, run last, after the store's writes: typically
// the audit row recording the change (identity::record_staff_action). Both commit or neither; a
// failure here rolls the store's writes back and is the store's answer.
#include <soci/soci.h>

#include <functional>

#include "platform/core/result.hpp"

namespace zocalo::db {

using AlsoInTransaction = std::function<Status(soci::session&)>;

// Runs `also` when there is one.
inline Status run_also(soci::session& sql, const AlsoInTransaction& also) {
  return also ? also(sql) : Status{};
}

}  // namespace zocalo::db
