#include "identity/store/account_store.hpp"

#include <soci/postgresql/soci-postgresql.h>
#include <soci/sqlite3/soci-sqlite3.h>
#include <sqlite3.h>

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>
#include <chrono>
#include <functional>
#include <utility>

#include "identity/model/curp.hpp"
#include "platform/core/text.hpp"
#include "platform/core/utf8.hpp"

namespace zocalo::identity {
namespace {

constexpr const char* kColumns =
    "id, subject, email, email_verified_at, phone, phone_verified_at, curp, curp_validated_at, "
    "given_name, family_name, birth_date, address, password_hash, loa, loa3_verified_by, "
    "loa3_verified_at, loa3_document, status, created_at, updated_at";

constexpr std::size_t kMaxNameBytes = 200;
constexpr std::size_t kMaxAddressBytes = 2048;
constexpr std::size_t kMaxPhcBytes = 512;
constexpr std::size_t kMaxDocumentBytes = 100;
constexpr std::size_t kMaxPrefixBytes = 254;

// One row's worth of SOCI buffers. SOCI has no std::optional, so every nullable column comes
// with an indicator; reading a NULL without one throws.
struct AccountRow {
  long long id = 0;
  std::string subject;
  std::string email, phone, curp, birth_date, address, password_hash, loa3_document;
  long long email_verified_at = 0, phone_verified_at = 0, curp_validated_at = 0;
  long long loa3_verified_by = 0, loa3_verified_at = 0;
  soci::indicator email_i = soci::i_null, phone_i = soci::i_null, curp_i = soci::i_null;
  soci::indicator birth_date_i = soci::i_null, address_i = soci::i_null;
  soci::indicator password_hash_i = soci::i_null, loa3_document_i = soci::i_null;
  soci::indicator email_verified_at_i = soci::i_null, phone_verified_at_i = soci::i_null;
  soci::indicator curp_validated_at_i = soci::i_null, loa3_verified_by_i = soci::i_null;
  soci::indicator loa3_verified_at_i = soci::i_null;
  std::string given_name, family_name, status;
  int loa = 0;
  long long created_at = 0, updated_at = 0;

  // In the order of kColumns.
  void exchange(soci::statement& st) {
    st.exchange(soci::into(id));
    st.exchange(soci::into(subject));
    st.exchange(soci::into(email, email_i));
    st.exchange(soci::into(email_verified_at, email_verified_at_i));
    st.exchange(soci::into(phone, phone_i));
    st.exchange(soci::into(phone_verified_at, phone_verified_at_i));
    st.exchange(soci::into(curp, curp_i));
    st.exchange(soci::into(curp_validated_at, curp_validated_at_i));
    st.exchange(soci::into(given_name));
    st.exchange(soci::into(family_name));
    st.exchange(soci::into(birth_date, birth_date_i));
    st.exchange(soci::into(address, address_i));
    st.exchange(soci::into(password_hash, password_hash_i));
    st.exchange(soci::into(loa));
    st.exchange(soci::into(loa3_verified_by, loa3_verified_by_i));
    st.exchange(soci::into(loa3_verified_at, loa3_verified_at_i));
    st.exchange(soci::into(loa3_document, loa3_document_i));
    st.exchange(soci::into(status));
    st.exchange(soci::into(created_at));
    st.exchange(soci::into(updated_at));
  }

