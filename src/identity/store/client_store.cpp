#include "identity/store/client_store.hpp"

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include "identity/oidc/scope.hpp"
#include "identity/store/audit_log.hpp"

namespace zocalo::identity {
namespace {

std::vector<std::string> split(const std::string& text) {
  std::vector<std::string> out;
  std::size_t i = 0;
  while (i < text.size()) {
    const std::size_t end = std::min(text.find(' ', i), text.size());
    if (end > i) out.push_back(text.substr(i, end - i));
    i = end + 1;
  }
  return out;
}

struct ClientRow {
  std::string client_id, name, type, secret_hash, redirect_uris, post_logout, scopes, grants,
      backchannel;
  long long created_at = 0;
  soci::indicator secret_i = soci::i_null, backchannel_i = soci::i_null;

  void exchange(soci::statement& st) {
    st.exchange(soci::into(client_id));
    st.exchange(soci::into(name));
    st.exchange(soci::into(type));
    st.exchange(soci::into(secret_hash, secret_i));
    st.exchange(soci::into(redirect_uris));
    st.exchange(soci::into(post_logout));
    st.exchange(soci::into(scopes));
    st.exchange(soci::into(grants));
    st.exchange(soci::into(backchannel, backchannel_i));
    st.exchange(soci::into(created_at));
  }
  oidc::Client to_client() const {
    oidc::Client c;
    c.client_id = client_id;
    c.name = name;
    c.type = oidc::parse_client_type(type).value_or(oidc::ClientType::kPublic);
    if (secret_i == soci::i_ok) c.secret_hash = secret_hash;
    c.redirect_uris = split(redirect_uris);
    c.post_logout_redirect_uris = split(post_logout);
    c.scopes = split(scopes);
    c.grant_types = split(grants);
    if (backchannel_i == soci::i_ok) c.backchannel_logout_uri = backchannel;
    c.created_at = created_at;
    return c;
  }
};

constexpr const char* kSelect =
    "SELECT client_id, name, client_type, secret_hash, redirect_uris, post_logout_redirect_uris, "
    "scopes, grant_types, backchannel_logout_uri, created_at FROM oidc_clients";

Status audit(soci::session& sql, const ClientActor& actor, std::string_view action,
             std::string_view client_id, std::int64_t now) {
  boost::json::object detail;
  detail["client_id"] = client_id;
  AuditEvent e{.account_id = actor.account_id,
               .actor_kind = actor.kind,
               .actor_id = actor.id,
               .action = std::string(action),
               .detail = boost::json::serialize(detail),
               .ip = actor.ip,
               .created_at = now};
  auto appended = AuditLog::append(sql, e);
  if (!appended) return fail(appended.error());
  return {};
}

}  // namespace

Result<RegisteredClient> ClientStore::add(soci::session& sql, const oidc::NewClient& input,
                                          const ClientActor& actor, std::int64_t now) {
  auto valid = oidc::validate_new_client(input);
  if (!valid) return fail(valid.error());
  const oidc::NewClient& c = *valid;
  RegisteredClient out;
  out.client.client_id = c.client_id.value_or(oidc::new_client_id());
  out.client.name = c.name;
  out.client.type = c.type;
  if (c.type == oidc::ClientType::kConfidential) {
    out.secret = c.secret.value_or(oidc::new_client_secret());
    out.client.secret_hash = oidc::hash_client_secret(*out.secret);
  }
  out.client.redirect_uris = c.redirect_uris;
  out.client.post_logout_redirect_uris = c.post_logout_redirect_uris;
  out.client.scopes = c.scopes;
  out.client.grant_types = c.grant_types;
  out.client.backchannel_logout_uri = c.backchannel_logout_uri;
  out.client.created_at = now;

  int taken = 0;
  sql << "SELECT COUNT(*) FROM oidc_clients WHERE client_id = :id", soci::use(out.client.client_id),
      soci::into(taken);
  if (taken > 0) {
    return fail(Error::conflict("identity.client.exists", "client_id " + out.client.client_id));
  }
  const std::string type(oidc::to_string(c.type));
  const std::string secret_hash = out.client.secret_hash.value_or("");
  soci::indicator secret_i = out.client.secret_hash ? soci::i_ok : soci::i_null;
  const std::string redirect = oidc::join_scopes(c.redirect_uris);
  const std::string post_logout = oidc::join_scopes(c.post_logout_redirect_uris);
  const std::string scopes = oidc::join_scopes(c.scopes);
  const std::string grants = oidc::join_scopes(c.grant_types);
  const std::string backchannel = c.backchannel_logout_uri.value_or("");
  soci::indicator backchannel_i = c.backchannel_logout_uri ? soci::i_ok : soci::i_null;
  const long long created = now;
  sql << "INSERT INTO oidc_clients (client_id, name, client_type, secret_hash, redirect_uris, "
         "post_logout_redirect_uris, scopes, grant_types, backchannel_logout_uri, created_at) "
         "VALUES (:id, :name, :type, :secret, :redirect, :post_logout, :scopes, :grants, "
         ":backchannel, :created)",
      soci::use(out.client.client_id), soci::use(c.name), soci::use(type),
      soci::use(secret_hash, secret_i), soci::use(redirect), soci::use(post_logout),
      soci::use(scopes), soci::use(grants), soci::use(backchannel, backchannel_i),
      soci::use(created);
  if (Status s = audit(sql, actor, "client.added", out.client.client_id, now); !s) {
    return fail(s.error());
  }
  return out;
}

Result<RegisteredClient> ClientStore::add(const oidc::NewClient& client, const ClientActor& actor,
                                          std::int64_t now) {
  std::optional<RegisteredClient> out;
  const Status s = db_.transaction([&](soci::session& sql) -> Status {
    auto added = add(sql, client, actor, now);
    if (!added) return fail(added.error());
    out = std::move(*added);
    return {};
  });
  if (!s) return fail(s.error());
  return std::move(*out);
}

Result<std::optional<oidc::Client>> ClientStore::find(soci::session& sql,
                                                      std::string_view client_id) {
  if (client_id.empty() || client_id.size() > oidc::kMaxClientIdBytes) {
    return std::optional<oidc::Client>();
  }
  const std::string id(client_id);
  ClientRow row;
  soci::statement st(sql);
  row.exchange(st);
  st.exchange(soci::use(id));
  st.alloc();
  st.prepare(std::string(kSelect) + " WHERE client_id = :id");
  st.define_and_bind();
  if (!st.execute(true)) return std::optional<oidc::Client>();
  return std::optional<oidc::Client>(row.to_client());
}

Result<std::optional<oidc::Client>> ClientStore::find(std::string_view client_id) {
  std::optional<oidc::Client> out;
  const Status s = db_.read([&](soci::session& sql) -> Status {
    auto found = find(sql, client_id);
    if (!found) return fail(found.error());
    out = std::move(*found);
    return {};
  });
  if (!s) return fail(s.error());
  return out;
}

Result<std::vector<oidc::Client>> ClientStore::list(int limit) {
  std::vector<oidc::Client> out;
  const Status s = db_.read([&](soci::session& sql) -> Status {
    ClientRow row;
    soci::statement st(sql);
    row.exchange(st);
    st.alloc();
    st.prepare(std::string(kSelect) + " ORDER BY name, client_id LIMIT " + std::to_string(limit));
    st.define_and_bind();
    if (!st.execute(true)) return {};
    do {
      out.push_back(row.to_client());
      row.secret_i = row.backchannel_i = soci::i_null;
    } while (st.fetch());
    return {};
  });
  if (!s) return fail(s.error());
  return out;
}

Status ClientStore::remove(std::string_view client_id, const ClientActor& actor, std::int64_t now) {
  const std::string id(client_id);
  return db_.transaction([&](soci::session& sql) -> Status {
    int found = 0;
    sql << "SELECT COUNT(*) FROM oidc_clients WHERE client_id = :id", soci::use(id),
        soci::into(found);
    if (found == 0) return fail(Error::not_found("client " + id));
    // Children first: SQLite enforces ON DELETE CASCADE only with foreign_keys on, and being
    // explicit keeps both dialects alike.
    sql << "DELETE FROM oidc_refresh_tokens WHERE grant_id IN "
           "(SELECT id FROM oidc_grants WHERE client_id = :id)",
        soci::use(id);
    sql << "DELETE FROM oidc_grants WHERE client_id = :id", soci::use(id);
    sql << "DELETE FROM oidc_consents WHERE client_id = :id", soci::use(id);
    sql << "DELETE FROM oidc_clients WHERE client_id = :id", soci::use(id);
    return audit(sql, actor, "client.removed", id, now);
  });
}

}  // namespace zocalo::identity
