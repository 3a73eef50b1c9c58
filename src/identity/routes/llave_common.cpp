#include "identity/routes/llave_common.hpp"

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include "identity/model/audit_event.hpp"
#include "identity/model/one_time_code.hpp"
#include "identity/store/audit_log.hpp"
#include "identity/store/one_time_code_store.hpp"
#include "identity/store/throttle_store.hpp"
#include "platform/core/utf8.hpp"
#include "platform/notify/notifier.hpp"

namespace zocalo::identity::llave {

http::Response page(const IdentityContext& ctx, http::Request& req, std::string_view name,
                    web::View& view, std::string_view title_key, int status) {
  view.set("csrf", req.csrf_token);
  std::string template_name = "llave/";
  template_name += name;
  auto res = ctx.renderer.render_page(req, template_name, view,
                                      {.title_key = std::string(title_key), .status = status});
  // Forms with passwords and codes, and pages showing secrets: never cached anywhere.
  res.headers.set("Cache-Control", "no-store");
  return res;
}

std::string text(const IdentityContext& ctx, const http::Request& req, std::string_view key) {
  return std::string(ctx.renderer.text(req.locale, key));
}

std::string text_in(const IdentityContext& ctx, std::string_view locale, std::string_view key) {
  return std::string(ctx.renderer.text(locale, key));
}

std::string error_text(const IdentityContext& ctx, const http::Request& req,
                       std::string_view user_key) {
  const std::string key = "llave.error." + std::string(user_key);
  if (auto found = ctx.renderer.find_text(req.locale, key)) return std::string(*found);
  return text(ctx, req, "llave.error.generic");
}

std::string fill(std::string text, std::string_view name, std::string_view value) {
  const std::string marker = "{{" + std::string(name) + "}}";
  for (auto at = text.find(marker); at != std::string::npos;
       at = text.find(marker, at + value.size())) {
    text.replace(at, marker.size(), value);
  }
  return text;
}

std::string client_ip(const http::Request& req) {
  if (req.remote_addr.empty()) return "unknown";
  return req.remote_addr.substr(0, 64);
}

std::string field(const http::FormData& form, std::string_view name, std::size_t max) {
  std::string value(form.get_or(name, ""));
  if (value.size() > max) value = utf8::truncate(value, max);
  return value;
}

Identifier parse_identifier(std::string_view typed) {
  Identifier id;
  if (typed.find('@') != std::string_view::npos) {
    id.is_email = true;
    if (auto e = normalize_email(typed)) id.normalised = *e;
  } else if (auto p = normalize_phone(typed)) {
    id.normalised = *p;
  }
  // Malformed input is throttled too (by its raw text), so it cannot be used to probe how the
  // throttle treats real identifiers.
  id.bucket = identifier_bucket(id.normalised.empty() ? typed : std::string_view(id.normalised));
  return id;
}

Result<std::int64_t> throttle_wait(const IdentityContext& ctx, std::string_view scope_a,
                                   std::string_view bucket_a, const ThrottleRule& rule_a,
                                   std::string_view scope_b, std::string_view bucket_b,
                                   const ThrottleRule& rule_b) {
  ThrottleStore store(ctx.db);
  const std::int64_t now = ctx.now();
  auto a = store.wait_seconds(scope_a, bucket_a, rule_a, now);
  if (!a) return fail(a.error());
  if (scope_b.empty()) return *a;
  auto b = store.wait_seconds(scope_b, bucket_b, rule_b, now);
  if (!b) return fail(b.error());
  return std::max(*a, *b);
}

http::Response throttled(const IdentityContext& ctx, http::Request& req, std::string_view name,
                         web::View& view, std::string_view title_key, std::int64_t wait) {
  view.set("error", text(ctx, req, "llave.throttled"));
  auto res = page(ctx, req, name, view, title_key, 429);
  res.headers.set("Retry-After", std::to_string(wait));
  return res;
}

Status audit(soci::session& sql, std::optional<long long> account_id, std::string_view action,
             const http::Request& req, std::string detail, std::int64_t now) {
  AuditEvent event;
  event.account_id = account_id;
  event.actor_kind = account_id ? ActorKind::kResident : ActorKind::kSystem;
  event.actor_id = account_id ? std::to_string(*account_id) : "";
  event.action = std::string(action);
  event.detail = std::move(detail);
  const std::string ip = client_ip(req);
  if (ip != "unknown") event.ip = ip;
  event.created_at = now;
  auto appended = AuditLog::append(sql, event);
  if (!appended) return fail(appended.error());
  return {};
}

Status send_email_verification(const IdentityContext& ctx, soci::session& sql,
                               const Account& account, std::string_view locale, std::int64_t now) {
  if (!account.email) return {};
  auto token = OneTimeCodeStore::issue(sql, account.id, CodePurpose::kEmailVerify, now);
  if (!token) return fail(token.error());
  const std::string link = ctx.options.issuer + "/llave/verificar-correo?token=" + *token;
  notify::Email email;
  email.to = *account.email;
  email.to_name = account.given_name;
  email.subject = text_in(ctx, locale, "llave.mail.verify.subject");
  email.text = fill(text_in(ctx, locale, "llave.mail.verify.body"), "link", link);
  auto job = notify::Notifier::email(sql, email);
  if (!job) return fail(job.error());
  return {};
}

Status send_phone_verification(const IdentityContext& ctx, soci::session& sql,
                               const Account& account, std::string_view locale, std::int64_t now) {
  if (!account.phone) return {};
  auto code = OneTimeCodeStore::issue(sql, account.id, CodePurpose::kPhoneVerify, now);
  if (!code) return fail(code.error());
  auto job = notify::Notifier::sms(
      sql, {*account.phone, fill(text_in(ctx, locale, "llave.sms.verify"), "code", *code)});
  if (!job) return fail(job.error());
  return {};
}

Result<std::optional<SignedIn>> current(const IdentityContext& ctx, http::Request& req) {
  return signed_in(req, ctx.db, ctx.now());
}

std::string safe_next(std::string_view target) {
  if (!target.empty() && is_local_path(target)) return std::string(target);
  return "/mi-llave";
}

}  // namespace zocalo::identity::llave