  Result<Account> to_account() const {
    auto text = [](const std::string& v, soci::indicator i) -> std::optional<std::string> {
      if (i != soci::i_ok) return std::nullopt;
      return v;
    };
    auto number = [](long long v, soci::indicator i) -> std::optional<long long> {
      if (i != soci::i_ok) return std::nullopt;
      return v;
    };
    Account a;
    a.id = id;
    a.subject = subject;
    a.email = text(email, email_i);
    a.email_verified_at = number(email_verified_at, email_verified_at_i);
    a.phone = text(phone, phone_i);
    a.phone_verified_at = number(phone_verified_at, phone_verified_at_i);
    a.curp = text(curp, curp_i);
    a.curp_validated_at = number(curp_validated_at, curp_validated_at_i);
    a.given_name = given_name;
    a.family_name = family_name;
    a.birth_date = text(birth_date, birth_date_i);
    a.address = text(address, address_i);
    a.password_hash = text(password_hash, password_hash_i);
    const auto level = level_from_int(loa);
    const auto parsed_status = parse_account_status(status);
    if (!level || !parsed_status) {
      return fail(Error::internal("account " + std::to_string(id) + " has loa " +
                                  std::to_string(loa) + ", status " + status));
    }
    a.loa = *level;
    a.loa3_verified_by = number(loa3_verified_by, loa3_verified_by_i);
    a.loa3_verified_at = number(loa3_verified_at, loa3_verified_at_i);
    a.loa3_document = text(loa3_document, loa3_document_i);
    a.status = *parsed_status;
    a.created_at = created_at;
    a.updated_at = updated_at;
    return a;
  }
};

// Runs a SELECT of kColumns; `bind` adds the use elements (by name). Appends each row to `out`.
Status select_accounts(soci::session& sql, const std::string& query,
                       const std::function<void(soci::statement&)>& bind,
                       std::vector<Account>& out) {
  AccountRow row;
  soci::statement st(sql);
  row.exchange(st);
  bind(st);
  st.alloc();
  // A fresh statement each call: on PostgreSQL a named prepared statement gets a plan for the
  // actual parameters on its first executions, which the prefix LIKE needs to use its index
  // (a generic plan cannot see the prefix). Do not cache this statement across calls.
  st.prepare(query);
  st.define_and_bind();
  if (!st.execute(true)) return {};
  do {
    auto account = row.to_account();
    if (!account) return fail(account.error());
    out.push_back(std::move(*account));
  } while (st.fetch());
  return {};
}

Result<std::optional<Account>> select_one(soci::session& sql, const std::string& where,
                                          const std::function<void(soci::statement&)>& bind) {
  std::vector<Account> found;
  const Status st = select_accounts(
      sql, std::string("SELECT ") + kColumns + " FROM accounts WHERE " + where, bind, found);
  if (!st) return fail(st.error());
  if (found.empty()) return std::optional<Account>();
  return std::optional<Account>(std::move(found.front()));
}

// A unique index said no. Inserts avoid this with ON CONFLICT DO NOTHING; updates (a CURP that
// belongs to someone else) cannot, so the driver's error is recognised here.
bool is_unique_violation(const std::exception& e) {
  if (const auto* pg = dynamic_cast<const soci::postgresql_soci_error*>(&e)) {
    return pg->sqlstate() == "23505";
  }
  if (const auto* lite = dynamic_cast<const soci::sqlite3_soci_error*>(&e)) {
    return (lite->result() & 0xff) == SQLITE_CONSTRAINT &&
           std::string_view(e.what()).find("UNIQUE") != std::string_view::npos;
  }
  return false;
}

bool has_control_char(std::string_view s) {
  for (const char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7f) return true;
  }
  return false;
}

Status check_name(const std::string& name) {
  if (name.size() > kMaxNameBytes || !utf8::is_valid(name) || has_control_char(name)) {
    return fail(Error::invalid("identity.account.invalid",
                               "names must be valid UTF-8, at most 200 bytes, no control chars"));
  }
  return {};
}

Status check_birth_date_text(const std::string& date) {
  auto bad = [] { return fail(Error::invalid("identity.account.invalid", "birth_date")); };
  if (date.size() != 10 || date[4] != '-' || date[7] != '-') return bad();
  for (std::size_t i : {0u, 1u, 2u, 3u, 5u, 6u, 8u, 9u}) {
    if (date[i] < '0' || date[i] > '9') return bad();
  }
  const std::chrono::year_month_day ymd{std::chrono::year(std::stoi(date.substr(0, 4))),
                                        std::chrono::month(std::stoul(date.substr(5, 2))),
                                        std::chrono::day(std::stoul(date.substr(8, 2)))};
  if (!ymd.ok() || ymd.year() < std::chrono::year(1900)) return bad();
  return {};
}

Status check_address(const std::string& address) {
  boost::system::error_code ec;
  if (address.size() > kMaxAddressBytes || !utf8::is_valid(address)) {
    return fail(Error::invalid("identity.account.invalid", "address too long or not UTF-8"));
  }
  const boost::json::value v = boost::json::parse(address, ec);
  if (ec || !v.is_object()) {
    return fail(Error::invalid("identity.account.invalid", "address must be a JSON object"));
  }
  return {};
}

// kNotFound when `id` names no account, else the conflict a guarded UPDATE ran into.
Status explain_no_update(soci::session& sql, long long id, Error conflict) {
  int n = 0;
  sql << "SELECT COUNT(*) FROM accounts WHERE id = :id", soci::use(id), soci::into(n);
  if (n == 0) return fail(Error::not_found("account " + std::to_string(id)));
  return fail(std::move(conflict));
}

// Runs a guarded UPDATE (bound by name through `bind`); its row count.
long long run_update(soci::session& sql, const std::string& query,
                     const std::function<void(soci::statement&)>& bind) {
  soci::statement st(sql);
  bind(st);
  st.alloc();
  st.prepare(query);
  st.define_and_bind();
  st.execute(true);
  return st.get_affected_rows();
}

// --- prefix search -------------------------------------------------------------------------

// One searchable column and the key its index is sorted by.
struct PrefixBranch {
  const char* column;  // a fixed column name, never from input
  std::string key;     // the prefix, normalised like the column
};

std::string upper_ascii(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return out;
}

std::string lower_ascii(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

// Each kind of identifier the prefix could begin, in its stored form. A kind is left out when
// the prefix cannot begin one (a CURP has only [A-Z0-9], a phone only "+" and digits), which
// saves an index probe and keeps a name search from matching phone numbers.
Result<std::vector<PrefixBranch>> prefix_branches(std::string_view prefix) {
  while (!prefix.empty() && (prefix.front() == ' ' || prefix.front() == '\t')) {
    prefix.remove_prefix(1);
  }
  while (!prefix.empty() && (prefix.back() == ' ' || prefix.back() == '\t')) {
    prefix.remove_suffix(1);
  }
  if (prefix.size() > kMaxPrefixBytes || !utf8::is_valid(prefix) || has_control_char(prefix) ||
      utf8::count_code_points(prefix) < kMinSearchPrefix) {
    return fail(Error::invalid("identity.search.prefix",
                               "search prefix must be 2..254 bytes of printable UTF-8"));
  }
  std::vector<PrefixBranch> out;

  const std::string curp = upper_ascii(prefix);
  bool curp_like = curp.size() <= kCurpLength;
  for (const char c : curp) {
    if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))) curp_like = false;
  }
  if (curp_like) out.push_back({"curp", curp});

  if (prefix.find(' ') == std::string_view::npos) out.push_back({"email", lower_ascii(prefix)});

  std::string phone;
  bool phone_like = true;
  for (std::size_t i = 0; i < prefix.size(); ++i) {
    const char c = prefix[i];
    if (c == ' ' || c == '-' || c == '.' || c == '(' || c == ')') continue;
    if (c == '+' && phone.empty() && i == 0) {
      phone += c;
    } else if (c >= '0' && c <= '9') {
      phone += c;
    } else {
      phone_like = false;
    }
  }
  if (phone_like && !phone.empty() && phone != "+") {
    if (phone.front() != '+') phone.insert(phone.begin(), '+');
    out.push_back({"phone", phone});
  }

  std::string name = fold_for_search(prefix);
  if (!name.empty()) out.push_back({"name_search", std::move(name)});
  return out;
}

