#include <charconv>

#include "platform/core/time.hpp"
#include "platform/notify/notifier.hpp"
#include "portal/model/feedback.hpp"
#include "portal/routes/pages.hpp"
#include "portal/store/feedback_store.hpp"

namespace zocalo::portal {
namespace {

constexpr const char* kFlashKey = "flash";
constexpr const char* kFlashSent = "feedback.sent";

http::Response form_page(const PortalContext& ctx, http::Request& req, std::string_view message,
                         std::string_view page, std::string_view error_key, int status) {
  web::View view{web::View::type::object};
  view.set("csrf", req.csrf_token);
  view.set("page", std::string(page));
  view.set("message", std::string(message));
  if (!error_key.empty()) view.set("error", std::string(ctx.renderer.text(req.locale, error_key)));
  return ctx.renderer.render_page(req, "portal/feedback", view,
                                  {.title_key = "portal.feedback.title", .status = status});
}

std::string with_id(std::string_view text, long long id) {
  std::string out(text);
  if (const auto at = out.find("{{id}}"); at != std::string::npos)
    out.replace(at, 6, std::to_string(id));
  return out;
}

// The row and its notifications commit together (outbox): if the resident saw "thank you",
// the city team's inbox message and e-mail are queued, and survive a crash.
Result<long long> submit(const PortalContext& ctx, const Feedback& feedback,
                         const std::string& locale) {
  long long id = 0;
  const Status saved = ctx.db.transaction([&](soci::session& sql) -> Status {
    id = FeedbackStore::add(sql, feedback, locale, time::now_unix());
    const std::string title = with_id(ctx.renderer.text("es-MX", "portal.feedback.subject"), id);
    std::string body = feedback.message;
    if (!feedback.page.empty()) body += "\n\n(" + feedback.page + ")";
    if (auto queued = notify::Notifier::inbox(sql, {"team:feedback", title, body, ""}); !queued) {
      return fail(queued.error());
    }
    if (!ctx.options.feedback_email.empty()) {
      auto queued = notify::Notifier::email(sql, {ctx.options.feedback_email, "", title, body});
      if (!queued) return fail(queued.error());
    }
    return {};
  });
  if (!saved) return fail(saved.error());
  return id;
}

}  // namespace

// GET /opinion?desde=/alcaldias
http::Response feedback_form(const PortalContext& ctx, http::Request& req) {
  const auto& query = req.query();
  if (!query) return ctx.errors.error_response(req, query.error());
  return form_page(ctx, req, "", query->get_or("desde", ""), "", 200);
}

// POST /opinion
http::Response feedback_submit(const PortalContext& ctx, http::Request& req) {
  const auto& form = req.form();
  if (!form) return ctx.errors.error_response(req, form.error());
  const std::string_view message = form->get_or("message", "");
  const std::string_view page = form->get_or("page", "");
  auto feedback = make_feedback(message, page);
  if (!feedback) return form_page(ctx, req, message, page, feedback.error().user_key, 400);
  auto id = submit(ctx, *feedback, req.locale);
  if (!id) return ctx.errors.error_response(req, id.error());
  req.session.set(kFlashKey, kFlashSent);
  return http::Response::redirect("/opinion/gracias/" + std::to_string(*id));
}

// GET /opinion/gracias/{id}
http::Response feedback_thanks(const PortalContext& ctx, http::Request& req) {
  const std::string& text = req.params["id"];
  long long id = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
  if (ec != std::errc() || end != text.data() + text.size() || id <= 0) {
    return ctx.errors.page(req, 404);
  }
  auto found = FeedbackStore(ctx.db).find(id);
  if (!found) return ctx.errors.error_response(req, found.error());
  if (!found->has_value()) return ctx.errors.page(req, 404);
  web::View view{web::View::type::object};
  view.set("id", std::to_string(id));
  // The thank-you note shows once, right after sending, on whichever node answers.
  if (req.session.get(kFlashKey) == std::optional<std::string>(kFlashSent)) {
    req.session.erase(kFlashKey);
    view.set("just_sent", true);
  }
  return ctx.renderer.render_page(req, "portal/feedback_thanks", view,
                                  {.title_key = "portal.feedback.reference_title"});
}

}  // namespace zocalo::portal
