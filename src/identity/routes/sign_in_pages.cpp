// Llave sign-in: password, then the second factor when the account has one, then the login
// (identity::start_login). Also registers every other page of the sign-in group (sign-up,
// verification, reset, security: llave_*.cpp).
//
// Defences (issue 3, item 3): the same answer for an unknown identifier and a wrong password,
// with an Argon2id run either way (PasswordHasher::dummy_verify) so the time taken says nothing
// either; backoff per identifier and per address kept in the database (model/throttle.hpp), and
// a throttled attempt does not even reach Argon2id; `siguiente` is followed only when it is a
// local path (identity::is_local_path).
#include <charconv>
#include <string>

#include "identity/model/one_time_code.hpp"
#include "identity/model/recovery_codes.hpp"
#include "identity/model/totp.hpp"
#include "identity/resident.hpp"
#include "identity/routes/identity_context.hpp"
#include "identity/routes/llave_common.hpp"
#include "identity/routes/llave_pages.hpp"
#include "identity/store/account_store.hpp"
#include "identity/store/login_session_store.hpp"
#include "identity/store/one_time_code_store.hpp"
#include "identity/store/second_factor_store.hpp"
#include "identity/store/throttle_store.hpp"
#include "platform/notify/notifier.hpp"

namespace zocalo::identity {
namespace llave {
namespace {

// Between the password and the second factor, the platform session (server-side) remembers
// whose password was right, for how long, and where to go afterwards.
constexpr const char* kPendingAccount = "llave.pending.account";
constexpr const char* kPendingAt = "llave.pending.at";
constexpr const char* kPendingNext = "llave.pending.next";
constexpr const char* kPendingReauth = "llave.pending.reauth";
constexpr std::int64_t kPendingLifetime = 10 * 60;

std::optional<long long> to_number(const std::optional<std::string>& text) {
  if (!text) return std::nullopt;
  long long n = 0;
  const auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), n);
  if (ec != std::errc() || end != text->data() + text->size()) return std::nullopt;
  return n;
}

void clear_pending(http::Request& req) {
  for (const char* key : {kPendingAccount, kPendingAt, kPendingNext, kPendingReauth}) {
    req.session.erase(key);
  }
}

web::View sign_in_view(std::string_view identifier, std::string_view next, bool reauth) {
  web::View view{web::View::type::object};
  view.set("identificador", std::string(identifier));
  if (!next.empty() && is_local_path(next)) view.set("siguiente", std::string(next));
  if (reauth) view.set("reautenticar", true);
  return view;
}

http::Response sign_in_page(const IdentityContext& ctx, http::Request& req, web::View& view,
                            int status) {
  return page(ctx, req, "entrar", view, "llave.signin.title", status);
}

// After every factor: a new login (or, for reautenticar on the same account, a fresh
// auth_time on the current one), then on to `next`.
http::Response finish(const IdentityContext& ctx, http::Request& req, const Account& account,
                      std::string_view amr, std::string_view next, bool reauth) {
  const std::int64_t now = ctx.now();
  if (reauth) {
    auto who = current(ctx, req);
    if (!who) return ctx.errors.error_response(req, who.error());
    if (*who && (*who)->account.id == account.id) {
      const std::string login_id = (*who)->login.id;
      const Status st = ctx.db.transaction([&](soci::session& sql) -> Status {
        if (auto r = LoginSessionStore::reauthenticated(sql, login_id, amr, now); !r) return r;
        return audit(sql, account.id, "signin", req,
                     "{\"amr\":\"" + std::string(amr) + "\",\"reauthenticated\":true}", now);
      });
      if (!st) return ctx.errors.error_response(req, st.error());
      return http::Response::redirect(safe_next(next));
    }
  }
  NewLoginSession limits;  // start_login fills in who, how and from where
  limits.idle_timeout = ctx.options.login_idle_timeout.count();
  limits.lifetime = ctx.options.login_absolute_lifetime.count();
  auto login = start_login(req, ctx.db, account, amr, limits, now);
  if (!login) return ctx.errors.error_response(req, login.error());
  return http::Response::redirect(safe_next(next));
}

// Sends the SMS sign-in code (when the account has SMS as a factor and a verified phone).
Status send_signin_sms(const IdentityContext& ctx, http::Request& req, const Account& account) {
  if (!account.phone || !account.phone_verified_at) return {};
  const std::int64_t now = ctx.now();
  return ctx.db.transaction([&](soci::session& sql) -> Status {
    auto code = OneTimeCodeStore::issue(sql, account.id, CodePurpose::kSigninSms, now);
    if (!code) return fail(code.error());
    auto job = notify::Notifier::sms(
        sql, {*account.phone, fill(text(ctx, req, "llave.sms.signin"), "code", *code)});
    if (!job) return fail(job.error());
    auto sent =
        ThrottleStore::record_failure(sql, kThrottleSendIp, client_ip(req), kSendIpThrottle, now);
    if (!sent) return fail(sent.error());
    return {};
  });
}

// The pending account, when the password was right less than kPendingLifetime ago.
Result<std::optional<Account>> pending_account(const IdentityContext& ctx, http::Request& req) {
  const auto id = to_number(req.session.get(kPendingAccount));
  const auto at = to_number(req.session.get(kPendingAt));
  if (!id || !at || ctx.now() - *at > kPendingLifetime) return std::optional<Account>();
  auto account = AccountStore(ctx.db).find_by_id(*id);
  if (!account) return fail(account.error());
  if (*account && (*account)->status != AccountStatus::kActive) return std::optional<Account>();
  return account;
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

web::View code_view(const SecondFactors& factors, const Account& account) {
  web::View view{web::View::type::object};
  if (factors.has_totp()) view.set("totp", true);
  if (factors.sms_enabled && account.phone_verified_at) view.set("sms", true);
  if (factors.recovery_codes_left() > 0) view.set("recovery", true);
  return view;
}

}  // namespace

// GET /llave/entrar?siguiente=/x&reautenticar=1
http::Response sign_in_form(const IdentityContext& ctx, http::Request& req) {
  const auto& query = req.query();
  if (!query) return ctx.errors.error_response(req, query.error());
  const std::string next(query->get_or("siguiente", ""));
  const bool reauth = query->get_or("reautenticar", "") == "1";
  if (!reauth) {
    auto who = current(ctx, req);
    if (!who) return ctx.errors.error_response(req, who.error());
    if (*who) return http::Response::redirect(safe_next(next));
  }
  web::View view = sign_in_view("", next, reauth);
  if (req.session.get("llave.flash") == std::optional<std::string>("password_reset")) {
    req.session.erase("llave.flash");
    view.set("notice", text(ctx, req, "llave.reset.done"));
  }
  return sign_in_page(ctx, req, view, 200);
}

// POST /llave/entrar
http::Response sign_in_submit(const IdentityContext& ctx, http::Request& req) {
  const auto& form = req.form();
  if (!form) return ctx.errors.error_response(req, form.error());
  const std::string typed = field(*form, "identificador");
  const std::string password = field(*form, "password", kMaxPasswordBytes);
  const std::string next = field(*form, "siguiente", 2000);
  const bool reauth = form->get_or("reautenticar", "") == "1";
  web::View view = sign_in_view(typed, next, reauth);
  if (typed.empty() || password.empty()) {
    view.set("error", text(ctx, req, "llave.signin.missing"));
    return sign_in_page(ctx, req, view, 400);
  }
  const Identifier id = parse_identifier(typed);
  const std::string ip = client_ip(req);
  auto wait = throttle_wait(ctx, kThrottleAccount, id.bucket, kAccountThrottle, kThrottleIp, ip,
                            kIpThrottle);
  if (!wait) return ctx.errors.error_response(req, wait.error());
  if (*wait > 0) {
    return throttled(ctx, req, "entrar", view, "llave.signin.title", *wait);
  }

  std::optional<Account> account;
  if (!id.normalised.empty()) {
    AccountStore accounts(ctx.db);
    auto found =
        id.is_email ? accounts.find_by_email(id.normalised) : accounts.find_by_phone(id.normalised);
    if (!found) return ctx.errors.error_response(req, found.error());
    account = std::move(*found);
  }
  bool ok = false;
  if (account && account->status == AccountStatus::kActive && account->password_hash) {
    ok = ctx.hasher.verify(*account->password_hash, password);
  } else {
    ctx.hasher.dummy_verify(password);  // the same Argon2id cost as a real check
  }
  const std::int64_t now = ctx.now();
  if (!ok) {
    const std::optional<long long> account_id =
        account ? std::optional<long long>(account->id) : std::nullopt;
    const Status st = ctx.db.transaction([&](soci::session& sql) -> Status {
      auto a =
          ThrottleStore::record_failure(sql, kThrottleAccount, id.bucket, kAccountThrottle, now);
      if (!a) return fail(a.error());
      auto b = ThrottleStore::record_failure(sql, kThrottleIp, ip, kIpThrottle, now);
      if (!b) return fail(b.error());
      return audit(sql, account_id, "signin.failed", req, "{\"step\":\"password\"}", now);
    });
    if (!st) return ctx.errors.error_response(req, st.error());
    view.set("error", text(ctx, req, "llave.signin.failed"));
    return sign_in_page(ctx, req, view, 401);
  }

  // The password was right: forget this identifier's failures, upgrade an old hash.
  const bool rehash = ctx.hasher.needs_rehash(*account->password_hash);
  std::optional<std::string> new_hash;
  if (rehash) {
    auto h = ctx.hasher.hash(password);
    if (h) new_hash = std::move(*h);
  }
  const Status st = ctx.db.transaction([&](soci::session& sql) -> Status {
    if (auto c = ThrottleStore::clear(sql, kThrottleAccount, id.bucket); !c) return c;
    if (new_hash) return AccountStore::set_password_hash(sql, account->id, *new_hash, now);
    return {};
  });
  if (!st) return ctx.errors.error_response(req, st.error());

  auto factors = load_factors(ctx, account->id);
  if (!factors) return ctx.errors.error_response(req, factors.error());
  const bool sms_usable = factors->sms_enabled && account->phone_verified_at.has_value();
  if (!factors->has_totp() && !sms_usable) {
    return finish(ctx, req, *account, "pwd", next, reauth);
  }
  req.session.set(kPendingAccount, std::to_string(account->id));
  req.session.set(kPendingAt, std::to_string(now));
  req.session.set(kPendingNext, safe_next(next));
  if (reauth) req.session.set(kPendingReauth, "1");
  if (!factors->has_totp() && sms_usable) {
    if (auto sent = send_signin_sms(ctx, req, *account); !sent) {
      return ctx.errors.error_response(req, sent.error());
    }
  }
  return http::Response::redirect("/llave/entrar/codigo");
}

// GET /llave/entrar/codigo
http::Response code_form(const IdentityContext& ctx, http::Request& req) {
  auto account = pending_account(ctx, req);
  if (!account) return ctx.errors.error_response(req, account.error());
  if (!*account) return http::Response::redirect(std::string(kSignInPath));
  auto factors = load_factors(ctx, (*account)->id);
  if (!factors) return ctx.errors.error_response(req, factors.error());
  web::View view = code_view(*factors, **account);
  return page(ctx, req, "codigo", view, "llave.code.title");
}

// POST /llave/entrar/codigo (codigo=..., or accion=sms to have a code sent)
http::Response code_submit(const IdentityContext& ctx, http::Request& req) {
  const auto& form = req.form();
  if (!form) return ctx.errors.error_response(req, form.error());
  auto pending = pending_account(ctx, req);
  if (!pending) return ctx.errors.error_response(req, pending.error());
  if (!*pending) return http::Response::redirect(std::string(kSignInPath));
  const Account account = **pending;
  auto factors = load_factors(ctx, account.id);
  if (!factors) return ctx.errors.error_response(req, factors.error());
  web::View view = code_view(*factors, account);
  const std::string ip = client_ip(req);
  const std::string account_bucket = std::to_string(account.id);
  const std::int64_t now = ctx.now();
  const bool sms_usable = factors->sms_enabled && account.phone_verified_at.has_value();

  if (form->get_or("accion", "") == "sms") {
    if (!sms_usable) return ctx.errors.page(req, 400);
    auto wait = throttle_wait(ctx, kThrottleSendIp, ip, kSendIpThrottle);
    if (!wait) return ctx.errors.error_response(req, wait.error());
    if (*wait > 0) return throttled(ctx, req, "codigo", view, "llave.code.title", *wait);
    if (auto sent = send_signin_sms(ctx, req, account); !sent) {
      return ctx.errors.error_response(req, sent.error());
    }
    view.set("notice", text(ctx, req, "llave.code.sms_sent"));
    return page(ctx, req, "codigo", view, "llave.code.title");
  }

  auto wait = throttle_wait(ctx, kThrottleCodeIp, ip, kCodeIpThrottle, kThrottleCodeAccount,
                            account_bucket, kCodeAccountThrottle);
  if (!wait) return ctx.errors.error_response(req, wait.error());
  if (*wait > 0) return throttled(ctx, req, "codigo", view, "llave.code.title", *wait);

  const std::string typed = field(*form, "codigo", 64);
  std::string amr;
  const auto six = normalise_numeric_code(typed, 6);
  if (six && factors->has_totp()) {
    auto secret = ctx.options.key_encryption->open("totp:" + std::to_string(account.id),
                                                   *factors->totp_secret);
    if (!secret) return ctx.errors.error_response(req, secret.error());
    auto step = totp::verify(*secret, *six, now, 1, factors->totp_last_step);
    if (step) {
      bool claimed = false;
      const Status st = ctx.db.transaction([&](soci::session& sql) -> Status {
        auto c = SecondFactorStore::claim_totp_step(sql, account.id, *step, now);
        if (!c) return fail(c.error());
        claimed = *c;
        return {};
      });
      if (!st) return ctx.errors.error_response(req, st.error());
      if (claimed) amr = "pwd otp";
    }
  }
  if (amr.empty() && six && sms_usable) {
    CodeCheck check = CodeCheck::kNoCode;
    const Status st = ctx.db.transaction([&](soci::session& sql) -> Status {
      auto c = OneTimeCodeStore::check(sql, account.id, CodePurpose::kSigninSms, *six, now);
      if (!c) return fail(c.error());
      check = *c;
      return {};
    });
    if (!st) return ctx.errors.error_response(req, st.error());
    if (check == CodeCheck::kOk) amr = "pwd sms";
  }
  if (amr.empty() && !six && factors->recovery_codes_left() > 0) {
    if (auto index = recovery_codes::match(typed, factors->recovery_codes)) {
      bool used = false;
      const Status st = ctx.db.transaction([&](soci::session& sql) -> Status {
        auto u = SecondFactorStore::use_recovery_code(sql, account.id, *index, now);
        if (!u) return fail(u.error());
        used = *u;
        if (!used) return {};
        return audit(sql, account.id, "recovery.used", req, "{}", now);
      });
      if (!st) return ctx.errors.error_response(req, st.error());
      if (used) {
        amr = "pwd otp";  // RFC 8176 "otp": a one-time password, as a recovery code is
      }
    }
  }
  if (amr.empty()) {
    const Status st = ctx.db.transaction([&](soci::session& sql) -> Status {
      auto a = ThrottleStore::record_failure(sql, kThrottleCodeIp, ip, kCodeIpThrottle, now);
      if (!a) return fail(a.error());
      auto b = ThrottleStore::record_failure(sql, kThrottleCodeAccount, account_bucket,
                                             kCodeAccountThrottle, now);
      if (!b) return fail(b.error());
      return audit(sql, account.id, "signin.failed", req, "{\"step\":\"second_factor\"}", now);
    });
    if (!st) return ctx.errors.error_response(req, st.error());
    view.set("error", text(ctx, req, "llave.code.failed"));
    return page(ctx, req, "codigo", view, "llave.code.title", 401);
  }
  {
    const Status st = ctx.db.transaction([&](soci::session& sql) {
      return ThrottleStore::clear(sql, kThrottleCodeAccount, account_bucket);
    });
    if (!st) return ctx.errors.error_response(req, st.error());
  }
  const std::string next = req.session.get(kPendingNext).value_or("/mi-llave");
  const bool reauth = req.session.get(kPendingReauth) == std::optional<std::string>("1");
  clear_pending(req);
  return finish(ctx, req, account, amr, next, reauth);
}

// POST /llave/salir
http::Response sign_out(const IdentityContext& ctx, http::Request& req) {
  if (auto st = end_login(req, ctx.db, ctx.now()); !st) {
    return ctx.errors.error_response(req, st.error());
  }
  return http::Response::redirect("/");
}

}  // namespace llave

