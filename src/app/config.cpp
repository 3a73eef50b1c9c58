#include "app/config.hpp"

#include <CLI/CLI.hpp>

namespace zocalo::app {

std::string Config::database_url() const {
  if (!database.empty()) return database;
  return "sqlite:" + data_dir + "/zocalo.db";
}

std::string Config::base_url() const {
  std::string url = public_url.empty() ? "http://" + listen : public_url;
  while (!url.empty() && url.back() == '/') url.pop_back();
  return url;
}

void add_database_options(CLI::App& cmd, Config& c) {
  cmd.add_option("--data-dir", c.data_dir, "Folder for the SQLite database and uploaded files")
      ->envname("ZOCALO_DATA_DIR")
      ->capture_default_str();
  cmd.add_option("--database", c.database,
                 "Database URL: sqlite:PATH or postgresql://user:pass@host:port/db "
                 "(default: sqlite:DATA_DIR/zocalo.db)")
      ->envname("ZOCALO_DATABASE");
  cmd.add_option("--db-pool", c.db_pool, "Database connections per process")
      ->envname("ZOCALO_DB_POOL")
      ->check(CLI::Range(1, 256))
      ->capture_default_str();
  cmd.add_option("--log-level", c.log_level, "debug, info, warn or error")
      ->envname("ZOCALO_LOG_LEVEL")
      ->check(CLI::IsMember({"debug", "info", "warn", "error"}))
      ->capture_default_str();
}

void add_notify_options(CLI::App& cmd, Config& c) {
  cmd.add_option("--smtp-host", c.smtp_host, "SMTP server for e-mail")
      ->envname("ZOCALO_SMTP_HOST")
      ->capture_default_str()
      ->group("E-mail and SMS");
  cmd.add_option("--smtp-port", c.smtp_port, "SMTP port")
      ->envname("ZOCALO_SMTP_PORT")
      ->check(CLI::Range(1, 65535))
      ->capture_default_str()
      ->group("E-mail and SMS");
  cmd.add_option("--smtp-security", c.smtp_security, "none, starttls (required) or tls")
      ->envname("ZOCALO_SMTP_SECURITY")
      ->check(CLI::IsMember({"none", "starttls", "tls"}))
      ->capture_default_str()
      ->group("E-mail and SMS");
  cmd.add_option("--smtp-user", c.smtp_user, "SMTP user name")
      ->envname("ZOCALO_SMTP_USER")
      ->group("E-mail and SMS");
  cmd.add_option("--smtp-password", c.smtp_password, "SMTP password (prefer the env variable)")
      ->envname("ZOCALO_SMTP_PASSWORD")
      ->group("E-mail and SMS");
  cmd.add_option("--mail-from", c.mail_from, "From address of outgoing e-mail")
      ->envname("ZOCALO_MAIL_FROM")
      ->capture_default_str()
      ->group("E-mail and SMS");
  cmd.add_option("--mail-from-name", c.mail_from_name, "Display name of outgoing e-mail")
      ->envname("ZOCALO_MAIL_FROM_NAME")
      ->capture_default_str()
      ->group("E-mail and SMS");
  cmd.add_option("--feedback-email", c.feedback_email,
                 "Also e-mail residents' feedback to this address (it always reaches the inbox)")
      ->envname("ZOCALO_FEEDBACK_EMAIL")
      ->group("E-mail and SMS");
  cmd.add_option("--sms-gateway-url", c.sms_gateway_url,
                 "HTTP endpoint that receives POST {to, message} (empty: SMS off)")
      ->envname("ZOCALO_SMS_GATEWAY_URL")
      ->group("E-mail and SMS");
  cmd.add_option("--sms-gateway-token", c.sms_gateway_token, "Bearer token for the SMS gateway")
      ->envname("ZOCALO_SMS_GATEWAY_TOKEN")
      ->group("E-mail and SMS");
  cmd.add_option("--job-threads", c.job_threads, "Threads delivering queued jobs")
      ->envname("ZOCALO_JOB_THREADS")
      ->check(CLI::Range(1, 64))
      ->capture_default_str()
      ->group("E-mail and SMS");
}

void add_server_options(CLI::App& cmd, Config& c) {
  cmd.add_option("--listen", c.listen, "Address and port to serve on")
      ->envname("ZOCALO_LISTEN")
      ->capture_default_str();
  cmd.add_option("--public-url", c.public_url,
                 "URL residents reach this server at, e.g. https://ciudad.example "
                 "(https here makes cookies Secure)")
      ->envname("ZOCALO_PUBLIC_URL");
  cmd.add_flag("--demo", c.demo, "Seed the Mexico City demo data (idempotent)")
      ->envname("ZOCALO_DEMO");
  cmd.add_option("--io-threads", c.io_threads, "Threads reading and writing sockets")
      ->envname("ZOCALO_IO_THREADS")
      ->check(CLI::Range(1, 64))
      ->capture_default_str()
      ->group("Limits");
  cmd.add_option("--worker-threads", c.worker_threads, "Threads running request handlers")
      ->envname("ZOCALO_WORKER_THREADS")
      ->check(CLI::Range(1, 256))
      ->capture_default_str()
      ->group("Limits");
  cmd.add_option("--max-body-kib", c.max_body_kib, "Largest request body accepted, in KiB")
      ->envname("ZOCALO_MAX_BODY_KIB")
      ->check(CLI::Range(1, 1024 * 1024))
      ->capture_default_str()
      ->group("Limits");
  cmd.add_option("--max-connections", c.max_connections, "Open connections accepted at once")
      ->envname("ZOCALO_MAX_CONNECTIONS")
      ->check(CLI::Range(1, 1000000))
      ->capture_default_str()
      ->group("Limits");
  cmd.add_option("--request-timeout", c.request_timeout_s, "Seconds a client has to send a request")
      ->envname("ZOCALO_REQUEST_TIMEOUT")
      ->check(CLI::Range(1, 3600))
      ->capture_default_str()
      ->group("Limits");
  cmd.add_option("--rate-limit", c.rate_limit_rps, "Requests per second allowed per client IP")
      ->envname("ZOCALO_RATE_LIMIT")
      ->check(CLI::Range(0.1, 1e9))
      ->capture_default_str()
      ->group("Limits");
  cmd.add_option("--rate-burst", c.rate_limit_burst, "Burst of requests allowed per client IP")
      ->envname("ZOCALO_RATE_BURST")
      ->check(CLI::Range(1.0, 1e9))
      ->capture_default_str()
      ->group("Limits");
  cmd.add_option("--open311-list-cache-mib", c.open311_list_cache_mib,
                 "MiB of rendered Open311 request lists kept until their data changes (0: off)")
      ->envname("ZOCALO_OPEN311_LIST_CACHE_MIB")
      ->check(CLI::Range(0, 65536))
      ->capture_default_str()
      ->group("Limits");
  cmd.add_option("--argon2-passes", c.argon2_passes,
                 "Argon2id passes (t) for new password hashes; more is slower to guess")
      ->envname("ZOCALO_ARGON2_PASSES")
      ->check(CLI::Range(1, 20))
      ->capture_default_str()
      ->group("Limits");
  cmd.add_option("--argon2-memory-mib", c.argon2_memory_mib,
                 "Argon2id memory (MiB) per password hash; each sign-in uses this much briefly")
      ->envname("ZOCALO_ARGON2_MEMORY_MIB")
      ->check(CLI::Range(8, 4096))
      ->capture_default_str()
      ->group("Limits");
  cmd.add_flag("--trust-proxy", c.trust_proxy,
               "Take the client address and scheme from X-Forwarded-For/-Proto (behind nginx)")
      ->envname("ZOCALO_TRUST_PROXY")
      ->group("Limits");
  cmd.add_flag("!--no-jobs", c.run_jobs,
               "Do not deliver queued jobs in this process (run `zocalo worker` instead)")
      ->envname("ZOCALO_NO_JOBS");
}

}  // namespace zocalo::app
