#include "platform/notify/sms_sender.hpp"

#include <curl/curl.h>

#include <boost/json.hpp>
#include <cctype>
#include <memory>

#include "platform/core/log.hpp"
#include "platform/notify/curl_global.hpp"
#include "platform/notify/mime.hpp"

namespace zocalo::notify {
namespace {

constexpr std::size_t kMaxReply = 4096;  // we only quote the gateway's reply in the log

std::size_t collect_reply(char* data, std::size_t size, std::size_t count, void* user) {
  auto* out = static_cast<std::string*>(user);
  const std::size_t n = size * count;
  if (out->size() < kMaxReply) out->append(data, std::min(n, kMaxReply - out->size()));
  return n;
}

}  // namespace

bool is_valid_e164(const std::string& number) {
  if (number.size() < 9 || number.size() > 16 || number[0] != '+' || number[1] == '0') {
    return false;
  }
  for (std::size_t i = 1; i < number.size(); ++i) {
    if (!std::isdigit(static_cast<unsigned char>(number[i]))) return false;
  }
  return true;
}

SmsSender::SmsSender(SmsOptions options) : options_(std::move(options)) {}

Status SmsSender::send(const std::string& to, const std::string& message) {
  if (!is_valid_e164(to)) return fail(Error::invalid("error.phone", "not an E.164 number"));
  if (message.empty() || message.size() > 1600 || !utf8::is_valid(message)) {
    return fail(Error::invalid("error.sms_message", "SMS text must be 1..1600 bytes of UTF-8"));
  }
  const std::string body =
      boost::json::serialize(boost::json::object{{"to", to}, {"message", message}});

  ensure_curl_initialised();
  std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> curl(curl_easy_init(), &curl_easy_cleanup);
  if (!curl) return fail(Error::internal("curl_easy_init failed"));
  CURL* c = curl.get();
  curl_slist* raw_headers = curl_slist_append(nullptr, "Content-Type: application/json");
  raw_headers = curl_slist_append(raw_headers, "Accept: application/json");
  const std::string auth = "Authorization: Bearer " + options_.token;
  if (!options_.token.empty()) raw_headers = curl_slist_append(raw_headers, auth.c_str());
  std::unique_ptr<curl_slist, decltype(&curl_slist_free_all)> headers(raw_headers,
                                                                      &curl_slist_free_all);
  std::string reply;
  char error_buffer[CURL_ERROR_SIZE] = {};
  curl_easy_setopt(c, CURLOPT_URL, options_.gateway_url.c_str());
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers.get());
  curl_easy_setopt(c, CURLOPT_POSTFIELDS, body.c_str());
  curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, &collect_reply);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &reply);
  curl_easy_setopt(c, CURLOPT_TIMEOUT, static_cast<long>(options_.timeout.count()));
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_ERRORBUFFER, error_buffer);

  const CURLcode rc = curl_easy_perform(c);
  if (rc != CURLE_OK) {
    std::string detail = "SMS gateway unreachable: " + std::string(curl_easy_strerror(rc));
    if (error_buffer[0]) detail += std::string(" (") + error_buffer + ")";
    return fail(Error::unavailable(detail));
  }
  long status = 0;
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
  if (status >= 200 && status < 300) {
    log::info("notify.sms_sent", {{"status", static_cast<std::int64_t>(status)}});
    return {};
  }
  const std::string detail =
      "SMS gateway answered HTTP " + std::to_string(status) + ": " + reply.substr(0, 300);
  const bool transient = status >= 500 || status == 408 || status == 429 || status == 401 ||
                         status == 403 || status < 200;
  if (transient) return fail(Error::unavailable(detail));
  return fail(Error::invalid("error.sms_rejected", detail));
}

}  // namespace zocalo::notify