// The smallest string greater than every string that starts with `prefix` (byte-wise, as
// SQLite's BINARY collation compares). UTF-8 never contains 0xFF, so bumping the last byte is
// always possible for the keys built above.
std::string prefix_successor(std::string prefix) {
  while (!prefix.empty()) {
    auto& last = reinterpret_cast<unsigned char&>(prefix.back());
    if (last < 0xff) {
      ++last;
      return prefix;
    }
    prefix.pop_back();
  }
  return prefix;
}

// PostgreSQL LIKE: the escape character is backslash; escape it, '%' and '_' so that a prefix
// such as "50%_" matches itself literally.
std::string escape_like(std::string_view s) {
  std::string out;
  out.reserve(s.size() + 4);
  for (const char c : s) {
    if (c == '\\' || c == '%' || c == '_') out += '\\';
    out += c;
  }
  return out;
}

// The bound values of one search; they must outlive the statement that binds them.
struct SearchBinds {
  std::vector<std::string> lows, highs;
  int limit = 0;
};

// One UNION member per kind, each an index range (SQLite: >= and <; PostgreSQL: LIKE with a
// constant prefix over a text_pattern_ops index) cut at `limit` in index order, then the
// union's rows in name order. Parameters are bound by name: SOCI numbers PostgreSQL
// placeholders per occurrence but SQLite's per name, so positional binding of a repeated name
// would differ between the two.
std::string search_query(db::Dialect dialect, const std::vector<PrefixBranch>& branches,
                         SearchBinds& binds, int limit) {
  binds.limit = limit;
  std::string q = std::string("SELECT ") + kColumns + " FROM accounts WHERE id IN (";
  for (std::size_t i = 0; i < branches.size(); ++i) {
    const std::string n = std::to_string(i);
    const std::string col = branches[i].column;
    if (i > 0) q += " UNION ";
    if (dialect == db::Dialect::kPostgres) {
      binds.lows.push_back(escape_like(branches[i].key));
      binds.highs.emplace_back();
      // ORDER BY ... USING ~<~ is text_pattern_ops' own order, so the index delivers rows in
      // order and the LIMIT stops the scan early instead of sorting every match.
      q += "SELECT id FROM (SELECT id FROM accounts WHERE " + col + " LIKE :p" + n +
           " || '%' ESCAPE '\\' ORDER BY " + col + " USING ~<~ LIMIT :n) AS b" + n;
    } else {
      binds.lows.push_back(branches[i].key);
      binds.highs.push_back(prefix_successor(branches[i].key));
      q += "SELECT id FROM (SELECT id FROM accounts WHERE " + col + " >= :p" + n + " AND " + col +
           " < :q" + n + " ORDER BY " + col + " LIMIT :n)";
    }
  }
  q += ") ORDER BY name_search, id LIMIT :n";
  return q;
}

