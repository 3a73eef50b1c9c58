#pragma once
// The one way modules notify people: each call enqueues a job in the caller's transaction
// (so "request updated" and "tell the resident" commit together, and a rollback sends nothing),
// and the worker delivers it later with retries.
//
//   db.transaction([&](soci::session& sql) -> Status {
//     ... update the 311 request ...
//     auto job = notify::Notifier::email(sql, {.to = addr, .subject = s, .text = t});
//     return job ? Status{} : fail(job.error());
//   });
#include <soci/soci.h>

#include <string>

#include "platform/core/result.hpp"
#include "platform/db/database.hpp"
#include "platform/jobs/worker.hpp"
#include "platform/notify/email_sender.hpp"
#include "platform/notify/inbox.hpp"
#include "platform/notify/sms_sender.hpp"

namespace zocalo::notify {

struct SmsMessage {
  std::string to;  // E.164
  std::string message;
};

class Notifier {
 public:
  static constexpr const char* kEmailJob = "notify.email";
  static constexpr const char* kSmsJob = "notify.sms";
  static constexpr const char* kInboxJob = "notify.inbox";

  // Each validates now (a bad address fails the caller's request, not a job hours later) and
  // returns the job id.
  static Result<long long> email(soci::session& sql, const Email& email);
  static Result<long long> sms(soci::session& sql, const SmsMessage& sms);
  static Result<long long> inbox(soci::session& sql, const NewInboxMessage& message);

  // Registers the delivery handlers on `worker`. A channel left null is not registered, so its
  // jobs wait for a node that has it configured instead of failing.
  struct Channels {
    EmailSender* email = nullptr;
    SmsSender* sms = nullptr;
  };
  static void register_handlers(jobs::Worker& worker, db::Database& db, Channels channels);
};

}  // namespace zocalo::notify
