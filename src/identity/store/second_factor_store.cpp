#include "identity/store/second_factor_store.hpp"

#include <boost/json/array.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

namespace zocalo::identity {
namespace {

std::string to_json(const std::vector<std::string>& hashes) {
  boost::json::array a;
  for (const auto& h : hashes) a.emplace_back(h);
  return boost::json::serialize(a);
}

Result<std::vector<std::string>> from_json(const std::string& text, long long account_id) {
  boost::system::error_code ec;
  const boost::json::value v = boost::json::parse(text, ec);
  if (ec || !v.is_array()) {
    return fail(Error::internal("second_factors.recovery_codes of account " +
                                std::to_string(account_id) + " is not a JSON array"));
  }
  std::vector<std::string> out;
  for (const auto& e : v.as_array()) {
    if (!e.is_string()) {
      return fail(Error::internal("second_factors.recovery_codes of account " +
                                  std::to_string(account_id) + " holds a non-string"));
    }
    out.emplace_back(e.as_string().c_str());
  }
  return out;
}

// Makes sure the account has a row, so the updates below always have one to change.
void ensure_row(soci::session& sql, long long account_id, std::int64_t now) {
  const long long at = now;
  sql << "INSERT INTO second_factors (account_id, updated_at) VALUES (:account, :now) "
         "ON CONFLICT (account_id) DO NOTHING",
      soci::use(account_id, "account"), soci::use(at, "now");
}

}  // namespace

int SecondFactors::recovery_codes_left() const {
  int n = 0;
  for (const auto& h : recovery_codes) n += h.empty() ? 0 : 1;
  return n;
}

Result<SecondFactors> SecondFactorStore::load(soci::session& sql, long long account_id) {
  SecondFactors f;
  f.account_id = account_id;
  std::string secret, pending, codes;
  long long enrolled = 0, last_step = 0, pending_at = 0;
  int sms = 0;
  soci::indicator secret_i = soci::i_null, pending_i = soci::i_null, enrolled_i = soci::i_null,
                  last_step_i = soci::i_null, pending_at_i = soci::i_null;
  sql << "SELECT totp_secret, totp_enrolled_at, totp_last_step, pending_totp_secret, "
         "pending_totp_created_at, recovery_codes, sms_enabled FROM second_factors "
         "WHERE account_id = :account",
      soci::into(secret, secret_i), soci::into(enrolled, enrolled_i),
      soci::into(last_step, last_step_i), soci::into(pending, pending_i),
      soci::into(pending_at, pending_at_i), soci::into(codes), soci::into(sms),
      soci::use(account_id, "account");
  if (!sql.got_data()) return f;
  if (secret_i == soci::i_ok) f.totp_secret = secret;
  if (enrolled_i == soci::i_ok) f.totp_enrolled_at = enrolled;
  if (last_step_i == soci::i_ok) f.totp_last_step = last_step;
  if (pending_i == soci::i_ok) f.pending_totp_secret = pending;
  if (pending_at_i == soci::i_ok) f.pending_totp_created_at = pending_at;
  auto hashes = from_json(codes, account_id);
  if (!hashes) return fail(hashes.error());
  f.recovery_codes = std::move(*hashes);
  f.sms_enabled = sms != 0;
  return f;
}

Status SecondFactorStore::set_pending_totp(soci::session& sql, long long account_id,
                                           std::string_view sealed, std::int64_t now) {
  if (sealed.empty() || sealed.size() > 1000) {
    return fail(Error::invalid("identity.totp.invalid", "sealed secret 1..1000 bytes"));
  }
  ensure_row(sql, account_id, now);
  const std::string s(sealed);
  const long long at = now;
  sql << "UPDATE second_factors SET pending_totp_secret = :secret, "
         "pending_totp_created_at = :now, updated_at = :now2 WHERE account_id = :account",
      soci::use(s, "secret"), soci::use(at, "now"), soci::use(at, "now2"),
      soci::use(account_id, "account");
  return {};
}

Status SecondFactorStore::confirm_totp(soci::session& sql, long long account_id,
                                       std::string_view sealed, std::int64_t step,
                                       const std::vector<std::string>& recovery_hashes,
                                       std::int64_t now) {
  const std::string s(sealed);
  const std::string codes = to_json(recovery_hashes);
  const long long at = now;
  const long long st_step = step;
  soci::statement st =
      (sql.prepare << "UPDATE second_factors SET totp_secret = pending_totp_secret, "
                      "totp_enrolled_at = :now, totp_last_step = :step, "
                      "pending_totp_secret = NULL, pending_totp_created_at = NULL, "
                      "recovery_codes = :codes, updated_at = :now2 "
                      "WHERE account_id = :account AND pending_totp_secret = :secret",
       soci::use(at, "now"), soci::use(st_step, "step"), soci::use(codes, "codes"),
       soci::use(at, "now2"), soci::use(account_id, "account"), soci::use(s, "secret"));
  st.execute(true);
  if (st.get_affected_rows() != 1) {
    return fail(Error::conflict("identity.totp.no_pending", "no matching pending secret"));
  }
  return {};
}

Status SecondFactorStore::remove_totp(soci::session& sql, long long account_id, std::int64_t now) {
  const long long at = now;
  sql << "UPDATE second_factors SET totp_secret = NULL, totp_enrolled_at = NULL, "
         "totp_last_step = NULL, pending_totp_secret = NULL, pending_totp_created_at = NULL, "
         "recovery_codes = '[]', updated_at = :now WHERE account_id = :account",
      soci::use(at, "now"), soci::use(account_id, "account");
  return {};
}

Result<bool> SecondFactorStore::claim_totp_step(soci::session& sql, long long account_id,
                                                std::int64_t step, std::int64_t now) {
  const long long s = step;
  const long long at = now;
  soci::statement st =
      (sql.prepare << "UPDATE second_factors SET totp_last_step = :step, updated_at = :now "
                      "WHERE account_id = :account AND totp_secret IS NOT NULL AND "
                      "(totp_last_step IS NULL OR totp_last_step < :step2)",
       soci::use(s, "step"), soci::use(at, "now"), soci::use(account_id, "account"),
       soci::use(s, "step2"));
  st.execute(true);
  return st.get_affected_rows() == 1;
}

Status SecondFactorStore::set_recovery_codes(soci::session& sql, long long account_id,
                                             const std::vector<std::string>& hashes,
                                             std::int64_t now) {
  ensure_row(sql, account_id, now);
  const std::string codes = to_json(hashes);
  const long long at = now;
  sql << "UPDATE second_factors SET recovery_codes = :codes, updated_at = :now "
         "WHERE account_id = :account",
      soci::use(codes, "codes"), soci::use(at, "now"), soci::use(account_id, "account");
  return {};
}

Result<bool> SecondFactorStore::use_recovery_code(soci::session& sql, long long account_id,
                                                  std::size_t index, std::int64_t now) {
  auto current = load(sql, account_id);
  if (!current) return fail(current.error());
  if (index >= current->recovery_codes.size() || current->recovery_codes[index].empty()) {
    return false;
  }
  const std::string before = to_json(current->recovery_codes);
  current->recovery_codes[index].clear();
  const std::string after = to_json(current->recovery_codes);
  const long long at = now;
  // Compare-and-set on the whole list: a racing request that used any code first makes this
  // one change nothing, and the caller asks again.
  soci::statement st = (sql.prepare << "UPDATE second_factors SET recovery_codes = :after, "
                                       "updated_at = :now WHERE account_id = :account AND "
                                       "recovery_codes = :before",
                        soci::use(after, "after"), soci::use(at, "now"),
                        soci::use(account_id, "account"), soci::use(before, "before"));
  st.execute(true);
  return st.get_affected_rows() == 1;
}

Status SecondFactorStore::set_sms_enabled(soci::session& sql, long long account_id, bool enabled,
                                          std::int64_t now) {
  ensure_row(sql, account_id, now);
  const int flag = enabled ? 1 : 0;
  const long long at = now;
  sql << "UPDATE second_factors SET sms_enabled = :flag, updated_at = :now "
         "WHERE account_id = :account",
      soci::use(flag, "flag"), soci::use(at, "now"), soci::use(account_id, "account");
  return {};
}

}  // namespace zocalo::identity