void bind_search(soci::statement& st, db::Dialect dialect, SearchBinds& binds) {
  for (std::size_t i = 0; i < binds.lows.size(); ++i) {
    st.exchange(soci::use(binds.lows[i], "p" + std::to_string(i)));
    if (dialect == db::Dialect::kSqlite) {
      st.exchange(soci::use(binds.highs[i], "q" + std::to_string(i)));
    }
  }
  st.exchange(soci::use(binds.limit, "n"));
}

Status check_limit(int limit) {
  if (limit < 1 || limit > kMaxSearchResults) {
    return fail(Error::invalid("identity.search.limit", "limit must be 1..100"));
  }
  return {};
}

}  // namespace

Result<Account> AccountStore::create(soci::session& sql, const NewAccount& input,
                                     std::int64_t now) {
  std::optional<std::string> email, phone, curp;
  if (input.email) {
    auto e = normalize_email(*input.email);
    if (!e) return fail(e.error());
    email = std::move(*e);
  }
  if (input.phone) {
    auto p = normalize_phone(*input.phone);
    if (!p) return fail(p.error());
    phone = std::move(*p);
  }
  if (!email && !phone) {
    return fail(Error::invalid("identity.account.contact_required", "no e-mail and no phone"));
  }
  if (input.curp) {
    auto c = parse_curp(*input.curp);
    if (!c) return fail(c.error());
    curp = c->value;
  }
  if (auto st = check_name(input.given_name); !st) return fail(st.error());
  if (auto st = check_name(input.family_name); !st) return fail(st.error());
  if (input.birth_date) {
    if (auto st = check_birth_date_text(*input.birth_date); !st) return fail(st.error());
  }
  if (input.address) {
    if (auto st = check_address(*input.address); !st) return fail(st.error());
  }
  if (input.password_hash &&
      (input.password_hash->empty() || input.password_hash->size() > kMaxPhcBytes)) {
    return fail(Error::invalid("identity.account.invalid", "password hash must be 1..512 bytes"));
  }

  const std::string subject = new_subject();
  const std::string name_search = fold_for_search(input.given_name + " " + input.family_name);
  const std::string none;
  auto ind = [](const std::optional<std::string>& v) { return v ? soci::i_ok : soci::i_null; };
  soci::indicator email_i = ind(email), phone_i = ind(phone), curp_i = ind(curp),
                  birth_i = ind(input.birth_date), address_i = ind(input.address),
                  hash_i = ind(input.password_hash);
  const long long at = now;
  long long id = 0;
  // ON CONFLICT DO NOTHING (every unique index) instead of catching the violation: on
  // PostgreSQL a failed INSERT would abort the caller's whole transaction.
  sql << "INSERT INTO accounts (subject, email, phone, curp, given_name, family_name, "
         "name_search, birth_date, address, password_hash, loa, status, created_at, updated_at) "
         "VALUES (:subject, :email, :phone, :curp, :given, :family, :name_search, :birth, "
         ":address, :hash, 0, 'active', :created, :updated) ON CONFLICT DO NOTHING RETURNING id",
      soci::use(subject), soci::use(email ? *email : none, email_i),
      soci::use(phone ? *phone : none, phone_i), soci::use(curp ? *curp : none, curp_i),
      soci::use(input.given_name), soci::use(input.family_name), soci::use(name_search),
      soci::use(input.birth_date ? *input.birth_date : none, birth_i),
      soci::use(input.address ? *input.address : none, address_i),
      soci::use(input.password_hash ? *input.password_hash : none, hash_i), soci::use(at),
      soci::use(at), soci::into(id);
  if (!sql.got_data()) {
    // The detail is for the log only; it still names no identifier's value.
    return fail(Error::conflict("identity.account.exists",
                                "e-mail, phone or CURP already belongs to an account"));
  }
  auto created = find_by_id(sql, id);
  if (!created) return fail(created.error());
  if (!created->has_value()) return fail(Error::internal("inserted account vanished"));
  return std::move(**created);
}

