#pragma once
// Everything an operator can set. Each option comes from (highest first) a flag, a ZOCALO_*
// environment variable, the --config file (TOML/INI), or the default shown in --help.
#include <cstddef>
#include <string>

namespace CLI {
class App;
}

namespace zocalo::app {

struct Config {
  // where
  std::string listen = "127.0.0.1:8080";
  std::string data_dir = "var";
  std::string database;    // empty: sqlite:<data_dir>/zocalo.db
  std::string public_url;  // empty: http://<listen>
  // how much
  std::size_t io_threads = 2;
  // Handlers mostly wait on the database; 32 lets a SQLite group commit gather 32 writers in one
  // fsync (bench/requests: 8 workers gave ~1,250 Open311 POSTs/s, 32 gave ~2,000). CPU-heavy
  // work has its own gate (identity's HashingLane). Sessions are held only while used.
  std::size_t worker_threads = 32;
  std::size_t db_pool = 16;
  std::size_t job_threads = 1;
  std::size_t max_body_kib = 1024;
  std::size_t max_connections = 10000;
  std::size_t request_timeout_s = 30;
  double rate_limit_rps = 20;
  double rate_limit_burst = 60;
  // Rendered Open311 request lists kept while their data is unchanged (ADR 0008); 0 turns it off.
  std::size_t open311_list_cache_mib = 64;
  bool trust_proxy = false;
  // Argon2id cost of new password hashes (identity::Argon2idParams; stored hashes carry theirs)
  unsigned long long argon2_passes = 3;
  std::size_t argon2_memory_mib = 64;
  bool run_jobs = true;  // serve also runs the job worker
  bool demo = false;
  std::string log_level = "info";
  // e-mail
  std::string smtp_host = "127.0.0.1";
  int smtp_port = 25;
  std::string smtp_security = "starttls";  // none | starttls | tls
  std::string smtp_user;
  std::string smtp_password;
  std::string mail_from = "no-reply@zocalo.local";
  std::string mail_from_name = "zocalo";
  std::string feedback_email;  // where residents' feedback is also e-mailed (empty: inbox only)
  // SMS
  std::string sms_gateway_url;  // empty: SMS disabled
  std::string sms_gateway_token;

  // sqlite:<data_dir>/zocalo.db unless --database was given.
  std::string database_url() const;
  // http://listen unless --public-url was given; no trailing slash.
  std::string base_url() const;
};

// Adds the options of `config` to a (sub)command. `server` adds the listener and page options.
void add_database_options(CLI::App& cmd, Config& config);
void add_notify_options(CLI::App& cmd, Config& config);
void add_server_options(CLI::App& cmd, Config& config);

}  // namespace zocalo::app