Status register_sign_in_routes(http::Router& router, std::shared_ptr<const IdentityContext> ctx) {
  auto bind = [ctx](http::Response (*fn)(const IdentityContext&, http::Request&)) {
    return [ctx, fn](http::Request& req) { return fn(*ctx, req); };
  };
  router.get("/llave/entrar", bind(llave::sign_in_form));
  router.post("/llave/entrar", bind(llave::sign_in_submit));
  router.get("/llave/entrar/codigo", bind(llave::code_form));
  router.post("/llave/entrar/codigo", bind(llave::code_submit));
  router.post("/llave/salir", bind(llave::sign_out));
  router.get("/llave/registro", bind(llave::signup_form));
  router.post("/llave/registro", bind(llave::signup_submit));
  router.get("/llave/verificar-correo", bind(llave::verify_email));
  router.get("/llave/verificar-telefono", bind(llave::verify_phone_form));
  router.post("/llave/verificar-telefono", bind(llave::verify_phone_submit));
  router.get("/llave/recuperar", bind(llave::reset_form));
  router.post("/llave/recuperar", bind(llave::reset_submit));
  router.get("/llave/recuperar/codigo", bind(llave::reset_code_form));
  router.post("/llave/recuperar/codigo", bind(llave::reset_code_submit));
  router.get("/mi-llave/seguridad", bind(llave::security_page));
  router.post("/mi-llave/seguridad/contrasena", bind(llave::change_password));
  router.post("/mi-llave/seguridad/totp", bind(llave::totp_start));
  router.get("/mi-llave/seguridad/totp", bind(llave::totp_enrol_page));
  router.post("/mi-llave/seguridad/totp/confirmar", bind(llave::totp_confirm));
  router.post("/mi-llave/seguridad/totp/quitar", bind(llave::totp_remove));
  router.post("/mi-llave/seguridad/recuperacion", bind(llave::recovery_regenerate));
  router.post("/mi-llave/seguridad/sms", bind(llave::sms_switch));
  router.post("/mi-llave/seguridad/verificar-correo", bind(llave::resend_email_verification));
  return {};
}

}  // namespace zocalo::identity
