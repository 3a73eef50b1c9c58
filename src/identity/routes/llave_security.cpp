// /mi-llave/seguridad: change the password, enrol or remove TOTP (RFC 6238, the secret sealed
// with the key-encryption key and shown once as an SVG QR code and as base32 text), the ten
// recovery codes, and SMS as a second factor. Issue 3, items 3 and 6. Every change is audited.
#include <string>
#include <vector>

#include "identity/model/password_policy.hpp"
#include "identity/model/qr_svg.hpp"
#include "identity/model/recovery_codes.hpp"
#include "identity/model/totp.hpp"
#include "identity/routes/llave_common.hpp"
#include "identity/routes/llave_pages.hpp"
#include "identity/store/account_store.hpp"
#include "identity/store/login_session_store.hpp"
#include "identity/store/second_factor_store.hpp"
#include "identity/store/throttle_store.hpp"
#include "platform/http/form.hpp"

namespace zocalo::identity::llave {
namespace {

constexpr const char* kFlash = "llave.flash";
constexpr const char* kSecurityPath = "/mi-llave/seguridad";
// Issuer label in authenticator apps (Key Uri Format): what the resident sees next to the code.
constexpr std::string_view kTotpIssuer = "Llave CDMX";

std::string totp_kid(long long account_id) {
  return "totp:" + std::to_string(account_id);
}

Result<SecondFactors> load_factors(const IdentityContext& ctx, long long account_id) {
  SecondFactors out;
  const Status st = ctx.db.read([&](soci::session& sql) -> Status {
    auto f = SecondFactorStore::load(sql, account_id);
    if (!f) return fail(f.error());
    out = std::move(*f);
    return {};
  });
  if (!st) return fail(st.error());
  return out;
}

// The signed-in resident, or the response to give instead (sign-in redirect, error).
struct Gate {
  std::optional<SignedIn> who;
  std::optional<http::Response> answer;
};

Gate gate(const IdentityContext& ctx, http::Request& req) {
  auto who = current(ctx, req);
  if (!who) return {std::nullopt, ctx.errors.error_response(req, who.error())};
  if (!*who) {
    if (req.method == http::Method::kGet) return {std::nullopt, sign_in_redirect(req)};
    return {std::nullopt, http::Response::redirect(std::string(kSignInPath) +
                                                   "?siguiente=%2Fmi-llave%2Fseguridad")};
  }
  return {std::move(**who), std::nullopt};
}

http::Response security_view(const IdentityContext& ctx, http::Request& req, const Account& a,
                             std::string_view error, int status) {
  auto factors = load_factors(ctx, a.id);
  if (!factors) return ctx.errors.error_response(req, factors.error());
  web::View view{web::View::type::object};
  if (factors->has_totp()) view.set("totp", true);
  view.set("recovery_left", std::to_string(factors->recovery_codes_left()));
  if (a.phone && a.phone_verified_at) view.set("phone_verified", true);
  if (a.email && !a.email_verified_at) view.set("email_unverified", true);
  if (factors->sms_enabled) view.set("sms", true);
  if (const auto flash = req.session.get(kFlash)) {
    req.session.erase(kFlash);
    view.set("notice", text(ctx, req, "llave.security.flash." + *flash));
  }
  if (!error.empty()) view.set("error", std::string(error));
  return page(ctx, req, "seguridad", view, "llave.security.title", status);
}

// Checks the resident's current password for a sensitive change, with the same backoff as
// sign-in (per account), so a stolen session cannot be used to guess it.
Result<bool> password_ok(const IdentityContext& ctx, const Account& a, std::string_view password) {
  const std::string bucket = identifier_bucket("account:" + std::to_string(a.id));
  auto wait = throttle_wait(ctx, kThrottleAccount, bucket, kAccountThrottle);
  if (!wait) return fail(wait.error());
  if (*wait > 0) return fail(Error{ErrorKind::kRateLimited, "llave.throttled", "password"});
  const bool ok = a.password_hash && ctx.hasher.verify(*a.password_hash, password);
  if (!ok) {
    auto n =
        ThrottleStore(ctx.db).record_failure(kThrottleAccount, bucket, kAccountThrottle, ctx.now());
    if (!n) return fail(n.error());
  }
  return ok;
}

http::Response recovery_page(const IdentityContext& ctx, http::Request& req,
                             const std::vector<std::string>& codes) {
  web::View list{web::View::type::list};
  for (const auto& c : codes) list.push_back(web::View(c));
  web::View view{web::View::type::object};
  view.set("codes", list);
  return page(ctx, req, "codigos_recuperacion", view, "llave.recovery.title");
}

// "ABCDEFGH..." -> "ABCD EFGH ...": easier to type from the screen.
std::string grouped(const std::string& base32) {
  std::string out;
  for (std::size_t i = 0; i < base32.size(); ++i) {
    if (i > 0 && i % 4 == 0) out += ' ';
    out += base32[i];
  }
  return out;
}

// The enrolment page for `secret`: the otpauth:// URI as a QR code and the key as base32 text.
http::Response enrol_page(const IdentityContext& ctx, http::Request& req, const Account& a,
                          const std::string& secret, std::string_view error_key, int status) {
  const std::string label = a.email.value_or(a.phone.value_or(a.subject));
  auto uri = totp::otpauth_uri(kTotpIssuer, label, secret);
  if (!uri) return ctx.errors.error_response(req, uri.error());
  auto svg = qr_svg(*uri, text(ctx, req, "llave.totp.qr_title"));
  if (!svg) return ctx.errors.error_response(req, svg.error());
  web::View view{web::View::type::object};
  // An <img> with a data: URI keeps the template free of unescaped markup (the renderer refuses
  // it); the page's CSP allows data: images.
  view.set("qr", "data:image/svg+xml;charset=utf-8," + http::percent_encode(*svg));
  view.set("secret", grouped(totp::base32_encode(secret)));
  if (!error_key.empty()) view.set("error", text(ctx, req, error_key));
  return page(ctx, req, "totp_alta", view, "llave.totp.title", status);
}

}  // namespace

// GET /mi-llave/seguridad
http::Response security_page(const IdentityContext& ctx, http::Request& req) {
  auto g = gate(ctx, req);
  if (g.answer) return *g.answer;
  return security_view(ctx, req, g.who->account, "", 200);
}

// POST /mi-llave/seguridad/contrasena (actual, nueva)
http::Response change_password(const IdentityContext& ctx, http::Request& req) {
  auto g = gate(ctx, req);
  if (g.answer) return *g.answer;
  const auto& form = req.form();
  if (!form) return ctx.errors.error_response(req, form.error());
  const Account& a = g.who->account;
  auto ok = password_ok(ctx, a, field(*form, "actual", kMaxPasswordBytes));
  if (!ok) {
    if (ok.error().kind == ErrorKind::kRateLimited) {
      return security_view(ctx, req, a, text(ctx, req, "llave.throttled"), 429);
    }
    return ctx.errors.error_response(req, ok.error());
  }
  if (!*ok) return security_view(ctx, req, a, text(ctx, req, "llave.security.wrong_password"), 400);
  const std::string password = field(*form, "nueva", kMaxPasswordBytes);
  const std::vector<std::string_view> names{a.given_name, a.family_name};
  PasswordContext context;
  if (a.email) context.email = *a.email;
  if (a.phone) context.phone = *a.phone;
  if (a.curp) context.curp = *a.curp;
  context.names = names;
  if (auto policy = check_password(password, context); !policy) {
    return security_view(ctx, req, a, error_text(ctx, req, policy.error().user_key), 400);
  }
  auto hash = ctx.hasher.hash(password);
  if (!hash) return ctx.errors.error_response(req, hash.error());
  const std::int64_t now = ctx.now();
  const std::string keep = g.who->login.id;
  const Status st = ctx.db.transaction([&](soci::session& sql) -> Status {
    if (auto s = AccountStore::set_password_hash(sql, a.id, *hash, now); !s) return s;
    // Other devices signed in with the old password are signed out; this one stays.
    auto ended = LoginSessionStore::revoke_all(sql, a.id, std::string_view(keep), now);
    if (!ended) return fail(ended.error());
    return audit(sql, a.id, "password.changed", req,
                 "{\"logins_ended\":" + std::to_string(*ended) + "}", now);
  });
  if (!st) return ctx.errors.error_response(req, st.error());
  req.session.set(kFlash, "password_changed");
  return http::Response::redirect(kSecurityPath);
}

// POST /mi-llave/seguridad/totp: a fresh secret, pending until the first code confirms it.
http::Response totp_start(const IdentityContext& ctx, http::Request& req) {
  auto g = gate(ctx, req);
  if (g.answer) return *g.answer;
  const long long id = g.who->account.id;
  const std::string secret = totp::generate_secret();
  const std::string sealed = ctx.options.key_encryption->seal(totp_kid(id), secret);
  const Status st = ctx.db.transaction([&](soci::session& sql) {
    return SecondFactorStore::set_pending_totp(sql, id, sealed, ctx.now());
  });
  if (!st) return ctx.errors.error_response(req, st.error());
  return http::Response::redirect("/mi-llave/seguridad/totp");
}

// GET /mi-llave/seguridad/totp: the QR code and the typed form of the pending secret.
http::Response totp_enrol_page(const IdentityContext& ctx, http::Request& req) {
  auto g = gate(ctx, req);
  if (g.answer) return *g.answer;
  const Account& a = g.who->account;
  auto factors = load_factors(ctx, a.id);
  if (!factors) return ctx.errors.error_response(req, factors.error());
  if (!factors->pending_totp_secret) return http::Response::redirect(kSecurityPath);
  auto secret = ctx.options.key_encryption->open(totp_kid(a.id), *factors->pending_totp_secret);
  if (!secret) return ctx.errors.error_response(req, secret.error());
  return enrol_page(ctx, req, a, *secret, "", 200);
}

// POST /mi-llave/seguridad/totp/confirmar (codigo)
http::Response totp_confirm(const IdentityContext& ctx, http::Request& req) {
  auto g = gate(ctx, req);
  if (g.answer) return *g.answer;
  const auto& form = req.form();
  if (!form) return ctx.errors.error_response(req, form.error());
  const Account& a = g.who->account;
  auto factors = load_factors(ctx, a.id);
  if (!factors) return ctx.errors.error_response(req, factors.error());
  if (!factors->pending_totp_secret) return http::Response::redirect(kSecurityPath);
  const std::string ip = client_ip(req);
  auto wait = throttle_wait(ctx, kThrottleCodeIp, ip, kCodeIpThrottle);
  if (!wait) return ctx.errors.error_response(req, wait.error());
  auto secret = ctx.options.key_encryption->open(totp_kid(a.id), *factors->pending_totp_secret);
  if (!secret) return ctx.errors.error_response(req, secret.error());
  const std::int64_t now = ctx.now();
  auto step = *wait > 0 ? Result<std::int64_t>(fail(Error::invalid("llave.throttled")))
                        : totp::verify(*secret, field(*form, "codigo", 64), now, 1);
  if (!step) {
    if (*wait == 0) {
      auto n = ThrottleStore(ctx.db).record_failure(kThrottleCodeIp, ip, kCodeIpThrottle, now);
      if (!n) return ctx.errors.error_response(req, n.error());
    }
    return enrol_page(ctx, req, a, *secret, *wait > 0 ? "llave.throttled" : "llave.code.failed",
                      *wait > 0 ? 429 : 400);
  }
  const auto codes = recovery_codes::generate();
  const Status st = ctx.db.transaction([&](soci::session& sql) -> Status {
    if (auto s = SecondFactorStore::confirm_totp(sql, a.id, *factors->pending_totp_secret, *step,
                                                 codes.hashes, now);
        !s) {
      return s;
    }
    return audit(sql, a.id, "totp.enrolled", req, "{}", now);
  });
  if (!st) return ctx.errors.error_response(req, st.error());
  return recovery_page(ctx, req, codes.plaintext);
}

// POST /mi-llave/seguridad/totp/quitar (password)
http::Response totp_remove(const IdentityContext& ctx, http::Request& req) {
  auto g = gate(ctx, req);
  if (g.answer) return *g.answer;
  const auto& form = req.form();
  if (!form) return ctx.errors.error_response(req, form.error());
  const Account& a = g.who->account;
  auto ok = password_ok(ctx, a, field(*form, "password", kMaxPasswordBytes));
  if (!ok) {
    if (ok.error().kind == ErrorKind::kRateLimited) {
      return security_view(ctx, req, a, text(ctx, req, "llave.throttled"), 429);
    }
    return ctx.errors.error_response(req, ok.error());
  }
  if (!*ok) return security_view(ctx, req, a, text(ctx, req, "llave.security.wrong_password"), 400);
  const std::int64_t now = ctx.now();
  const Status st = ctx.db.transaction([&](soci::session& sql) -> Status {
    if (auto s = SecondFactorStore::remove_totp(sql, a.id, now); !s) return s;
    return audit(sql, a.id, "totp.removed", req, "{}", now);
  });
  if (!st) return ctx.errors.error_response(req, st.error());
  req.session.set(kFlash, "totp_removed");
  return http::Response::redirect(kSecurityPath);
}

// POST /mi-llave/seguridad/recuperacion: ten new codes; the old ones stop working.
http::Response recovery_regenerate(const IdentityContext& ctx, http::Request& req) {
  auto g = gate(ctx, req);
  if (g.answer) return *g.answer;
  const Account& a = g.who->account;
  auto factors = load_factors(ctx, a.id);
  if (!factors) return ctx.errors.error_response(req, factors.error());
  if (!factors->has_totp()) return http::Response::redirect(kSecurityPath);
  const auto codes = recovery_codes::generate();
  const std::int64_t now = ctx.now();
  const Status st = ctx.db.transaction([&](soci::session& sql) -> Status {
    if (auto s = SecondFactorStore::set_recovery_codes(sql, a.id, codes.hashes, now); !s) {
      return s;
    }
    return audit(sql, a.id, "recovery.regenerated", req, "{}", now);
  });
  if (!st) return ctx.errors.error_response(req, st.error());
  return recovery_page(ctx, req, codes.plaintext);
}

// POST /mi-llave/seguridad/sms (activar=1|0)
http::Response sms_switch(const IdentityContext& ctx, http::Request& req) {
  auto g = gate(ctx, req);
  if (g.answer) return *g.answer;
  const auto& form = req.form();
  if (!form) return ctx.errors.error_response(req, form.error());
  const Account& a = g.who->account;
  const std::string_view choice = form->get_or("activar", "");
  if (choice != "1" && choice != "0") return ctx.errors.page(req, 400);
  const bool on = choice == "1";
  if (on && !(a.phone && a.phone_verified_at)) {
    return security_view(ctx, req, a, text(ctx, req, "llave.security.sms_needs_phone"), 409);
  }
  const std::int64_t now = ctx.now();
  const Status st = ctx.db.transaction([&](soci::session& sql) -> Status {
    if (auto s = SecondFactorStore::set_sms_enabled(sql, a.id, on, now); !s) return s;
    return audit(sql, a.id, on ? "sms.enabled" : "sms.disabled", req, "{}", now);
  });
  if (!st) return ctx.errors.error_response(req, st.error());
  req.session.set(kFlash, on ? "sms_on" : "sms_off");
  return http::Response::redirect(kSecurityPath);
}

// POST /mi-llave/seguridad/verificar-correo: a new verification link (the first one expired
// or got lost).
http::Response resend_email_verification(const IdentityContext& ctx, http::Request& req) {
  auto g = gate(ctx, req);
  if (g.answer) return *g.answer;
  const Account& a = g.who->account;
  if (!a.email || a.email_verified_at) return http::Response::redirect(kSecurityPath);
  const std::string ip = client_ip(req);
  auto wait = throttle_wait(ctx, kThrottleSendIp, ip, kSendIpThrottle);
  if (!wait) return ctx.errors.error_response(req, wait.error());
  if (*wait > 0) return security_view(ctx, req, a, text(ctx, req, "llave.throttled"), 429);
  const std::int64_t now = ctx.now();
  const Status st = ctx.db.transaction([&](soci::session& sql) -> Status {
    if (auto s = send_email_verification(ctx, sql, a, req.locale, now); !s) return s;
    auto sent = ThrottleStore::record_failure(sql, kThrottleSendIp, ip, kSendIpThrottle, now);
    if (!sent) return fail(sent.error());
    return {};
  });
  if (!st) return ctx.errors.error_response(req, st.error());
  req.session.set(kFlash, "email_sent");
  return http::Response::redirect(kSecurityPath);
}

}  // namespace zocalo::identity::llave
