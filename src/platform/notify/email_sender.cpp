#include "platform/notify/email_sender.hpp"

#include <curl/curl.h>

#include <cstring>
#include <memory>

#include "platform/core/log.hpp"
#include "platform/core/time.hpp"
#include "platform/notify/curl_global.hpp"
#include "platform/notify/mime.hpp"

namespace zocalo::notify {
namespace {

struct Upload {
  const std::string* data;
  std::size_t offset = 0;
};

std::size_t read_upload(char* buffer, std::size_t size, std::size_t count, void* user) {
  auto* up = static_cast<Upload*>(user);
  const std::size_t room = size * count;
  const std::size_t n = std::min(room, up->data->size() - up->offset);
  std::memcpy(buffer, up->data->data() + up->offset, n);
  up->offset += n;
  return n;
}

std::string url_host(const std::string& host) {
  // An IPv6 literal needs brackets in a URL.
  return host.find(':') != std::string::npos ? "[" + host + "]" : host;
}

}  // namespace

EmailSender::EmailSender(EmailOptions options) : options_(std::move(options)) {}

Status EmailSender::send(const Email& email) {
  MimeEmail mime;
  mime.from = {options_.from_address, options_.from_name};
  mime.to = {email.to, email.to_name};
  mime.subject = email.subject;
  mime.text = email.text;
  mime.date = time::now_unix();
  const auto at = options_.from_address.rfind('@');
  mime.message_id =
      make_message_id(at == std::string::npos ? "localhost" : options_.from_address.substr(at + 1));
  auto message = build_email(mime);
  if (!message) return fail(message.error());

  ensure_curl_initialised();
  std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> curl(curl_easy_init(), &curl_easy_cleanup);
  if (!curl) return fail(Error::internal("curl_easy_init failed"));
  CURL* c = curl.get();
  const bool implicit_tls = options_.security == SmtpSecurity::kTls;
  const std::string url = std::string(implicit_tls ? "smtps://" : "smtp://") +
                          url_host(options_.host) + ":" + std::to_string(options_.port);
  const std::string mail_from = "<" + options_.from_address + ">";
  std::unique_ptr<curl_slist, decltype(&curl_slist_free_all)> rcpt(
      curl_slist_append(nullptr, ("<" + email.to + ">").c_str()), &curl_slist_free_all);
  Upload upload{&*message};
  char error_buffer[CURL_ERROR_SIZE] = {};

  curl_easy_setopt(c, CURLOPT_URL, url.c_str());
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
  if (options_.security == SmtpSecurity::kStartTls) {
    curl_easy_setopt(c, CURLOPT_USE_SSL, static_cast<long>(CURLUSESSL_ALL));
  }
  if (!options_.username.empty()) {
    curl_easy_setopt(c, CURLOPT_USERNAME, options_.username.c_str());
    curl_easy_setopt(c, CURLOPT_PASSWORD, options_.password.c_str());
  }
  curl_easy_setopt(c, CURLOPT_MAIL_FROM, mail_from.c_str());
  curl_easy_setopt(c, CURLOPT_MAIL_RCPT, rcpt.get());
  curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
  curl_easy_setopt(c, CURLOPT_READFUNCTION, &read_upload);
  curl_easy_setopt(c, CURLOPT_READDATA, &upload);
  curl_easy_setopt(c, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(message->size()));
  curl_easy_setopt(c, CURLOPT_TIMEOUT, static_cast<long>(options_.timeout.count()));
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, static_cast<long>(options_.timeout.count()));
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);  // worker threads: no SIGALRM-based timeouts
  curl_easy_setopt(c, CURLOPT_ERRORBUFFER, error_buffer);

  const CURLcode rc = curl_easy_perform(c);
  if (rc != CURLE_OK) {
    long smtp_code = 0;
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &smtp_code);
    std::string detail = "smtp " + url + ": " + curl_easy_strerror(rc);
    if (error_buffer[0]) detail += std::string(" (") + error_buffer + ")";
    if (smtp_code) detail += "; last reply " + std::to_string(smtp_code);
    // RFC 5321 §4.2.1: 5yz is a permanent failure, 4yz transient.
    if (smtp_code >= 500 && smtp_code < 600) {
      return fail(Error::invalid("error.email_rejected", detail));
    }
    return fail(Error::unavailable(detail));
  }
  log::info("notify.email_sent", {{"host", options_.host}, {"bytes", message->size()}});
  return {};
}

}  // namespace zocalo::notify
