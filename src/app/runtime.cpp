#include "app/runtime.hpp"

#include <signal.h>
#include <unistd.h>

#include <ctime>
#include <filesystem>

#include "identity/routes/oidc_backchannel.hpp"
#include "platform/core/log.hpp"
#include "platform/notify/notifier.hpp"

namespace zocalo::app {
namespace {

notify::EmailOptions email_options(const Config& c) {
  notify::EmailOptions o;
  o.host = c.smtp_host;
  o.port = c.smtp_port;
  o.security = c.smtp_security == "none"  ? notify::SmtpSecurity::kNone
               : c.smtp_security == "tls" ? notify::SmtpSecurity::kTls
                                          : notify::SmtpSecurity::kStartTls;
  o.username = c.smtp_user;
  o.password = c.smtp_password;
  o.from_address = c.mail_from;
  o.from_name = c.mail_from_name;
  return o;
}

std::string node_id() {
  char host[256] = {};
  gethostname(host, sizeof host - 1);
  return std::string(host) + ":" + std::to_string(getpid());
}

jobs::WorkerOptions worker_options(const Config& c) {
  jobs::WorkerOptions o;
  o.threads = c.job_threads;
  o.node_id = node_id();
  return o;
}

}  // namespace

std::unique_ptr<db::Database> open_and_migrate(const Config& config) {
  const std::string url = config.database_url();
  if (url.rfind("sqlite:", 0) == 0) {
    std::error_code ec;
    std::filesystem::create_directories(config.data_dir, ec);
  }
  db::DatabaseOptions options;
  options.url = url;
  options.pool_size = config.db_pool;
  auto db = db::Database::open(options);
  if (!db) {
    log::error("db.open_failed", {{"detail", db.error().detail}});
    return nullptr;
  }
  if (const Status migrated = (*db)->migrate(); !migrated) {
    log::error("db.migrate_failed", {{"detail", migrated.error().detail}});
    return nullptr;
  }
  return std::move(*db);
}

Delivery::Delivery(db::Database& db, const Config& config)
    : email_(email_options(config)), worker_(db, worker_options(config)) {
  if (!config.sms_gateway_url.empty()) {
    sms_.emplace(notify::SmsOptions{config.sms_gateway_url, config.sms_gateway_token});
  }
  notify::Notifier::register_handlers(worker_, db, {&email_, sms_ ? &*sms_ : nullptr});
  identity::register_job_handlers(worker_, db);
}

void block_stop_signals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
}

int wait_for_stop_signal(const std::atomic<bool>& give_up) {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  const timespec tick{0, 200'000'000};
  while (!give_up.load()) {
    const int sig = sigtimedwait(&set, nullptr, &tick);
    if (sig > 0) return sig;
  }
  return 0;
}

}  // namespace zocalo::app
