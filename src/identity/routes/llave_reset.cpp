// Password reset (/llave/recuperar, /llave/recuperar/codigo): an 8-digit code by e-mail or SMS,
// 15 minutes, 5 attempts (model/one_time_code.hpp), then a new password under the policy.
// Issue 3, item 3: the same answers whether or not the account exists. A reset ends every
// login of the account (whoever knew the old password is signed out everywhere).
#include <string>

#include "identity/model/one_time_code.hpp"
#include "identity/model/password_policy.hpp"
#include "identity/routes/llave_common.hpp"
#include "identity/routes/llave_pages.hpp"
#include "identity/store/account_store.hpp"
#include "identity/store/login_session_store.hpp"
#include "identity/store/one_time_code_store.hpp"
#include "identity/store/throttle_store.hpp"
#include "platform/notify/notifier.hpp"

namespace zocalo::identity::llave {
namespace {

// The identifier typed on the first page, so the second can show it filled in without putting
// it in a URL (and so in logs and browser history).
constexpr const char* kResetIdentifier = "llave.reset.identifier";

Result<std::optional<Account>> find_account(const IdentityContext& ctx, const Identifier& id) {
  if (id.normalised.empty()) return std::optional<Account>();
  AccountStore accounts(ctx.db);
  auto found =
      id.is_email ? accounts.find_by_email(id.normalised) : accounts.find_by_phone(id.normalised);
  if (!found) return fail(found.error());
  if (*found && (*found)->status != AccountStatus::kActive) return std::optional<Account>();
  return found;
}

http::Response code_page(const IdentityContext& ctx, http::Request& req, web::View& view,
                         int status) {
  return page(ctx, req, "recuperar_codigo", view, "llave.reset.code_title", status);
}

}  // namespace

// GET /llave/recuperar
http::Response reset_form(const IdentityContext& ctx, http::Request& req) {
  web::View view{web::View::type::object};
  return page(ctx, req, "recuperar", view, "llave.reset.title");
}

// POST /llave/recuperar (identificador)
http::Response reset_submit(const IdentityContext& ctx, http::Request& req) {
  const auto& form = req.form();
  if (!form) return ctx.errors.error_response(req, form.error());
  const std::string typed = field(*form, "identificador");
  web::View view{web::View::type::object};
  view.set("identificador", typed);
  if (typed.empty()) {
    view.set("error", text(ctx, req, "llave.signin.missing"));
    return page(ctx, req, "recuperar", view, "llave.reset.title", 400);
  }
  const std::string ip = client_ip(req);
  auto wait = throttle_wait(ctx, kThrottleSendIp, ip, kSendIpThrottle);
  if (!wait) return ctx.errors.error_response(req, wait.error());
  if (*wait > 0) return throttled(ctx, req, "recuperar", view, "llave.reset.title", *wait);

  const Identifier id = parse_identifier(typed);
  auto account = find_account(ctx, id);
  if (!account) return ctx.errors.error_response(req, account.error());
  const std::int64_t now = ctx.now();
  const Status st = ctx.db.transaction([&](soci::session& sql) -> Status {
    if (*account) {
      const Account& a = **account;
      auto code = OneTimeCodeStore::issue(sql, a.id, CodePurpose::kPasswordReset, now);
      if (!code) return fail(code.error());
      if (id.is_email) {
        notify::Email email;
        email.to = *a.email;
        email.to_name = a.given_name;
        email.subject = text(ctx, req, "llave.mail.reset.subject");
        email.text = fill(text(ctx, req, "llave.mail.reset.body"), "code", *code);
        auto job = notify::Notifier::email(sql, email);
        if (!job) return fail(job.error());
      } else {
        auto job = notify::Notifier::sms(
            sql, {*a.phone, fill(text(ctx, req, "llave.sms.reset"), "code", *code)});
        if (!job) return fail(job.error());
      }
    }
    auto sent = ThrottleStore::record_failure(sql, kThrottleSendIp, ip, kSendIpThrottle, now);
    if (!sent) return fail(sent.error());
    return {};
  });
  if (!st) return ctx.errors.error_response(req, st.error());
  req.session.set(kResetIdentifier, typed);
  return http::Response::redirect("/llave/recuperar/codigo");
}

// GET /llave/recuperar/codigo
http::Response reset_code_form(const IdentityContext& ctx, http::Request& req) {
  web::View view{web::View::type::object};
  view.set("identificador", req.session.get(kResetIdentifier).value_or(""));
  return code_page(ctx, req, view, 200);
}

// POST /llave/recuperar/codigo (identificador, codigo, password)
http::Response reset_code_submit(const IdentityContext& ctx, http::Request& req) {
  const auto& form = req.form();
  if (!form) return ctx.errors.error_response(req, form.error());
  const std::string typed = field(*form, "identificador");
  const std::string password = field(*form, "password", kMaxPasswordBytes);
  web::View view{web::View::type::object};
  view.set("identificador", typed);
  const std::string ip = client_ip(req);
  auto wait = throttle_wait(ctx, kThrottleCodeIp, ip, kCodeIpThrottle);
  if (!wait) return ctx.errors.error_response(req, wait.error());
  if (*wait > 0)
    return throttled(ctx, req, "recuperar_codigo", view, "llave.reset.code_title", *wait);

  const Identifier id = parse_identifier(typed);
  // The policy is checked against what the form shows (the identifier), never against the
  // account behind it, so its answer is the same whether or not there is one.
  PasswordContext context;
  if (id.is_email) {
    context.email = id.normalised;
  } else {
    context.phone = id.normalised;
  }
  if (auto policy = check_password(password, context); !policy) {
    view.set("password_error", error_text(ctx, req, policy.error().user_key));
    return code_page(ctx, req, view, 400);
  }
  const auto code = normalise_numeric_code(field(*form, "codigo", 64),
                                           rule_for(CodePurpose::kPasswordReset).digits);
  auto account = find_account(ctx, id);
  if (!account) return ctx.errors.error_response(req, account.error());
  // Argon2id either way: the time taken must not say whether the account exists.
  auto hash = ctx.hasher.hash(password);
  if (!hash) return ctx.errors.error_response(req, hash.error());
  const std::int64_t now = ctx.now();
  bool done = false;
  const Status st = ctx.db.transaction([&](soci::session& sql) -> Status {
    if (*account && code) {
      const long long account_id = (*account)->id;
      auto check =
          OneTimeCodeStore::check(sql, account_id, CodePurpose::kPasswordReset, *code, now);
      if (!check) return fail(check.error());
      if (*check == CodeCheck::kOk) {
        if (auto s = AccountStore::set_password_hash(sql, account_id, *hash, now); !s) return s;
        auto revoked = LoginSessionStore::revoke_all(sql, account_id, std::nullopt, now);
        if (!revoked) return fail(revoked.error());
        if (auto s = ThrottleStore::clear(sql, kThrottleAccount, id.bucket); !s) return s;
        if (auto s = audit(sql, account_id, "password.reset", req,
                           "{\"logins_ended\":" + std::to_string(*revoked) + "}", now);
            !s) {
          return s;
        }
        done = true;
        return {};
      }
    }
    auto failed = ThrottleStore::record_failure(sql, kThrottleCodeIp, ip, kCodeIpThrottle, now);
    if (!failed) return fail(failed.error());
    return {};
  });
  if (!st) return ctx.errors.error_response(req, st.error());
  if (!done) {
    view.set("error", text(ctx, req, "llave.code.failed"));
    return code_page(ctx, req, view, 400);
  }
  req.session.erase(kResetIdentifier);
  // This browser may have been signed in too; its login row is revoked, so forget it here.
  if (auto ended = end_login(req, ctx.db, now); !ended) {
    return ctx.errors.error_response(req, ended.error());
  }
  req.session.set("llave.flash", "password_reset");
  return http::Response::redirect(std::string(kSignInPath));
}

}  // namespace zocalo::identity::llave
