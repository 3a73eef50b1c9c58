// Sign-up (/llave/registro) and proving the contact (/llave/verificar-correo,
// /llave/verificar-telefono). Issue 3, item 1.
//
// No enumeration: when the e-mail, phone or CURP already belongs to an account the page answers
// exactly as for a new account ("check your e-mail/phone"), and the owner gets a notice instead
// of a verification message, so only the owner learns that someone tried.
#include <array>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <charconv>
#include <string>
#include <vector>

#include "identity/model/curp.hpp"
#include "identity/model/one_time_code.hpp"
#include "identity/model/password_policy.hpp"
#include "identity/routes/llave_common.hpp"
#include "identity/routes/llave_pages.hpp"
#include "identity/store/account_store.hpp"
#include "identity/store/one_time_code_store.hpp"
#include "identity/store/throttle_store.hpp"
#include "platform/core/utf8.hpp"
#include "platform/notify/notifier.hpp"

namespace zocalo::identity::llave {
namespace {

constexpr std::size_t kMaxAddressChars = 500;

struct SignupForm {
  std::string correo, telefono, curp, nombre, apellidos, nacimiento, domicilio, password;
};

SignupForm read_form(const http::FormData& form) {
  SignupForm f;
  f.correo = field(form, "correo");
  f.telefono = field(form, "telefono", 40);
  f.curp = field(form, "curp", 40);
  f.nombre = field(form, "nombre", 200);
  f.apellidos = field(form, "apellidos", 200);
  f.nacimiento = field(form, "nacimiento", 20);
  f.domicilio = field(form, "domicilio", kMaxAddressChars * 4);
  f.password = field(form, "password", kMaxPasswordBytes);
  return f;
}

web::View form_view(const SignupForm& f) {
  web::View view{web::View::type::object};
  view.set("correo", f.correo);
  view.set("telefono", f.telefono);
  view.set("curp", f.curp);
  view.set("nombre", f.nombre);
  view.set("apellidos", f.apellidos);
  view.set("nacimiento", f.nacimiento);
  view.set("domicilio", f.domicilio);
  return view;
}

// "1990-05-17" -> {1990, 5, 17}.
std::optional<std::array<int, 3>> parse_date(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  std::array<int, 3> out{};
  const std::array<std::pair<std::size_t, std::size_t>, 3> parts{{{0, 4}, {5, 2}, {8, 2}}};
  for (std::size_t i = 0; i < 3; ++i) {
    const auto [at, len] = parts[i];
    const char* begin = text.data() + at;
    const auto [end, ec] = std::from_chars(begin, begin + len, out[i]);
    if (ec != std::errc() || end != begin + len) return std::nullopt;
  }
  return out;
}

std::vector<std::string_view> split_names(std::string_view a, std::string_view b) {
  std::vector<std::string_view> out;
  for (std::string_view s : {a, b}) {
    std::size_t start = 0;
    for (std::size_t i = 0; i <= s.size(); ++i) {
      if (i == s.size() || s[i] == ' ' || s[i] == '-') {
        if (i > start) out.push_back(s.substr(start, i - start));
        start = i + 1;
      }
    }
  }
  return out;
}

struct FieldError {
  std::string field;
  std::string message;
};

// Validates everything the page can check before hashing; fills `account` when valid.
std::vector<FieldError> validate(const IdentityContext& ctx, const http::Request& req,
                                 const SignupForm& f, NewAccount& account) {
  std::vector<FieldError> errors;
  auto add = [&](std::string field_name, std::string_view key) {
    errors.push_back({std::move(field_name), error_text(ctx, req, key)});
  };
  if (f.correo.empty() && f.telefono.empty()) add("correo", "identity.account.contact_required");
  if (!f.correo.empty()) {
    if (auto e = normalize_email(f.correo)) {
      account.email = *e;
    } else {
      add("correo", e.error().user_key);
    }
  }
  if (!f.telefono.empty()) {
    if (auto p = normalize_phone(f.telefono)) {
      account.phone = *p;
    } else {
      add("telefono", p.error().user_key);
    }
  }
  if (f.nombre.empty()) add("nombre", "identity.account.name_required");
  if (f.apellidos.empty()) add("apellidos", "identity.account.name_required");
  account.given_name = f.nombre;
  account.family_name = f.apellidos;
  const auto date = parse_date(f.nacimiento);
  if (!date) add("nacimiento", "identity.account.birth_date");
  auto curp = parse_curp(f.curp);
  if (!curp) {
    add("curp", curp.error().user_key);
  } else {
    account.curp = curp->value;
    if (date) {
      if (auto st = check_birth_date(*curp, (*date)[0], static_cast<unsigned>((*date)[1]),
                                     static_cast<unsigned>((*date)[2]));
          !st) {
        add("nacimiento", st.error().user_key);
      }
    }
  }
  if (date) account.birth_date = f.nacimiento;
  if (!f.domicilio.empty()) {
    if (utf8::count_code_points(f.domicilio) > kMaxAddressChars) {
      add("domicilio", "identity.account.address_too_long");
    } else {
      boost::json::object address;
      address["formatted"] = f.domicilio;
      account.address = boost::json::serialize(address);
    }
  }
  const auto names = split_names(f.nombre, f.apellidos);
  PasswordContext context;
  context.email = account.email ? std::string_view(*account.email) : std::string_view();
  context.phone = account.phone ? std::string_view(*account.phone) : std::string_view();
  context.curp = account.curp ? std::string_view(*account.curp) : std::string_view();
  context.names = names;
  if (auto st = check_password(f.password, context); !st) add("password", st.error().user_key);
  return errors;
}

http::Response signup_page(const IdentityContext& ctx, http::Request& req, web::View& view,
                           int status) {
  return page(ctx, req, "registro", view, "llave.signup.title", status);
}

http::Response sent_page(const IdentityContext& ctx, http::Request& req, const NewAccount& a) {
  web::View view{web::View::type::object};
  if (a.email) view.set("email", true);
  if (a.phone) {
    view.set("phone", true);
    view.set("telefono", *a.phone);
  }
  return page(ctx, req, "registro_enviado", view, "llave.signup.sent_title");
}

// Tells the owners of whatever collided that someone tried to sign up with it.
Status notify_owners(const IdentityContext& ctx, http::Request& req, const NewAccount& a,
                     std::int64_t now) {
  AccountStore accounts(ctx.db);
  std::vector<Account> owners;
  auto add_owner = [&](Result<std::optional<Account>> found) -> Status {
    if (!found) return fail(found.error());
    if (!*found) return {};
    for (const auto& o : owners) {
      if (o.id == (*found)->id) return {};
    }
    owners.push_back(std::move(**found));
    return {};
  };
  if (a.email) {
    if (auto st = add_owner(accounts.find_by_email(*a.email)); !st) return st;
  }
  if (a.phone) {
    if (auto st = add_owner(accounts.find_by_phone(*a.phone)); !st) return st;
  }
  if (a.curp) {
    if (auto st = add_owner(accounts.find_by_curp(*a.curp)); !st) return st;
  }
  return ctx.db.transaction([&](soci::session& sql) -> Status {
    for (const auto& owner : owners) {
      if (owner.email) {
        notify::Email email;
        email.to = *owner.email;
        email.to_name = owner.given_name;
        email.subject = text(ctx, req, "llave.mail.exists.subject");
        email.text = fill(text(ctx, req, "llave.mail.exists.body"), "link",
                          ctx.options.issuer + "/llave/recuperar");
        auto job = notify::Notifier::email(sql, email);
        if (!job) return fail(job.error());
      } else if (owner.phone) {
        auto job = notify::Notifier::sms(sql, {*owner.phone, text(ctx, req, "llave.sms.exists")});
        if (!job) return fail(job.error());
      }
      if (auto st = audit(sql, owner.id, "signup.collision", req, "{}", now); !st) return st;
    }
    auto sent =
        ThrottleStore::record_failure(sql, kThrottleSendIp, client_ip(req), kSendIpThrottle, now);
    if (!sent) return fail(sent.error());
    return {};
  });
}

}  // namespace

// GET /llave/registro
http::Response signup_form(const IdentityContext& ctx, http::Request& req) {
  web::View view = form_view({});
  return signup_page(ctx, req, view, 200);
}

// POST /llave/registro
http::Response signup_submit(const IdentityContext& ctx, http::Request& req) {
  const auto& form = req.form();
  if (!form) return ctx.errors.error_response(req, form.error());
  const SignupForm f = read_form(*form);
  web::View view = form_view(f);
  const std::string ip = client_ip(req);
  auto wait = throttle_wait(ctx, kThrottleSendIp, ip, kSendIpThrottle);
  if (!wait) return ctx.errors.error_response(req, wait.error());
  if (*wait > 0) return throttled(ctx, req, "registro", view, "llave.signup.title", *wait);

  NewAccount account;
  const auto errors = validate(ctx, req, f, account);
  if (!errors.empty()) {
    web::View list{web::View::type::list};
    for (const auto& e : errors) {
      web::View item{web::View::type::object};
      item.set("field", e.field);
      item.set("message", e.message);
      list.push_back(item);
      if (!view.get(e.field + "_error")) view.set(e.field + "_error", e.message);
    }
    view.set("errors", list);
    view.set("has_errors", true);
    return signup_page(ctx, req, view, 400);
  }
  auto hash = ctx.hasher.hash(f.password);
  if (!hash) return ctx.errors.error_response(req, hash.error());
  account.password_hash = std::move(*hash);

  const std::int64_t now = ctx.now();
  const Status created = ctx.db.transaction([&](soci::session& sql) -> Status {
    auto made = AccountStore::create(sql, account, now);
    if (!made) return fail(made.error());
    const std::string channel = made->email ? "email" : "phone";
    if (auto st = audit(sql, made->id, "signup", req, "{\"channel\":\"" + channel + "\"}", now);
        !st) {
      return st;
    }
    if (auto st = send_email_verification(ctx, sql, *made, req.locale, now); !st) return st;
    if (auto st = send_phone_verification(ctx, sql, *made, req.locale, now); !st) return st;
    auto sent = ThrottleStore::record_failure(sql, kThrottleSendIp, ip, kSendIpThrottle, now);
    if (!sent) return fail(sent.error());
    return {};
  });
  if (!created) {
    if (created.error().user_key == "identity.account.exists") {
      if (auto st = notify_owners(ctx, req, account, now); !st) {
        return ctx.errors.error_response(req, st.error());
      }
      return sent_page(ctx, req, account);
    }
    if (created.error().kind == ErrorKind::kInvalidInput) {
      view.set("errors_generic", error_text(ctx, req, created.error().user_key));
      return signup_page(ctx, req, view, 400);
    }
    return ctx.errors.error_response(req, created.error());
  }
  return sent_page(ctx, req, account);
}

// GET /llave/verificar-correo?token=...
http::Response verify_email(const IdentityContext& ctx, http::Request& req) {
  const auto& query = req.query();
  if (!query) return ctx.errors.error_response(req, query.error());
  const std::string token(query->get_or("token", "").substr(0, 100));
  const std::int64_t now = ctx.now();
  bool verified = false;
  const Status st = ctx.db.transaction([&](soci::session& sql) -> Status {
    auto account_id = OneTimeCodeStore::use_link(sql, CodePurpose::kEmailVerify, token, now);
    if (!account_id) return fail(account_id.error());
    if (!*account_id) return {};
    auto before = AccountStore::find_by_id(sql, **account_id);
    if (!before) return fail(before.error());
    if (!*before || !(*before)->email) return {};
    if (auto s = AccountStore::set_email_verified(sql, **account_id, now); !s) return s;
    if (auto s = audit(sql, **account_id, "email.verified", req, "{}", now); !s) return s;
    if ((*before)->loa == LevelOfAssurance::kUnverified) {
      if (auto s = audit(sql, **account_id, "loa.raised", req, "{\"loa\":1}", now); !s) return s;
    }
    verified = true;
    return {};
  });
  if (!st) return ctx.errors.error_response(req, st.error());
  web::View view{web::View::type::object};
  if (verified) view.set("verified", true);
  return page(ctx, req, "verificar_correo", view, "llave.verify_email.title", verified ? 200 : 400);
}

// GET /llave/verificar-telefono?telefono=...
http::Response verify_phone_form(const IdentityContext& ctx, http::Request& req) {
  const auto& query = req.query();
  if (!query) return ctx.errors.error_response(req, query.error());
  web::View view{web::View::type::object};
  view.set("telefono", std::string(query->get_or("telefono", "").substr(0, 40)));
  return page(ctx, req, "verificar_telefono", view, "llave.verify_phone.title");
}

// POST /llave/verificar-telefono (telefono, codigo; or accion=reenviar)
http::Response verify_phone_submit(const IdentityContext& ctx, http::Request& req) {
  const auto& form = req.form();
  if (!form) return ctx.errors.error_response(req, form.error());
  const std::string typed_phone = field(*form, "telefono", 40);
  web::View view{web::View::type::object};
  view.set("telefono", typed_phone);
  const std::string ip = client_ip(req);
  const std::int64_t now = ctx.now();
  std::optional<Account> account;
  if (auto phone = normalize_phone(typed_phone)) {
    auto found = AccountStore(ctx.db).find_by_phone(*phone);
    if (!found) return ctx.errors.error_response(req, found.error());
    account = std::move(*found);
  }

  if (form->get_or("accion", "") == "reenviar") {
    auto wait = throttle_wait(ctx, kThrottleSendIp, ip, kSendIpThrottle);
    if (!wait) return ctx.errors.error_response(req, wait.error());
    if (*wait > 0) {
      return throttled(ctx, req, "verificar_telefono", view, "llave.verify_phone.title", *wait);
    }
    const Status st = ctx.db.transaction([&](soci::session& sql) -> Status {
      if (account && !account->phone_verified_at) {
        if (auto s = send_phone_verification(ctx, sql, *account, req.locale, now); !s) return s;
      }
      auto sent = ThrottleStore::record_failure(sql, kThrottleSendIp, ip, kSendIpThrottle, now);
      if (!sent) return fail(sent.error());
      return {};
    });
    if (!st) return ctx.errors.error_response(req, st.error());
    view.set("notice", text(ctx, req, "llave.verify_phone.resent"));
    return page(ctx, req, "verificar_telefono", view, "llave.verify_phone.title");
  }

  auto wait = throttle_wait(ctx, kThrottleCodeIp, ip, kCodeIpThrottle);
  if (!wait) return ctx.errors.error_response(req, wait.error());
  if (*wait > 0) {
    return throttled(ctx, req, "verificar_telefono", view, "llave.verify_phone.title", *wait);
  }
  const auto code = normalise_numeric_code(field(*form, "codigo", 64), 6);
  bool verified = false;
  const Status st = ctx.db.transaction([&](soci::session& sql) -> Status {
    if (account && code) {
      auto check = OneTimeCodeStore::check(sql, account->id, CodePurpose::kPhoneVerify, *code, now);
      if (!check) return fail(check.error());
      if (*check == CodeCheck::kOk) {
        if (auto s = AccountStore::set_phone_verified(sql, account->id, now); !s) return s;
        if (auto s = audit(sql, account->id, "phone.verified", req, "{}", now); !s) return s;
        if (account->loa == LevelOfAssurance::kUnverified) {
          if (auto s = audit(sql, account->id, "loa.raised", req, "{\"loa\":1}", now); !s) {
            return s;
          }
        }
        verified = true;
        return {};
      }
    }
    auto failed = ThrottleStore::record_failure(sql, kThrottleCodeIp, ip, kCodeIpThrottle, now);
    if (!failed) return fail(failed.error());
    return {};
  });
  if (!st) return ctx.errors.error_response(req, st.error());
  if (!verified) {
    view.set("error", text(ctx, req, "llave.code.failed"));
    return page(ctx, req, "verificar_telefono", view, "llave.verify_phone.title", 400);
  }
  view.set("verified", true);
  return page(ctx, req, "verificar_telefono", view, "llave.verify_phone.title");
}

}  // namespace zocalo::identity::llave
