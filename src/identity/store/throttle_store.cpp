#include "identity/store/throttle_store.hpp"

#include <string>

namespace zocalo::identity {
namespace {

Status check_key(std::string_view scope, std::string_view bucket) {
  if (scope.empty() || scope.size() > 32 || bucket.empty() || bucket.size() > 128) {
    return fail(Error::invalid("identity.throttle.invalid", "scope 1..32, bucket 1..128 bytes"));
  }
  return {};
}

}  // namespace

Result<std::int64_t> ThrottleStore::wait_seconds(std::string_view scope, std::string_view bucket,
                                                 const ThrottleRule& rule, std::int64_t now) {
  if (auto st = check_key(scope, bucket); !st) return fail(st.error());
  long long blocked_until = 0;
  long long updated_at = 0;
  bool found = false;
  const Status st = db_.read([&](soci::session& sql) -> Status {
    const std::string s(scope), b(bucket);
    sql << "SELECT blocked_until, updated_at FROM signin_throttles "
           "WHERE scope = :scope AND bucket = :bucket",
        soci::into(blocked_until), soci::into(updated_at), soci::use(s, "scope"),
        soci::use(b, "bucket");
    found = sql.got_data();
    return {};
  });
  if (!st) return fail(st.error());
  if (!found || updated_at + rule.forget_after <= now || blocked_until <= now) {
    return std::int64_t{0};
  }
  return static_cast<std::int64_t>(blocked_until - now);
}

Result<int> ThrottleStore::record_failure(soci::session& sql, std::string_view scope,
                                          std::string_view bucket, const ThrottleRule& rule,
                                          std::int64_t now) {
  if (auto st = check_key(scope, bucket); !st) return fail(st.error());
  const std::string s(scope), b(bucket);
  const long long at = now;
  const long long stale = now - rule.forget_after;
  // One statement takes the row lock (PostgreSQL) or runs under SQLite's write lock, so two
  // nodes counting at once both count.
  sql << "INSERT INTO signin_throttles (scope, bucket, failures, blocked_until, updated_at) "
         "VALUES (:scope, :bucket, 1, 0, :now) "
         "ON CONFLICT (scope, bucket) DO UPDATE SET "
         "failures = CASE WHEN signin_throttles.updated_at <= :stale THEN 1 "
         "ELSE signin_throttles.failures + 1 END, updated_at = :now2",
      soci::use(s, "scope"), soci::use(b, "bucket"), soci::use(at, "now"),
      soci::use(stale, "stale"), soci::use(at, "now2");
  int failures = 0;
  sql << "SELECT failures FROM signin_throttles WHERE scope = :scope AND bucket = :bucket",
      soci::into(failures), soci::use(s, "scope"), soci::use(b, "bucket");
  const long long until = now + backoff_seconds(rule, failures);
  sql << "UPDATE signin_throttles SET blocked_until = :until WHERE scope = :scope AND "
         "bucket = :bucket",
      soci::use(until, "until"), soci::use(s, "scope"), soci::use(b, "bucket");
  return failures;
}

Result<int> ThrottleStore::record_failure(std::string_view scope, std::string_view bucket,
                                          const ThrottleRule& rule, std::int64_t now) {
  int failures = 0;
  const Status st = db_.transaction([&](soci::session& sql) -> Status {
    auto n = record_failure(sql, scope, bucket, rule, now);
    if (!n) return fail(n.error());
    failures = *n;
    return {};
  });
  if (!st) return fail(st.error());
  return failures;
}

Status ThrottleStore::clear(soci::session& sql, std::string_view scope, std::string_view bucket) {
  if (auto st = check_key(scope, bucket); !st) return st;
  const std::string s(scope), b(bucket);
  sql << "DELETE FROM signin_throttles WHERE scope = :scope AND bucket = :bucket",
      soci::use(s, "scope"), soci::use(b, "bucket");
  return {};
}

Result<int> ThrottleStore::purge(std::int64_t now, std::int64_t retention) {
  int removed = 0;
  const Status st = db_.transaction([&](soci::session& sql) -> Status {
    const long long before = now - retention;
    soci::statement del = (sql.prepare << "DELETE FROM signin_throttles WHERE updated_at < :before",
                           soci::use(before, "before"));
    del.execute(true);
    removed = static_cast<int>(del.get_affected_rows());
    return {};
  });
  if (!st) return fail(st.error());
  return removed;
}

}  // namespace zocalo::identity