Result<Account> AccountStore::create(const NewAccount& account, std::int64_t now) {
  std::optional<Account> out;
  const Status st = db_.transaction([&](soci::session& sql) -> Status {
    auto created = create(sql, account, now);
    if (!created) return fail(created.error());
    out = std::move(*created);
    return {};
  });
  if (!st) return fail(st.error());
  return std::move(*out);
}

Result<std::optional<Account>> AccountStore::find_by_id(soci::session& sql, long long id) {
  return select_one(sql, "id = :id",
                    [&](soci::statement& st) { st.exchange(soci::use(id, "id")); });
}

Result<std::optional<Account>> AccountStore::find_token_holder(soci::session& sql,
                                                               std::string_view grant_id,
                                                               std::string_view client_id,
                                                               std::string_view jti) {
  // kColumns qualified with the accounts alias: grants have id and created_at too.
  static const std::string columns = [] {
    std::string out = "a.";
    for (const char* c = kColumns; *c; ++c) {
      if (*c == ' ' && c[-1] == ',')
        out += " a.";
      else
        out += *c;
    }
    return out;
  }();
  const std::string gid(grant_id), cid(client_id), token_id(jti);
  std::vector<Account> found;
  const Status st = select_accounts(
      sql,
      "SELECT " + columns +
          " FROM oidc_grants g JOIN accounts a ON a.id = g.account_id"
          " WHERE g.id = :gid AND g.client_id = :cid AND g.revoked_at IS NULL"
          " AND NOT EXISTS (SELECT 1 FROM oidc_revoked_tokens r WHERE r.jti = :jti)",
      [&](soci::statement& s) {
        s.exchange(soci::use(gid, "gid"));
        s.exchange(soci::use(cid, "cid"));
        s.exchange(soci::use(token_id, "jti"));
      },
      found);
  if (!st) return fail(st.error());
  if (found.empty()) return std::optional<Account>();
  return std::optional<Account>(std::move(found.front()));
}

