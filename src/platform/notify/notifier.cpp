#include "platform/notify/notifier.hpp"

#include <boost/json.hpp>

#include "platform/core/time.hpp"
#include "platform/jobs/job_queue.hpp"
#include "platform/notify/mime.hpp"

namespace zocalo::notify {
namespace {

// Reads the string fields of a job payload; a payload that is not what we enqueued cannot
// become valid later, so it is kInvalidInput (the job goes dead, not into retries).
Result<boost::json::object> parse_payload(const jobs::Job& job) {
  boost::system::error_code ec;
  boost::json::value v = boost::json::parse(job.payload, ec);
  if (ec || !v.is_object()) {
    return fail(Error::invalid("error.job_payload", job.kind + " payload is not a JSON object"));
  }
  return std::move(v.as_object());
}

std::string field(const boost::json::object& o, const char* key) {
  const auto* v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->as_string()) : std::string();
}

bool header_safe(const std::string& s) {
  return s.find_first_of("\r\n") == std::string::npos && utf8::is_valid(s);
}

}  // namespace

Result<long long> Notifier::email(soci::session& sql, const Email& email) {
  if (!is_valid_email_address(email.to)) {
    return fail(Error::invalid("error.email_address", "invalid e-mail address"));
  }
  if (!header_safe(email.subject) || !header_safe(email.to_name) || email.subject.empty() ||
      !utf8::is_valid(email.text)) {
    return fail(Error::invalid("error.email_header", "subject/name with CR/LF or bad UTF-8"));
  }
  const boost::json::object payload{{"to", email.to},
                                    {"to_name", email.to_name},
                                    {"subject", email.subject},
                                    {"text", email.text}};
  return jobs::JobQueue::enqueue(sql, kEmailJob, boost::json::serialize(payload),
                                 {.max_attempts = 8});
}

Result<long long> Notifier::sms(soci::session& sql, const SmsMessage& sms) {
  if (!is_valid_e164(sms.to)) return fail(Error::invalid("error.phone", "not an E.164 number"));
  if (sms.message.empty() || sms.message.size() > 1600 || !utf8::is_valid(sms.message)) {
    return fail(Error::invalid("error.sms_message", "SMS text must be 1..1600 bytes of UTF-8"));
  }
  const boost::json::object payload{{"to", sms.to}, {"message", sms.message}};
  return jobs::JobQueue::enqueue(sql, kSmsJob, boost::json::serialize(payload),
                                 {.max_attempts = 6});
}

Result<long long> Notifier::inbox(soci::session& sql, const NewInboxMessage& m) {
  if (m.recipient.empty() || m.title.empty() || !Inbox::is_safe_link(m.link)) {
    return fail(Error::invalid("error.inbox_message", "recipient, title and a safe link"));
  }
  const boost::json::object payload{
      {"recipient", m.recipient}, {"title", m.title}, {"body", m.body}, {"link", m.link}};
  return jobs::JobQueue::enqueue(sql, kInboxJob, boost::json::serialize(payload));
}

void Notifier::register_handlers(jobs::Worker& worker, db::Database& db, Channels channels) {
  if (channels.email) {
    worker.handle(kEmailJob, [sender = channels.email](const jobs::Job& job) -> Status {
      auto p = parse_payload(job);
      if (!p) return fail(p.error());
      return sender->send({.to = field(*p, "to"),
                           .to_name = field(*p, "to_name"),
                           .subject = field(*p, "subject"),
                           .text = field(*p, "text")});
    });
  }
  if (channels.sms) {
    worker.handle(kSmsJob, [sender = channels.sms](const jobs::Job& job) -> Status {
      auto p = parse_payload(job);
      if (!p) return fail(p.error());
      return sender->send(field(*p, "to"), field(*p, "message"));
    });
  }
  worker.handle(kInboxJob, [&db](const jobs::Job& job) -> Status {
    auto p = parse_payload(job);
    if (!p) return fail(p.error());
    const NewInboxMessage m{.recipient = field(*p, "recipient"),
                            .title = field(*p, "title"),
                            .body = field(*p, "body"),
                            .link = field(*p, "link")};
    return db.transaction([&](soci::session& sql) -> Status {
      auto id = Inbox::add(sql, m, time::now_unix());
      return id ? Status{} : fail(id.error());
    });
  });
}

}  // namespace zocalo::notify
