#pragma once
// Llave's sign-in pages, one handler per route, registered by register_sign_in_routes
// (sign_in_pages.cpp). Every handler runs on the worker pool (Argon2id and the database).
#include "identity/routes/identity_context.hpp"
#include "platform/http/request.hpp"
#include "platform/http/response.hpp"

namespace zocalo::identity::llave {

// llave_signup.cpp: sign-up and proving the contact.
http::Response signup_form(const IdentityContext& ctx, http::Request& req);
http::Response signup_submit(const IdentityContext& ctx, http::Request& req);
http::Response verify_email(const IdentityContext& ctx, http::Request& req);
http::Response verify_phone_form(const IdentityContext& ctx, http::Request& req);
http::Response verify_phone_submit(const IdentityContext& ctx, http::Request& req);

// llave_reset.cpp: password reset by a code.
http::Response reset_form(const IdentityContext& ctx, http::Request& req);
http::Response reset_submit(const IdentityContext& ctx, http::Request& req);
http::Response reset_code_form(const IdentityContext& ctx, http::Request& req);
http::Response reset_code_submit(const IdentityContext& ctx, http::Request& req);

// llave_security.cpp: /mi-llave/seguridad.
http::Response security_page(const IdentityContext& ctx, http::Request& req);
http::Response change_password(const IdentityContext& ctx, http::Request& req);
http::Response totp_start(const IdentityContext& ctx, http::Request& req);
http::Response totp_enrol_page(const IdentityContext& ctx, http::Request& req);
http::Response totp_confirm(const IdentityContext& ctx, http::Request& req);
http::Response totp_remove(const IdentityContext& ctx, http::Request& req);
http::Response recovery_regenerate(const IdentityContext& ctx, http::Request& req);
http::Response sms_switch(const IdentityContext& ctx, http::Request& req);
http::Response resend_email_verification(const IdentityContext& ctx, http::Request& req);

}  // namespace zocalo::identity::llave
