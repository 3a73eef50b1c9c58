// `zocalo serve`: migrate, seed the demo if asked, build the router, serve until SIGTERM.
#include <atomic>
#include <charconv>
#include <filesystem>
#include <iostream>
#include <optional>
#include <thread>

#include "app/commands.hpp"
#include "app/identity_commands.hpp"
#include "app/maintenance.hpp"
#include "app/master_key.hpp"
#include "app/ops_routes.hpp"
#include "app/runtime.hpp"
#include "identity/identity.hpp"
#include "identity/oidc/demo_clients.hpp"
#include "identity/store/demo_accounts.hpp"
#include "platform/blobs/local_blob_store.hpp"
#include "platform/core/assets.hpp"
#include "platform/core/log.hpp"
#include "platform/core/time.hpp"
#include "platform/db/migrations.hpp"
#include "platform/db/settings_store.hpp"
#include "platform/http/middleware.hpp"
#include "platform/http/server.hpp"
#include "platform/web/error_pages.hpp"
#include "platform/web/locale.hpp"
#include "platform/web/renderer.hpp"
#include "platform/web/session_store.hpp"
#include "platform/web/static_assets.hpp"
#include "portal/portal.hpp"
#include "portal/store/demo_seed.hpp"
#include "requests/requests.hpp"
#include "requests/store/demo_catalog.hpp"
#include "requests/store/demo_requests.hpp"

namespace zocalo::app {
namespace {

// "127.0.0.1:8080", "[::1]:8080", ":8080" (all interfaces).
std::optional<std::pair<std::string, unsigned short>> parse_listen(const std::string& listen) {
  const auto colon = listen.rfind(':');
  if (colon == std::string::npos) return std::nullopt;
  std::string host = listen.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']')
    host = host.substr(1, host.size() - 2);
  if (host.empty()) host = "0.0.0.0";
  unsigned port = 0;
  const std::string p = listen.substr(colon + 1);
  const auto [end, ec] = std::from_chars(p.data(), p.data() + p.size(), port);
  if (ec != std::errc() || end != p.data() + p.size() || port > 65535) return std::nullopt;
  return std::make_pair(host, static_cast<unsigned short>(port));
}

int expected_schema_version(const db::Database& db) {
  auto all = db::embedded_migrations(db.dialect());
  return all && !all->empty() ? all->back().version : 0;
}

}  // namespace

