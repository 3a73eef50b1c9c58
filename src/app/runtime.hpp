#pragma once
// Pieces that `serve` and `worker` share: opening the database, the notification channels,
// and waiting for SIGTERM/SIGINT.
#include <atomic>
#include <functional>
#include <memory>
#include <optional>

#include "app/config.hpp"
#include "platform/db/database.hpp"
#include "platform/jobs/worker.hpp"
#include "platform/notify/email_sender.hpp"
#include "platform/notify/sms_sender.hpp"

namespace zocalo::app {

// Opens the database named by the config and applies pending migrations. Logs and returns
// nullptr on failure.
std::unique_ptr<db::Database> open_and_migrate(const Config& config);

// The e-mail and SMS channels the config describes (SMS only when a gateway is set), and a job
// worker delivering them. Owns what it creates.
class Delivery {
 public:
  Delivery(db::Database& db, const Config& config);
  void start() { worker_.start(); }
  void stop() { worker_.stop(); }

 private:
  notify::EmailSender email_;
  std::optional<notify::SmsSender> sms_;
  jobs::Worker worker_;
};

// Blocks SIGTERM and SIGINT in the calling thread and every thread it starts afterwards, so
// that they arrive only where wait_for_stop_signal() asks for them. Call first thing.
void block_stop_signals();
// Waits until SIGTERM/SIGINT arrives or `give_up` turns true; returns the signal or 0.
int wait_for_stop_signal(const std::atomic<bool>& give_up);

}  // namespace zocalo::app