Result<std::optional<Account>> AccountStore::find_by_id(long long id) {
  std::optional<Account> out;
  const Status st = db_.read([&](soci::session& sql) -> Status {
    auto found = find_by_id(sql, id);
    if (!found) return fail(found.error());
    out = std::move(*found);
    return {};
  });
  if (!st) return fail(st.error());
  return out;
}

namespace {

Result<std::optional<Account>> find_by_text(db::Database& db, const char* column,
                                            const std::string& value) {
  std::optional<Account> out;
  const Status st = db.read([&](soci::session& sql) -> Status {
    auto found = select_one(sql, std::string(column) + " = :v",
                            [&](soci::statement& s) { s.exchange(soci::use(value, "v")); });
    if (!found) return fail(found.error());
    out = std::move(*found);
    return {};
  });
  if (!st) return fail(st.error());
  return out;
}

}  // namespace

Result<std::optional<Account>> AccountStore::find_by_subject(std::string_view subject) {
  return find_by_text(db_, "subject", std::string(subject));
}

Result<std::optional<Account>> AccountStore::find_by_email(std::string_view email) {
  auto normal = normalize_email(email);
  if (!normal) return std::optional<Account>();
  return find_by_text(db_, "email", *normal);
}

Result<std::optional<Account>> AccountStore::find_by_phone(std::string_view phone) {
  auto normal = normalize_phone(phone);
  if (!normal) return std::optional<Account>();
  return find_by_text(db_, "phone", *normal);
}

Result<std::optional<Account>> AccountStore::find_by_curp(std::string_view curp) {
  // Upper-cased and trimmed but not checked: staff may look up a key whose check digit RENAPO
  // got wrong on an old document, and an unknown key simply finds nothing.
  const std::string_view t = text::trim_space(curp);
  if (t.size() != kCurpLength) return std::optional<Account>();
  return find_by_text(db_, "curp", upper_ascii(t));
}

Status AccountStore::set_email_verified(soci::session& sql, long long id, std::int64_t at) {
  const long long t = at;
  const long long n =
      run_update(sql,
                 "UPDATE accounts SET email_verified_at = :t, updated_at = :t, "
                 "loa = CASE WHEN loa < 1 THEN 1 ELSE loa END WHERE id = :id AND email IS NOT NULL",
                 [&](soci::statement& st) {
                   st.exchange(soci::use(t, "t"));
                   st.exchange(soci::use(id, "id"));
                 });
  if (n == 1) return {};
  return explain_no_update(sql, id, Error::conflict("identity.account.no_email"));
}

Status AccountStore::set_phone_verified(soci::session& sql, long long id, std::int64_t at) {
  const long long t = at;
  const long long n =
      run_update(sql,
                 "UPDATE accounts SET phone_verified_at = :t, updated_at = :t, "
                 "loa = CASE WHEN loa < 1 THEN 1 ELSE loa END WHERE id = :id AND phone IS NOT NULL",
                 [&](soci::statement& st) {
                   st.exchange(soci::use(t, "t"));
                   st.exchange(soci::use(id, "id"));
                 });
  if (n == 1) return {};
  return explain_no_update(sql, id, Error::conflict("identity.account.no_phone"));
}

