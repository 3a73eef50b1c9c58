#include "platform/web/error_pages.hpp"

#include <array>
#include <exception>

#include "platform/core/log.hpp"
#include "platform/http/errors.hpp"
#include "platform/web/locale.hpp"

namespace zocalo::web {
namespace {

constexpr std::array kPagedStatuses{400, 401, 403, 404, 405, 408, 409,
                                    413, 422, 429, 431, 500, 503};

// Statuses without a page of their own borrow their class's generic one.
int page_status(int status) {
  for (const int s : kPagedStatuses) {
    if (s == status) return s;
  }
  return status >= 500 ? 500 : 400;
}

// The last resort when rendering itself failed (out of memory, a broken template): fixed,
// bilingual, tiny, and still a valid page.
http::Response bare_page(int status) noexcept {
  try {
    http::Response res = http::Response::html(
        "<!doctype html><html lang=\"es-MX\"><head><meta charset=\"utf-8\">"
        "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">"
        "<title>Error " +
            std::to_string(status) +
            "</title></head><body><main>"
            "<h1>Error " +
            std::to_string(status) +
            "</h1>"
            "<p>Algo salió mal. <span lang=\"en\">Something went wrong.</span></p>"
            "<p><a href=\"/\">Inicio / <span lang=\"en\">Home</span></a></p></main></body></html>",
        status);
    return res;
  } catch (...) {
    http::Response res;
    res.status = status;
    return res;
  }
}

}  // namespace

http::Response ErrorPages::build(http::Request& req, int status,
                                 std::string_view detail_key) const {
  // Answers made before routing never went through the locale middleware, so choose here;
  // for routed requests this gives the same answer the middleware gave.
  req.locale = locale_for(req, renderer_.locales());
  const int shown = page_status(status);
  const std::string key = "error." + std::to_string(shown);
  const std::string_view title = renderer_.text(req.locale, key + ".title");
  const std::string_view body = renderer_.text(req.locale, key + ".body");
  const auto detail =
      detail_key.empty() ? std::nullopt : renderer_.find_text(req.locale, detail_key);

  http::Response res;
  if (req.wants_json()) {
    res = http::problem_json(status, title, detail.value_or(body));
    res.headers.set("Content-Language", req.locale);
  } else {
    View view{View::type::object};
    view.set("status", std::to_string(status));
    view.set("title", std::string(title));
    view.set("body", std::string(body));
    if (detail && *detail != body) view.set("detail", std::string(*detail));
    if (!req.request_id.empty()) view.set("request_id", req.request_id);
    res = renderer_.render_page(req, "errors/error", view,
                                {.title = std::string(title), .status = status});
  }
  if (status == 405) {
    if (const auto allow = req.header("Allow")) res.headers.set("Allow", std::string(*allow));
  }
  // Error answers are about this request only; never let a cache keep them.
  res.headers.set("Cache-Control", "no-store");
  return res;
}

http::Response ErrorPages::page(http::Request& req, int status) const noexcept {
  try {
    return build(req, status, {});
  } catch (const std::exception& e) {
    log::error("web.error_page_failed", {{"status", status}, {"what", e.what()}});
  } catch (...) {
    log::error("web.error_page_failed", {{"status", status}});
  }
  return bare_page(status);
}

http::Response ErrorPages::error_response(http::Request& req, const Error& error) const noexcept {
  const int status = http::status_for(error.kind);
  try {
    if (status >= 500) {
      log::error("http.error", {{"request_id", req.request_id},
                                {"route", req.route_name},
                                {"status", status},
                                {"detail", error.detail}});
    } else {
      log::debug("http.error", {{"request_id", req.request_id},
                                {"route", req.route_name},
                                {"status", status},
                                {"detail", error.detail}});
    }
    return build(req, status, error.user_key);
  } catch (const std::exception& e) {
    log::error("web.error_page_failed", {{"status", status}, {"what", e.what()}});
  } catch (...) {
    log::error("web.error_page_failed", {{"status", status}});
  }
  return bare_page(status);
}

http::ErrorRenderer ErrorPages::renderer() const {
  return [this](http::Request& req, int status) { return page(req, status); };
}

std::function<http::Response(http::Request&, int, const std::string&)> ErrorPages::fallback()
    const {
  return [this](http::Request& req, int status, const std::string& allow) {
    http::Response res = page(req, status);
    if (status == 405 && !allow.empty()) res.headers.set("Allow", allow);
    return res;
  };
}

}  // namespace zocalo::web
