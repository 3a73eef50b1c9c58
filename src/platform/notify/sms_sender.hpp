#pragma once
// Sends SMS through an HTTP gateway: POST {"to": "+52...", "message": "..."} as JSON with a
// bearer token. Any provider can sit behind a small adapter speaking this shape.
#include <chrono>
#include <string>

#include "platform/core/result.hpp"

namespace zocalo::notify {

struct SmsOptions {
  std::string gateway_url;  // "https://sms.example.net/v1/send"
  std::string token;        // sent as "Authorization: Bearer <token>"
  std::chrono::seconds timeout{15};
};

class SmsSender {
 public:
  explicit SmsSender(SmsOptions options);

  // `to` in E.164 ("+5215512345678"); `message` 1..1600 bytes of UTF-8. 2xx is success.
  // kInvalidInput for a bad number or message and for a 4xx answer other than 401/403/408/429
  // (the gateway refuses this message: a retry would too); kUnavailable for network errors,
  // timeouts, 5xx, 408, 429 and 401/403 (a token an operator can fix).
  Status send(const std::string& to, const std::string& message);

 private:
  SmsOptions options_;
};

// "+" then 8 to 15 digits (ITU-T E.164).
bool is_valid_e164(const std::string& number);

}  // namespace zocalo::notify