Status AccountStore::set_password_hash(soci::session& sql, long long id, std::string_view phc,
                                       std::int64_t now) {
  if (phc.empty() || phc.size() > kMaxPhcBytes) {
    return fail(Error::invalid("identity.account.invalid", "password hash must be 1..512 bytes"));
  }
  const std::string hash(phc);
  const long long t = now;
  const long long n =
      run_update(sql, "UPDATE accounts SET password_hash = :h, updated_at = :t WHERE id = :id",
                 [&](soci::statement& st) {
                   st.exchange(soci::use(hash, "h"));
                   st.exchange(soci::use(t, "t"));
                   st.exchange(soci::use(id, "id"));
                 });
  if (n == 1) return {};
  return fail(Error::not_found("account " + std::to_string(id)));
}

Status AccountStore::set_curp_validated(soci::session& sql, long long id, std::string_view curp,
                                        std::int64_t at) {
  auto parsed = parse_curp(curp);
  if (!parsed) return fail(parsed.error());
  const std::string value = parsed->value;
  const long long t = at;
  long long n = 0;
  try {
    n = run_update(sql,
                   "UPDATE accounts SET curp = :c, curp_validated_at = :t, updated_at = :t, "
                   "loa = CASE WHEN loa < 2 THEN 2 ELSE loa END "
                   "WHERE id = :id AND loa >= 1 AND (curp_validated_at IS NULL OR curp = :c)",
                   [&](soci::statement& st) {
                     st.exchange(soci::use(value, "c"));
                     st.exchange(soci::use(t, "t"));
                     st.exchange(soci::use(id, "id"));
                   });
  } catch (const std::exception& e) {
    if (!is_unique_violation(e)) throw;
    return fail(Error::conflict("identity.account.exists", "CURP belongs to another account"));
  }
  if (n == 1) return {};
  int level = 0;
  soci::indicator level_i = soci::i_null;
  sql << "SELECT loa FROM accounts WHERE id = :id", soci::use(id), soci::into(level, level_i);
  if (!sql.got_data()) return fail(Error::not_found("account " + std::to_string(id)));
  if (level < 1) return fail(Error::conflict("identity.loa.contact_unverified"));
  return fail(Error::conflict("identity.curp.already_validated"));
}

Status AccountStore::record_loa3(soci::session& sql, long long id, long long staff_id,
                                 std::string_view document, std::int64_t at) {
  if (document.empty() || document.size() > kMaxDocumentBytes || !utf8::is_valid(document) ||
      has_control_char(document)) {
    return fail(Error::invalid("identity.account.invalid", "document must be 1..100 bytes"));
  }
  const std::string doc(document);
  const long long t = at;
  const long long n =
      run_update(sql,
                 "UPDATE accounts SET loa = 3, loa3_verified_by = :staff, loa3_verified_at = :t, "
                 "loa3_document = :doc, updated_at = :t WHERE id = :id AND loa >= 2",
                 [&](soci::statement& st) {
                   st.exchange(soci::use(staff_id, "staff"));
                   st.exchange(soci::use(t, "t"));
                   st.exchange(soci::use(doc, "doc"));
                   st.exchange(soci::use(id, "id"));
                 });
  if (n == 1) return {};
  return explain_no_update(sql, id, Error::conflict("identity.loa.curp_unvalidated"));
}

Status AccountStore::set_status(soci::session& sql, long long id, AccountStatus status,
                                std::int64_t now) {
  const std::string s(to_string(status));
  const long long t = now;
  const long long n =
      run_update(sql, "UPDATE accounts SET status = :s, updated_at = :t WHERE id = :id",
                 [&](soci::statement& st) {
                   st.exchange(soci::use(s, "s"));
                   st.exchange(soci::use(t, "t"));
                   st.exchange(soci::use(id, "id"));
                 });
  if (n == 1) return {};
  return fail(Error::not_found("account " + std::to_string(id)));
}

