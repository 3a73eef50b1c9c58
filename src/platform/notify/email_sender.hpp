#pragma once
// Sends plain-text e-mail over SMTP (RFC 5321) with libcurl: submission with STARTTLS on 587,
// implicit TLS on 465, or plain SMTP to a local relay.
#include <chrono>
#include <string>

#include "platform/core/result.hpp"

namespace zocalo::notify {

enum class SmtpSecurity {
  kNone,      // plain text: only for a relay on localhost or a test server
  kStartTls,  // upgrade with STARTTLS and refuse to continue without it
  kTls,       // TLS from the first byte (smtps)
};

struct EmailOptions {
  std::string host = "localhost";
  int port = 587;
  SmtpSecurity security = SmtpSecurity::kStartTls;
  std::string username;  // empty: no AUTH
  std::string password;
  std::string from_address;  // "avisos@cdmx.gob.mx"
  std::string from_name;     // "Ciudad de México"
  std::chrono::seconds timeout{30};
};

struct Email {
  std::string to;
  std::string to_name;
  std::string subject;
  std::string text;
};

class EmailSender {
 public:
  explicit EmailSender(EmailOptions options);

  // Builds and sends one message. kInvalidInput for a bad address/header (and for a permanent
  // 5xx refusal by the server), so the job is not retried; kUnavailable for connection, TLS,
  // timeout and 4xx answers, which a retry may cure.
  Status send(const Email& email);

  const EmailOptions& options() const { return options_; }

 private:
  EmailOptions options_;
};

}  // namespace zocalo::notify
