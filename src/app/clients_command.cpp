#include "app/clients_command.hpp"

#include <iostream>

#include "app/runtime.hpp"
#include "identity/oidc/client.hpp"
#include "identity/oidc/scope.hpp"
#include "identity/store/client_store.hpp"
#include "platform/core/time.hpp"

namespace zocalo::app {

int add_client(const Config& config, const ClientsAddArgs& args) {
  const auto type = identity::oidc::parse_client_type(args.type);
  if (!type) {
    std::cerr << "zocalo clients add: --type must be confidential or public\n";
    return 2;
  }
  identity::oidc::NewClient c;
  if (!args.client_id.empty()) c.client_id = args.client_id;
  c.name = args.name;
  c.type = *type;
  c.redirect_uris = args.redirect_uris;
  c.post_logout_redirect_uris = args.post_logout_redirect_uris;
  // --scope "openid profile" and --scope openid --scope profile both work.
  for (const auto& s : args.scopes) {
    const auto parsed = identity::oidc::parse_scopes(s);
    if (!parsed) {
      std::cerr << "zocalo clients add: --scope " << s << " is not a scope list\n";
      return 2;
    }
    c.scopes.insert(c.scopes.end(), parsed->begin(), parsed->end());
  }
  c.grant_types = args.grants;
  if (!args.backchannel_logout_uri.empty()) c.backchannel_logout_uri = args.backchannel_logout_uri;
  if (auto valid = identity::oidc::validate_new_client(c); !valid) {
    std::cerr << "zocalo clients add: " << valid.error().detail << "\n";
    return 2;
  }
  auto db = open_and_migrate(config);
  if (!db) return 1;
  auto added = identity::ClientStore(*db).add(c, identity::ClientActor{}, time::now_unix());
  if (!added) {
    std::cerr << "zocalo clients add: " << added.error().detail << "\n";
    return 1;
  }
  std::cout << "client_id: " << added->client.client_id << "\n";
  if (added->secret) {
    std::cout << "client_secret: " << *added->secret << "\n"
              << "(the secret is shown only now; zocalo keeps only its hash)\n";
  }
  return 0;
}

int list_clients(const Config& config) {
  auto db = open_and_migrate(config);
  if (!db) return 1;
  auto clients = identity::ClientStore(*db).list();
  if (!clients) {
    std::cerr << "zocalo clients list: " << clients.error().detail << "\n";
    return 1;
  }
  for (const auto& c : *clients) {
    std::cout << c.client_id << "\t" << identity::oidc::to_string(c.type) << "\t"
              << identity::oidc::join_scopes(c.grant_types) << "\t" << c.name << "\n";
  }
  return 0;
}

int remove_client(const Config& config, const std::string& client_id) {
  auto db = open_and_migrate(config);
  if (!db) return 1;
  const Status removed =
      identity::ClientStore(*db).remove(client_id, identity::ClientActor{}, time::now_unix());
  if (!removed) {
    std::cerr << "zocalo clients remove: "
              << (removed.error().kind == ErrorKind::kNotFound ? "no client " + client_id
                                                               : removed.error().detail)
              << "\n";
    return 1;
  }
  std::cout << "Removed client " << client_id << "\n";
  return 0;
}

ClientsCli::ClientsCli(CLI::App& app, Config& config) : config_(config) {
  auto* clients = app.add_subcommand("clients", "Manage the OpenID Provider's clients");
  clients->require_subcommand(1);
  add_ = clients->add_subcommand("add", "Register a client; prints its id and secret once");
  add_database_options(*add_, config);
  add_->add_option("--name", args_.name, "Name shown to residents")->required();
  add_->add_option("--type", args_.type, "confidential (has a secret) or public (PKCE)")
      ->check(CLI::IsMember({"confidential", "public"}));
  add_->add_option("--client-id", args_.client_id, "Fixed client_id (default: random)");
  add_->add_option("--redirect-uri", args_.redirect_uris, "Exact redirect URI (repeatable)");
  add_->add_option("--post-logout-redirect-uri", args_.post_logout_redirect_uris,
                   "Exact post-logout redirect URI (repeatable)");
  add_->add_option("--scope", args_.scopes, "Allowed scopes (repeatable or space-separated)");
  add_->add_option("--grant", args_.grants,
                   "authorization_code, refresh_token or client_credentials (repeatable; "
                   "default: authorization_code refresh_token)");
  add_->add_option("--backchannel-logout-uri", args_.backchannel_logout_uri,
                   "Where to POST back-channel logout tokens");
  list_ = clients->add_subcommand("list", "List the registered clients");
  add_database_options(*list_, config);
  remove_ = clients->add_subcommand("remove", "Remove a client and everything issued to it");
  add_database_options(*remove_, config);
  remove_->add_option("client_id", remove_id_, "The client to remove")->required();
}

bool ClientsCli::selected() const {
  return *add_ || *list_ || *remove_;
}

int ClientsCli::run() const {
  if (*add_) return add_client(config_, args_);
  if (*list_) return list_clients(config_);
  return remove_client(config_, remove_id_);
}

}  // namespace zocalo::app