Result<std::vector<Account>> AccountStore::search(std::string_view prefix, int limit) {
  if (auto st = check_limit(limit); !st) return fail(st.error());
  auto branches = prefix_branches(prefix);
  if (!branches) return fail(branches.error());
  SearchBinds binds;
  const db::Dialect dialect = db_.dialect();
  const std::string query = search_query(dialect, *branches, binds, limit);
  std::vector<Account> out;
  const Status st = db_.read([&](soci::session& sql) -> Status {
    return select_accounts(
        sql, query, [&](soci::statement& s) { bind_search(s, dialect, binds); }, out);
  });
  if (!st) return fail(st.error());
  return out;
}

Result<std::string> AccountStore::explain_search(soci::session& sql, db::Dialect dialect,
                                                 std::string_view prefix, int limit) {
  if (auto st = check_limit(limit); !st) return fail(st.error());
  auto branches = prefix_branches(prefix);
  if (!branches) return fail(branches.error());
  SearchBinds binds;
  const std::string query = search_query(dialect, *branches, binds, limit);
  std::string plan;
  std::string line;
  soci::statement st(sql);
  if (dialect == db::Dialect::kPostgres) {
    st.exchange(soci::into(line));
  } else {
    // EXPLAIN QUERY PLAN rows: id, parent, notused, detail.
    int node = 0, parent = 0, unused = 0;
    st.exchange(soci::into(node));
    st.exchange(soci::into(parent));
    st.exchange(soci::into(unused));
    st.exchange(soci::into(line));
    bind_search(st, dialect, binds);
    st.alloc();
    st.prepare("EXPLAIN QUERY PLAN " + query);
    st.define_and_bind();
    if (st.execute(true)) {
      do {
        plan += line + "\n";
      } while (st.fetch());
    }
    return plan;
  }
  bind_search(st, dialect, binds);
  st.alloc();
  st.prepare("EXPLAIN " + query);
  st.define_and_bind();
  if (st.execute(true)) {
    do {
      plan += line + "\n";
    } while (st.fetch());
  }
  return plan;
}

Status AccountStore::update_profile(soci::session& sql, long long id, const std::string& given_name,
                                    const std::string& family_name,
                                    const std::optional<std::string>& birth_date,
                                    const std::optional<std::string>& address, std::int64_t now) {
  if (auto st = check_name(given_name); !st) return fail(st.error());
  if (auto st = check_name(family_name); !st) return fail(st.error());
  if (birth_date) {
    if (auto st = check_birth_date_text(*birth_date); !st) return fail(st.error());
  }
  if (address) {
    if (auto st = check_address(*address); !st) return fail(st.error());
  }
  const std::string name_search = fold_for_search(given_name + " " + family_name);
  const std::string none;
  soci::indicator birth_i = birth_date ? soci::i_ok : soci::i_null;
  soci::indicator address_i = address ? soci::i_ok : soci::i_null;
  const std::string birth = birth_date ? *birth_date : none;
  const std::string addr = address ? *address : none;
  const long long t = now;
  // The guard keeps a validated identity's names as RENAPO confirmed them, even against a
  // form posted before the level was raised.
  const long long n =
      run_update(sql,
                 "UPDATE accounts SET given_name = :g, family_name = :f, name_search = :ns, "
                 "birth_date = :b, address = :a, updated_at = :t WHERE id = :id AND "
                 "(loa < 2 OR (given_name = :g AND family_name = :f))",
                 [&](soci::statement& st) {
                   st.exchange(soci::use(given_name, "g"));
                   st.exchange(soci::use(family_name, "f"));
                   st.exchange(soci::use(name_search, "ns"));
                   st.exchange(soci::use(birth, birth_i, "b"));
                   st.exchange(soci::use(addr, address_i, "a"));
                   st.exchange(soci::use(t, "t"));
                   st.exchange(soci::use(id, "id"));
                 });
  if (n == 1) return {};
  return explain_no_update(sql, id, Error::conflict("identity.profile.name_locked"));
}

}  // namespace zocalo::identity
