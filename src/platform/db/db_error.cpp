#include "platform/db/db_error.hpp"

#include <soci/postgresql/soci-postgresql.h>
#include <soci/soci.h>
#include <soci/sqlite3/soci-sqlite3.h>
#include <sqlite3.h>

#include <string>

namespace zocalo::db {
namespace {

bool retryable_sqlstate(std::string_view state) {
  // PostgreSQL Appendix A: 08 connection exception, 57P01..57P03 shutdown / cannot connect
  // now, 53300 too many connections, 40001 serialization failure, 40P01 deadlock detected.
  return state.substr(0, 2) == "08" || state == "57P01" || state == "57P02" || state == "57P03" ||
         state == "53300" || state == "40001" || state == "40P01";
}

bool contains(std::string_view haystack, std::string_view needle) {
  return haystack.find(needle) != std::string_view::npos;
}

}  // namespace

bool is_connection_lost(const std::exception& e) {
  if (const auto* pg = dynamic_cast<const soci::postgresql_soci_error*>(&e)) {
    const std::string state = pg->sqlstate();
    if (state.substr(0, 2) == "08" || state.substr(0, 3) == "57P") return true;
  }
  if (const auto* se = dynamic_cast<const soci::soci_error*>(&e)) {
    if (se->get_error_category() == soci::soci_error::connection_error) return true;
    // libpq reports a dropped socket without a SQLSTATE; SOCI passes its text on.
    const std::string_view what = se->what();
    return contains(what, "server closed the connection") || contains(what, "no connection to") ||
           contains(what, "connection to server") || contains(what, "terminating connection");
  }
  return false;
}

Error error_from_exception(const std::exception& e, std::string_view context) {
  std::string detail(context);
  detail += ": ";
  detail += e.what();
  if (const auto* lite = dynamic_cast<const soci::sqlite3_soci_error*>(&e)) {
    const int primary = lite->result() & 0xff;
    if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED) return Error::unavailable(detail);
  }
  if (const auto* pg = dynamic_cast<const soci::postgresql_soci_error*>(&e)) {
    if (retryable_sqlstate(pg->sqlstate())) return Error::unavailable(detail);
  }
  if (dynamic_cast<const soci::soci_error*>(&e)) {
    // Some SOCI paths (commit, prepare) rethrow SQLite errors as plain soci_error.
    const std::string_view what = e.what();
    if (contains(what, "database is locked") || contains(what, "database table is locked") ||
        is_connection_lost(e)) {
      return Error::unavailable(detail);
    }
  }
  return Error::internal(detail);
}

}  // namespace zocalo::db