int serve(const Config& config) {
  const auto listen = parse_listen(config.listen);
  if (!listen) {
    std::cerr << "zocalo serve: --listen must look like 127.0.0.1:8080, got " << config.listen
              << "\n";
    return 2;
  }
  auto db = open_and_migrate(config);
  if (!db) return 1;
  const identity::Argon2idParams password_hashing{config.argon2_passes,
                                                  config.argon2_memory_mib * 1024 * 1024};
  if (config.demo) {
    // Agencies first: the 311 catalog names the agency that answers each service.
    Status seeded = portal::seed_demo(*db);
    if (seeded) seeded = requests::seed_demo_catalog(*db);
    if (seeded) seeded = requests::seed_demo_requests(*db, time::now_unix());
    if (seeded) seeded = identity::oidc::seed_demo_clients(*db, time::now_unix());
    if (seeded) {
      seeded = identity::seed_demo_accounts(*db, identity::PasswordHasher(password_hashing),
                                            time::now_unix());
    }
    if (!seeded) {
      log::error("demo.seed_failed", {{"detail", seeded.error().detail}});
      return 1;
    }
  }
  // One key for every node of the cluster: the first node to start creates it.
  auto secret = db::SettingsStore(*db).get_or_create_secret("http.csrf_key", 32);
  if (!secret) {
    log::error("settings.secret_failed", {{"detail", secret.error().detail}});
    return 1;
  }
  // The provider's signing keys: sealed under the master key, created by the first node.
  auto master_key = resolve_master_key(config);
  if (!master_key) {
    log::error("identity.master_key_unusable", {{"detail", master_key.error().detail}});
    std::cerr << "zocalo serve: " << master_key.error().detail << "\n";
    return 1;
  }
  const auto key_encryption =
      std::make_shared<const identity::KeyEncryption>(std::move(*master_key));
  if (Status s = identity::SigningKeyStore(*db, *key_encryption)
                     .ensure_keys(time::now_unix(), kMaxTokenLifetimeSeconds);
      !s) {
    log::error("identity.keys_unusable", {{"detail", s.error().detail}});
    return 1;
  }
  auto renderer = web::Renderer::load();
  if (!renderer) {
    log::error("web.templates_invalid", {{"detail", renderer.error().detail}});
    return 1;
  }
  const web::ErrorPages errors(**renderer);
  const web::StaticAssets static_assets(assets::all(), errors.renderer());
  web::DbSessionStore sessions(*db);
  const bool secure = config.base_url().rfind("https://", 0) == 0;

  http::Router router;
  router.use(http::middleware::request_id());
  router.use(http::middleware::access_log());
  router.use(http::middleware::security_headers());
  router.use(http::middleware::rate_limit(
      {.requests_per_second = config.rate_limit_rps, .burst = config.rate_limit_burst},
      errors.renderer()));
  router.use(web::locale_middleware((*renderer)->locales()));
  router.use(http::middleware::sessions({.secure_cookies = secure, .backend = &sessions}));
  router.use(http::middleware::csrf(*secret, errors.renderer()));
  router.set_fallback(errors.fallback());

  OpsState ops;
  ops.database = db.get();
  ops.expected_schema_version = expected_schema_version(*db);
  register_ops_routes(router, ops);
  static_assets.register_routes(router);
  portal::ServiceDirectory directory;
  portal::PortalOptions portal_options;
  portal_options.feedback_email = config.feedback_email;
  if (Status s = portal::add_portal_services(directory); !s) {
    log::error("portal.directory_invalid", {{"detail", s.error().detail}});
    return 1;
  }
  if (Status s =
          portal::register_routes(router, **renderer, errors, directory, *db, portal_options);
      !s) {
    log::error("portal.routes_invalid", {{"detail", s.error().detail}});
    return 1;
  }
  identity::IdentityOptions identity_options;
  identity_options.key_encryption = key_encryption;
  identity_options.issuer = config.base_url();
  identity_options.password_hashing = password_hashing;
  if (Status s = identity::register_routes(router, *db, **renderer, errors, identity_options); !s) {
    log::error("identity.routes_invalid", {{"detail", s.error().detail}});
    return 1;
  }
  requests::RequestsOptions requests_options;
  requests_options.base_url = config.base_url();
  requests_options.renderer = renderer->get();
  requests_options.list_cache.max_bytes = config.open311_list_cache_mib << 20;
  // Report photos (content-addressed). Several nodes must share this folder (docs/deployment.md).
  blobs::LocalBlobStore photo_blobs(std::filesystem::path(config.data_dir) / "blobs");
  requests_options.blobs = &photo_blobs;
  requests_options.contact =
      config.feedback_email.empty() ? config.base_url() + "/opinion" : config.feedback_email;
  if (Status s = requests::register_routes(router, *db, errors, std::move(requests_options)); !s) {
    log::error("requests.routes_invalid", {{"detail", s.error().detail}});
    return 1;
  }
  router.finalize();

  http::ServerOptions options;
  options.address = listen->first;
  options.port = listen->second;
  options.io_threads = config.io_threads;
  options.worker_threads = config.worker_threads;
  options.max_body_bytes = config.max_body_kib * 1024;
  options.max_connections = config.max_connections;
  options.request_timeout = std::chrono::seconds(config.request_timeout_s);
  options.trust_proxy = config.trust_proxy;
  http::Server server(options, router, errors.renderer());
  if (!server.start()) return 1;

  std::optional<Delivery> delivery;
  if (config.run_jobs) {
    delivery.emplace(*db, config);
    delivery->start();
  }
  Maintenance maintenance(*db, sessions);
  maintenance.start();
  // Tools and tests wait for this line: the server is accepting connections now.
  const std::string url =
      "http://" +
      (listen->first.find(':') != std::string::npos ? "[" + listen->first + "]" : listen->first) +
      ":" + std::to_string(server.port());
  std::cout << "zocalo serving at " << url << "/" << std::endl;
  log::info("serve.started",
            {{"url", url}, {"database", db->redacted_url()}, {"demo", config.demo}});

  std::atomic<bool> server_done{false};
  std::thread stopper([&] {
    const int sig = wait_for_stop_signal(server_done);
    if (sig == 0) return;
    log::info("serve.stopping", {{"signal", sig}});
    ops.draining = true;  // readiness fails first, so a balancer stops sending new work
    server.stop();
  });
  server.wait();
  server_done = true;
  stopper.join();
  maintenance.stop();
  if (delivery) delivery->stop();
  log::info("serve.stopped");
  return 0;
}

int run_worker(const Config& config) {
  auto db = open_and_migrate(config);
  if (!db) return 1;
  Delivery delivery(*db, config);
  delivery.start();
  log::info("worker.started", {{"database", db->redacted_url()}});
  std::cout << "zocalo worker running" << std::endl;
  std::atomic<bool> never{false};
  wait_for_stop_signal(never);
  delivery.stop();  // finishes the job in hand
  log::info("worker.stopped");
  return 0;
}

int migrate(const Config& config) {
  auto db = open_and_migrate(config);
  if (!db) return 1;
  auto version = db->schema_version();
  std::cout << "Database " << db->redacted_url() << " is at schema version "
            << (version ? *version : 0) << std::endl;
  return 0;
}

}  // namespace zocalo::app
