// zocalo: the one binary. This file only parses the command line and hands over to the
// commands; the wiring of modules lives in serve.cpp / worker_command.cpp.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <iostream>

#include "app/api_keys_command.hpp"
#include "app/areas_command.hpp"
#include "app/backup.hpp"
#include "app/clients_command.hpp"
#include "app/commands.hpp"
#include "app/config.hpp"
#include "app/identity_commands.hpp"
#include "app/runtime.hpp"
#include "app/services_command.hpp"
#include "platform/core/log.hpp"

int main(int argc, char** argv) {
  using zocalo::app::Config;
  CLI::App app{
      "zocalo — the digital public square of a city: one key for every resident, one app for "
      "every service, one 311.\n"
      "Every option can also be set with a ZOCALO_* environment variable or in a --config file."};
  app.set_version_flag("--version", std::string("zocalo ") + zocalo::app::kVersion);
  app.set_config("--config", "", "Read options from this TOML/INI file");
  app.require_subcommand(1);
  app.fallthrough();

  Config config;
  auto* serve =
      app.add_subcommand("serve", "Serve the city's pages and APIs (migrates the database first)");
  zocalo::app::add_server_options(*serve, config);
  zocalo::app::add_database_options(*serve, config);
  zocalo::app::add_notify_options(*serve, config);

  auto* worker = app.add_subcommand(
      "worker", "Deliver queued jobs (e-mail, SMS, inbox) until SIGTERM; run any number");
  zocalo::app::add_database_options(*worker, config);
  zocalo::app::add_notify_options(*worker, config);

  auto* migrate = app.add_subcommand("migrate", "Apply pending database migrations and exit");
  zocalo::app::add_database_options(*migrate, config);

  std::string backup_output;
  auto* backup = app.add_subcommand(
      "backup", "Copy the live SQLite database to a file (PostgreSQL: use pg_dump)");
  zocalo::app::add_database_options(*backup, config);
  backup->add_option("-o,--output", backup_output, "File to write (must not exist)")->required();

  auto* services = app.add_subcommand("services", "Manage the 311 service catalog");
  services->require_subcommand(1);
  std::string catalog_file;
  bool catalog_replace = false;
  auto* services_import = services->add_subcommand(
      "import", "Load services from a JSON (with attributes) or CSV file, all or nothing");
  zocalo::app::add_database_options(*services_import, config);
  services_import->add_option("file", catalog_file, "Catalog file (.json or .csv)")->required();
  services_import->add_flag("--replace", catalog_replace,
                            "Deactivate services that are not in the file (never deletes)");

  auto* areas = app.add_subcommand("areas", "Manage the city's areas (alcaldías) for 311 routing");
  areas->require_subcommand(1);
  std::string areas_file;
  bool areas_replace = false;
  auto* areas_import = areas->add_subcommand(
      "import", "Load areas from a GeoJSON FeatureCollection (code, name), all or nothing");
  zocalo::app::add_database_options(*areas_import, config);
  areas_import->add_option("file", areas_file, "GeoJSON file")->required();
  areas_import->add_flag("--replace", areas_replace,
                         "Remove areas not in the file (refused while a routing rule names one)");

  auto* apikeys = app.add_subcommand("apikeys", "Manage Open311 API keys for apps and channels");
  apikeys->require_subcommand(1);
  std::string apikey_name;
  long long apikey_id = 0;
  auto* apikeys_add = apikeys->add_subcommand(
      "add", "Issue a key (printed once) for an app or channel; requests record its name");
  zocalo::app::add_database_options(*apikeys_add, config);
  apikeys_add->add_option("name", apikey_name, "Name of the app or channel, e.g. app-cdmx")
      ->required();
  auto* apikeys_list = apikeys->add_subcommand("list", "List keys (never the keys themselves)");
  zocalo::app::add_database_options(*apikeys_list, config);
  auto* apikeys_revoke =
      apikeys->add_subcommand("revoke", "Revoke a key: its app can no longer file requests");
  zocalo::app::add_database_options(*apikeys_revoke, config);
  apikeys_revoke->add_option("id", apikey_id, "Key id, from `zocalo apikeys list`")->required();

  const zocalo::app::ClientsCli clients_cli(app, config);

  auto* keys = app.add_subcommand("keys", "Manage the OpenID Provider's signing keys");
  keys->require_subcommand(1);
  auto* keys_rotate = keys->add_subcommand(
      "rotate", "Add new RS256/ES256 keys; old ones keep verifying until their tokens expire");
  zocalo::app::add_database_options(*keys_rotate, config);
  auto* keys_master = keys->add_subcommand(
      "new-master-key", "Print a new value for ZOCALO_MASTER_KEY (set it on every node)");

  auto* audit = app.add_subcommand("audit", "Check the tamper-evident audit log");
  audit->require_subcommand(1);
  auto* audit_verify =
      audit->add_subcommand("verify", "Walk the hash chain; exit 1 naming the first bad row");
  zocalo::app::add_database_options(*audit_verify, config);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    if (argc == 1) {  // no command at all: show what there is to run
      std::cerr << app.help();
      return 2;
    }
    return app.exit(e);
  }
  // Before any thread starts (the logger's included): SIGTERM/SIGINT are then taken only by
  // the thread that waits for them, which shuts down gracefully.
  zocalo::app::block_stop_signals();
  zocalo::log::init(zocalo::log::parse_level(config.log_level));

  int code = 0;
  if (*serve) {
    code = zocalo::app::serve(config);
  } else if (*worker) {
    code = zocalo::app::run_worker(config);
  } else if (*migrate) {
    code = zocalo::app::migrate(config);
  } else if (*keys_rotate) {
    code = zocalo::app::rotate_keys(config);
  } else if (*keys_master) {
    code = zocalo::app::print_new_master_key();
  } else if (*audit_verify) {
    code = zocalo::app::verify_audit(config);
  } else if (clients_cli.selected()) {
    code = clients_cli.run();
  } else if (*apikeys_add) {
    code = zocalo::app::api_keys_add(config, apikey_name);
  } else if (*apikeys_list) {
    code = zocalo::app::api_keys_list(config);
  } else if (*apikeys_revoke) {
    code = zocalo::app::api_keys_revoke(config, apikey_id);
  } else if (*services_import) {
    code = zocalo::app::import_services(config, catalog_file, catalog_replace);
  } else if (*areas_import) {
    code = zocalo::app::import_areas(config, areas_file, areas_replace);
  } else if (*backup) {
    if (config.database_url().rfind("postgresql:", 0) == 0) {
      std::cerr << "zocalo backup copies SQLite databases. For PostgreSQL use pg_dump, e.g.\n"
                   "  pg_dump -Fc -f zocalo.dump '"
                << "postgresql://...'"
                << "\n";
      code = 2;
    } else if (auto done = zocalo::app::backup_sqlite(config.database_url(), backup_output);
               !done) {
      std::cerr << "zocalo backup: " << done.error().detail << "\n";
      code = 1;
    } else {
      std::cout << "Backed up " << config.database_url() << " to " << backup_output << "\n";
    }
  }
  zocalo::log::flush();
  return code;
}
