#include "identity/routes/oidc_backchannel.hpp"

#include <curl/curl.h>

#include <boost/json/parse.hpp>
#include <memory>
#include <string>

#include "platform/http/form.hpp"
#include "platform/notify/curl_global.hpp"

namespace zocalo::identity {
namespace {

std::size_t discard(char*, std::size_t size, std::size_t n, void*) {
  return size * n;
}

Status post_logout_token(const std::string& uri, const std::string& token) {
  notify::ensure_curl_initialised();
  std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> curl(curl_easy_init(), curl_easy_cleanup);
  if (!curl) return fail(Error::unavailable("curl_easy_init failed"));
  const std::string body = "logout_token=" + http::percent_encode(token);
  curl_slist* headers =
      curl_slist_append(nullptr, "Content-Type: application/x-www-form-urlencoded");
  std::unique_ptr<curl_slist, decltype(&curl_slist_free_all)> header_list(headers,
                                                                          curl_slist_free_all);
  CURL* c = curl.get();
  curl_easy_setopt(c, CURLOPT_URL, uri.c_str());
  curl_easy_setopt(c, CURLOPT_POST, 1L);
  curl_easy_setopt(c, CURLOPT_POSTFIELDS, body.c_str());
  curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, static_cast<long>(body.size()));
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(c, CURLOPT_TIMEOUT, 10L);
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 5L);
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);  // §2.5: no redirects
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, discard);
  const CURLcode rc = curl_easy_perform(c);
  if (rc != CURLE_OK) {
    return fail(Error::unavailable(std::string("back-channel logout: ") + curl_easy_strerror(rc)));
  }
  long status = 0;
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
  if (status >= 200 && status < 300) return {};
  if (status == 400) {
    return fail(Error::invalid("identity.logout.rejected", "relying party answered 400"));
  }
  return fail(Error::unavailable("back-channel logout: HTTP " + std::to_string(status)));
}

}  // namespace

void register_job_handlers(jobs::Worker& worker, db::Database& /*db*/) {
  worker.handle(std::string(kBackchannelLogoutJob), [](const jobs::Job& job) -> Status {
    boost::system::error_code ec;
    const auto payload = boost::json::parse(job.payload, ec);
    if (ec || !payload.is_object()) {
      return fail(Error::invalid("identity.logout.payload", "payload is not a JSON object"));
    }
    const auto& o = payload.as_object();
    const auto* uri = o.if_contains("uri");
    const auto* token = o.if_contains("logout_token");
    if (!uri || !uri->is_string() || !token || !token->is_string()) {
      return fail(Error::invalid("identity.logout.payload", "uri or logout_token missing"));
    }
    return post_logout_token(std::string(uri->as_string()), std::string(token->as_string()));
  });
}

}  // namespace zocalo::identity
