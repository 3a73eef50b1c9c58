#include "identity/routes/mi_llave_views.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>
#include <charconv>
#include <chrono>
#include <cstdio>

#include "platform/core/crypto.hpp"

namespace zocalo::identity::mi_llave {
namespace {

constexpr std::int64_t kMexicoCityOffset = -6 * 3600;

bool has(std::string_view haystack, std::string_view needle) {
  return haystack.find(needle) != std::string_view::npos;
}

std::chrono::year_month_day local_day(std::int64_t unix_seconds, int& hour, int& minute) {
  const std::int64_t local = unix_seconds + kMexicoCityOffset;
  std::int64_t days = local / 86400;
  std::int64_t rest = local % 86400;
  if (rest < 0) {
    rest += 86400;
    --days;
  }
  hour = static_cast<int>(rest / 3600);
  minute = static_cast<int>(rest % 3600 / 60);
  return std::chrono::year_month_day{std::chrono::sys_days{std::chrono::days{days}}};
}

// A string member of the detail object, or "".
std::string member(const boost::json::object& detail, std::string_view key) {
  const auto* v = detail.if_contains(key);
  if (!v) return {};
  if (v->is_string()) return std::string(v->as_string());
  if (v->is_int64()) return std::to_string(v->as_int64());
  if (v->is_uint64()) return std::to_string(v->as_uint64());
  return {};
}

std::string text_of(const web::Renderer& r, std::string_view locale, const std::string& key) {
  return std::string(r.text(locale, key));
}

}  // namespace

std::string fill(std::string_view text,
                 const std::vector<std::pair<std::string_view, std::string>>& vars) {
  std::string out(text);
  for (const auto& [name, value] : vars) {
    const std::string tag = "{{" + std::string(name) + "}}";
    for (auto at = out.find(tag); at != std::string::npos; at = out.find(tag, at + value.size())) {
      out.replace(at, tag.size(), value);
    }
  }
  return out;
}

Device parse_user_agent(std::string_view ua) {
  Device d;
  if (has(ua, "Edg/") || has(ua, "EdgA/") || has(ua, "EdgiOS/")) {
    d.browser = "Edge";
  } else if (has(ua, "OPR/") || has(ua, "Opera")) {
    d.browser = "Opera";
  } else if (has(ua, "SamsungBrowser/")) {
    d.browser = "Samsung Internet";
  } else if (has(ua, "Firefox/") || has(ua, "FxiOS/")) {
    d.browser = "Firefox";
  } else if (has(ua, "Chrome/") || has(ua, "CriOS/") || has(ua, "Chromium/")) {
    d.browser = "Chrome";
  } else if (has(ua, "Safari/") && has(ua, "Version/")) {
    d.browser = "Safari";
  }
  if (has(ua, "Android")) {
    d.os = "Android";
  } else if (has(ua, "iPhone")) {
    d.os = "iPhone";
  } else if (has(ua, "iPad")) {
    d.os = "iPad";
  } else if (has(ua, "Windows")) {
    d.os = "Windows";
  } else if (has(ua, "CrOS")) {
    d.os = "ChromeOS";
  } else if (has(ua, "Mac OS X") || has(ua, "Macintosh")) {
    d.os = "Mac";
  } else if (has(ua, "Linux")) {
    d.os = "Linux";
  }
  return d;
}

std::string describe_device(const web::Renderer& renderer, std::string_view locale,
                            std::string_view user_agent) {
  const Device d = parse_user_agent(user_agent);
  if (!d.browser.empty() && !d.os.empty()) {
    return fill(renderer.text(locale, "mi_llave.device.browser_on_os"),
                {{"browser", d.browser}, {"os", d.os}});
  }
  if (!d.browser.empty()) return d.browser;
  if (!d.os.empty()) {
    return fill(
        renderer.text(locale, "mi_llave.device.browser_on_os"),
        {{"browser", text_of(renderer, locale, "mi_llave.device.a_browser")}, {"os", d.os}});
  }
  return text_of(renderer, locale, "mi_llave.device.unknown");
}

std::string local_time(std::int64_t unix_seconds) {
  int hour = 0, minute = 0;
  const auto ymd = local_day(unix_seconds, hour, minute);
  char buf[64];  // room for any int, so -Wformat-truncation has nothing to say
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u %02d:%02d", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()), hour, minute);
  return buf;
}

std::string local_date(std::int64_t unix_seconds) {
  return local_time(unix_seconds).substr(0, 10);
}

std::string login_handle(std::string_view login_id) {
  return crypto::sha256_hex(login_id).substr(0, 16);
}

std::optional<long long> parse_id(std::string_view text) {
  if (text.empty() || text.size() > 18 || text.front() == '0') return std::nullopt;
  long long id = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
  if (ec != std::errc() || end != text.data() + text.size() || id <= 0) return std::nullopt;
  return id;
}

ActivityLine describe_event(const web::Renderer& r, std::string_view locale,
                            const AuditRecord& record,
                            const std::map<std::string, std::string>& staff_names,
                            bool staff_view) {
  const AuditEvent& e = record.event;
  boost::system::error_code ec;
  const boost::json::value parsed = boost::json::parse(e.detail, ec);
  static const boost::json::object kEmpty;
  const boost::json::object& detail = (!ec && parsed.is_object()) ? parsed.as_object() : kEmpty;

  ActivityLine line;
  line.when = local_time(e.created_at);
  std::string client = member(detail, "client_name");
  if (client.empty()) client = member(detail, "client_id");
  if (client.empty() && e.actor_kind == ActorKind::kClient) client = e.actor_id;

  const std::string& a = e.action;
  const std::string key = "mi_llave.activity." + a;
  if (a == "signin") {
    const std::string ua = member(detail, "user_agent");
    line.what = ua.empty() ? text_of(r, locale, key)
                           : fill(r.text(locale, "mi_llave.activity.signin_device"),
                                  {{"device", describe_device(r, locale, ua)}});
    // How: RFC 8176 amr values as the sign-in recorded them ("pwd", "pwd otp", "pwd sms").
    std::string amr = member(detail, "amr");
    for (char& c : amr)
      if (c == ' ') c = '_';
    if (const auto how = r.find_text(locale, "mi_llave.activity.amr." + amr)) {
      line.what += " ";
      line.what += *how;
    }
  } else if (a == "token.issued" || a == "consent.granted" || a == "consent.revoked") {
    line.what = fill(
        r.text(locale, key),
        {{"client", client.empty() ? text_of(r, locale, "mi_llave.activity.a_service") : client}});
  } else if (a == "sessions.revoked") {
    std::string count = member(detail, "count");
    line.what = fill(r.text(locale, key), {{"count", count.empty() ? "1" : count}});
  } else if (a == "loa.raised") {
    const std::string level = member(detail, "level");
    const std::string document = member(detail, "document");
    if (!document.empty()) {
      const auto doc = r.find_text(locale, "mi_llave.document." + document);
      line.what = fill(r.text(locale, "mi_llave.activity.loa.raised_in_person"),
                       {{"document", doc ? std::string(*doc) : document}});
    } else {
      line.what = fill(r.text(locale, key), {{"level", level.empty() ? "?" : level}});
    }
  } else if (a == "role.granted" || a == "role.revoked") {
    const std::string role = member(detail, "role");
    const auto name = r.find_text(locale, "mi_llave.role." + role);
    std::string role_text = name ? std::string(*name) : role;
    const std::string agency = member(detail, "agency");
    if (!agency.empty()) role_text += " (" + agency + ")";
    line.what = fill(r.text(locale, key), {{"role", role_text}});
  } else if (a == "data.viewed") {
    const std::string purpose = member(detail, "purpose");
    const auto named = r.find_text(locale, key + "." + purpose);
    line.what = named ? std::string(*named)
                      : fill(r.text(locale, key), {{"purpose", purpose.empty() ? "?" : purpose}});
  } else if (const auto known = r.find_text(locale, key)) {
    line.what = std::string(*known);
  } else {
    line.what = fill(r.text(locale, "mi_llave.activity.other"), {{"action", a}});
  }

  switch (e.actor_kind) {
    case ActorKind::kResident:
      line.who = text_of(r, locale,
                         staff_view ? "mi_llave.activity.by_holder" : "mi_llave.activity.by_you");
      if (e.account_id && e.actor_id != std::to_string(*e.account_id) && !e.actor_id.empty()) {
        line.who = fill(r.text(locale, "mi_llave.activity.by_account"), {{"id", e.actor_id}});
      }
      break;
    case ActorKind::kStaff: {
      const auto found = staff_names.find(e.actor_id);
      line.who = fill(r.text(locale, "mi_llave.activity.by_staff"),
                      {{"name", found != staff_names.end() ? found->second : std::string("—")},
                       {"id", e.actor_id}});
      break;
    }
    case ActorKind::kClient:
      line.who = fill(r.text(locale, "mi_llave.activity.by_client"),
                      {{"client", client.empty() ? e.actor_id : client}});
      break;
    case ActorKind::kSystem:
      line.who = text_of(r, locale, "mi_llave.activity.by_system");
      break;
  }
  if (e.ip && !e.ip->empty()) {
    line.where = fill(r.text(locale, "mi_llave.activity.from_ip"), {{"ip", *e.ip}});
  }
  return line;
}

}  // namespace zocalo::identity::mi_llave
