#include "app/backup.hpp"

#include <sqlite3.h>

#include <filesystem>

namespace zocalo::app {

Status backup_sqlite(const std::string& database_url, const std::string& destination) {
  constexpr std::string_view kPrefix = "sqlite:";
  if (database_url.rfind(kPrefix, 0) != 0) {
    return fail(Error::invalid("error.backup_not_sqlite", "backup works on sqlite: URLs"));
  }
  const std::string source = database_url.substr(kPrefix.size());
  if (!std::filesystem::exists(source)) {
    return fail(Error::not_found("no database at " + source));
  }
  if (std::filesystem::exists(destination)) {
    return fail(Error::conflict("error.backup_exists", destination + " already exists"));
  }
  sqlite3* from = nullptr;
  sqlite3* to = nullptr;
  auto close_both = [&] {
    sqlite3_close(from);
    sqlite3_close(to);
  };
  if (sqlite3_open_v2(source.c_str(), &from, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK ||
      sqlite3_open_v2(destination.c_str(), &to, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
                      nullptr) != SQLITE_OK) {
    std::string why = sqlite3_errmsg(to ? to : from);
    close_both();
    return fail(Error::unavailable("cannot open databases: " + why));
  }
  sqlite3_busy_timeout(from, 10000);
  sqlite3_backup* backup = sqlite3_backup_init(to, "main", from, "main");
  if (!backup) {
    std::string why = sqlite3_errmsg(to);
    close_both();
    return fail(Error::internal("backup init failed: " + why));
  }
  // Copy in steps so that writers are only briefly held up between steps.
  int rc;
  do {
    rc = sqlite3_backup_step(backup, 256);
    if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) sqlite3_sleep(50);
  } while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
  sqlite3_backup_finish(backup);
  const std::string why = sqlite3_errmsg(to);
  close_both();
  if (rc != SQLITE_DONE) {
    std::filesystem::remove(destination);
    return fail(Error::internal("backup failed: " + why));
  }
  return {};
}

}  // namespace zocalo::app
