#include "identity/store/one_time_code_store.hpp"

namespace zocalo::identity {

Result<std::string> OneTimeCodeStore::issue(soci::session& sql, long long account_id,
                                            CodePurpose purpose, std::int64_t now) {
  const CodeRule rule = rule_for(purpose);
  std::string plaintext;
  std::string stored;
  if (rule.digits == 0) {
    plaintext = generate_link_token();
    stored = link_token_hash(plaintext);
  } else {
    plaintext = generate_numeric_code(rule.digits);
    stored = hash_short_code(plaintext);
  }
  const std::string p(to_string(purpose));
  const long long at = now;
  const long long expires = now + rule.lifetime;
  const int max_attempts = rule.max_attempts;
  // One live code per purpose: a resend makes the earlier message useless, which also keeps a
  // guesser from multiplying their chances by asking for many codes.
  sql << "UPDATE one_time_codes SET used_at = :now WHERE account_id = :account AND "
         "purpose = :purpose AND used_at IS NULL",
      soci::use(at, "now"), soci::use(account_id, "account"), soci::use(p, "purpose");
  sql << "INSERT INTO one_time_codes (account_id, purpose, code_hash, attempts, max_attempts, "
         "created_at, expires_at) VALUES (:account, :purpose, :hash, 0, :max, :now, :expires)",
      soci::use(account_id, "account"), soci::use(p, "purpose"), soci::use(stored, "hash"),
      soci::use(max_attempts, "max"), soci::use(at, "now"), soci::use(expires, "expires");
  return plaintext;
}

Result<std::optional<long long>> OneTimeCodeStore::use_link(soci::session& sql, CodePurpose purpose,
                                                            std::string_view token,
                                                            std::int64_t now) {
  if (token.empty() || token.size() > 100) return std::optional<long long>();
  const std::string hash = link_token_hash(token);
  const std::string p(to_string(purpose));
  const long long at = now;
  long long id = 0;
  long long account_id = 0;
  sql << "SELECT id, account_id FROM one_time_codes WHERE code_hash = :hash AND "
         "purpose = :purpose AND used_at IS NULL AND expires_at > :now",
      soci::into(id), soci::into(account_id), soci::use(hash, "hash"), soci::use(p, "purpose"),
      soci::use(at, "now");
  if (!sql.got_data()) return std::optional<long long>();
  // Guarded, so that two clicks racing on two nodes use the link once.
  soci::statement st = (sql.prepare << "UPDATE one_time_codes SET used_at = :now "
                                       "WHERE id = :id AND used_at IS NULL",
                        soci::use(at, "now"), soci::use(id, "id"));
  st.execute(true);
  if (st.get_affected_rows() != 1) return std::optional<long long>();
  return std::optional<long long>(account_id);
}

Result<CodeCheck> OneTimeCodeStore::check(soci::session& sql, long long account_id,
                                          CodePurpose purpose, std::string_view code,
                                          std::int64_t now) {
  const std::string p(to_string(purpose));
  const long long at = now;
  long long id = 0;
  std::string stored;
  int attempts = 0;
  int max_attempts = 0;
  sql << "SELECT id, code_hash, attempts, max_attempts FROM one_time_codes "
         "WHERE account_id = :account AND purpose = :purpose AND used_at IS NULL AND "
         "expires_at > :now ORDER BY id DESC LIMIT 1",
      soci::into(id), soci::into(stored), soci::into(attempts), soci::into(max_attempts),
      soci::use(account_id, "account"), soci::use(p, "purpose"), soci::use(at, "now");
  if (!sql.got_data() || attempts >= max_attempts) return CodeCheck::kNoCode;
  if (short_code_matches(stored, code)) {
    soci::statement st = (sql.prepare << "UPDATE one_time_codes SET used_at = :now "
                                         "WHERE id = :id AND used_at IS NULL",
                          soci::use(at, "now"), soci::use(id, "id"));
    st.execute(true);
    return st.get_affected_rows() == 1 ? CodeCheck::kOk : CodeCheck::kNoCode;
  }
  // The last allowed attempt also ends the code, so it never matches afterwards.
  sql << "UPDATE one_time_codes SET attempts = attempts + 1, "
         "used_at = CASE WHEN attempts + 1 >= max_attempts THEN :now ELSE used_at END "
         "WHERE id = :id",
      soci::use(at, "now"), soci::use(id, "id");
  return CodeCheck::kWrong;
}

Result<bool> OneTimeCodeStore::has_live(soci::session& sql, long long account_id,
                                        CodePurpose purpose, std::int64_t now) {
  const std::string p(to_string(purpose));
  const long long at = now;
  int n = 0;
  sql << "SELECT COUNT(*) FROM one_time_codes WHERE account_id = :account AND "
         "purpose = :purpose AND used_at IS NULL AND expires_at > :now",
      soci::into(n), soci::use(account_id, "account"), soci::use(p, "purpose"),
      soci::use(at, "now");
  return n > 0;
}

Result<int> OneTimeCodeStore::purge(soci::session& sql, std::int64_t now, std::int64_t retention) {
  const long long before = now - retention;
  soci::statement st = (sql.prepare << "DELETE FROM one_time_codes WHERE expires_at < :before",
                        soci::use(before, "before"));
  st.execute(true);
  return static_cast<int>(st.get_affected_rows());
}

}  // namespace zocalo::identity
