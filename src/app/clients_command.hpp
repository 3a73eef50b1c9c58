#pragma once
// `zocalo clients add|list|remove`: the OpenID Provider's client register from the command
// line (the admin page /admin/clientes does the same in a browser).
//
// Wiring in main.cpp (before app.parse):
//
//   zocalo::app::ClientsCli clients_cli(app, config);
//   ...
//   } else if (clients_cli.selected()) {
//     code = clients_cli.run();
//   }
#include <CLI/CLI.hpp>
#include <string>
#include <vector>

#include "app/config.hpp"

namespace zocalo::app {

struct ClientsAddArgs {
  std::string name;
  std::string type = "confidential";
  std::string client_id;  // empty: a random one
  std::vector<std::string> redirect_uris;
  std::vector<std::string> post_logout_redirect_uris;
  std::vector<std::string> scopes;
  std::vector<std::string> grants;
  std::string backchannel_logout_uri;
};

// Registers a client; prints client_id and (confidential clients, once) client_secret, one
// "name: value" per line. Audited client.added (actor: system). Exit 0, 1 on failure, 2 on
// invalid arguments.
int add_client(const Config& config, const ClientsAddArgs& args);
// One line per client: id, type, grants, name.
int list_clients(const Config& config);
// Deletes the client with its grants and consents; audited client.removed.
int remove_client(const Config& config, const std::string& client_id);

// The three subcommands on `app`, with their options bound to this object.
class ClientsCli {
 public:
  ClientsCli(CLI::App& app, Config& config);
  ClientsCli(const ClientsCli&) = delete;
  ClientsCli& operator=(const ClientsCli&) = delete;
  // Whether the command line chose one of them (after parsing).
  bool selected() const;
  int run() const;

 private:
  const Config& config_;
  CLI::App* add_ = nullptr;
  CLI::App* list_ = nullptr;
  CLI::App* remove_ = nullptr;
  ClientsAddArgs args_;
  std::string remove_id_;
};

}  // namespace zocalo::app
