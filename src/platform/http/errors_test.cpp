#include "platform/http/errors.hpp"

#include <gtest/gtest.h>

#include <string>

namespace zocalo::http {
namespace {

TEST(StatusFor, MapsEveryErrorKind) {
  const std::pair<ErrorKind, int> table[] = {
      {ErrorKind::kInvalidInput, 400}, {ErrorKind::kUnauthorized, 401},
      {ErrorKind::kForbidden, 403},    {ErrorKind::kNotFound, 404},
      {ErrorKind::kConflict, 409},     {ErrorKind::kTooLarge, 413},
      {ErrorKind::kRateLimited, 429},  {ErrorKind::kUnavailable, 503},
      {ErrorKind::kInternal, 500},
  };
  for (const auto& [kind, status] : table) {
    EXPECT_EQ(status_for(kind), status) << status;
  }
}

TEST(ProblemJson, BuildsRfc9457Body) {
  Response r = problem_json(404, "No encontrado", "El folio no existe.", "/requests/Z-1");
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(r.headers.get("Content-Type"), "application/problem+json");
  EXPECT_EQ(r.body, R"({"type":"about:blank","title":"No encontrado","status":404,)"
                    R"("detail":"El folio no existe.","instance":"/requests/Z-1"})");
}

TEST(ProblemJson, LeavesOutEmptyOptionalMembers) {
  EXPECT_EQ(problem_json(429, "Too Many Requests").body,
            R"({"type":"about:blank","title":"Too Many Requests","status":429})");
}

TEST(ProblemJson, EscapesStrings) {
  Response r = problem_json(400, "a\"b\\c", "line\nbreak\t\x01", "/x?\"</script>");
  EXPECT_EQ(r.body, R"({"type":"about:blank","title":"a\"b\\c","status":400,)"
                    R"("detail":"line\nbreak\t\u0001","instance":"/x?\"</script>"})");
}

TEST(ProblemJson, InvalidUtf8BecomesReplacementCharacters) {
  Response r = problem_json(400, "caf\xE9");
  EXPECT_EQ(r.body, "{\"type\":\"about:blank\",\"title\":\"caf\xEF\xBF\xBD\",\"status\":400}");
}

// Response factories: the types problem_json and every handler build on.

TEST(Response, FactoriesSetContentTypeWithCharsetForText) {
  EXPECT_EQ(Response::html("<p>hola</p>").headers.get("Content-Type"), "text/html; charset=utf-8");
  EXPECT_EQ(Response::text("hola").headers.get("Content-Type"), "text/plain; charset=utf-8");
  EXPECT_EQ(Response::json("{}").headers.get("Content-Type"), "application/json");
  EXPECT_EQ(Response::with_type("text/csv", "a,b").headers.get("Content-Type"),
            "text/csv; charset=utf-8");
  EXPECT_EQ(Response::with_type("text/csv; charset=ISO-8859-1", "").headers.get("Content-Type"),
            "text/csv; charset=ISO-8859-1");
  EXPECT_EQ(Response::with_type("image/png", "").headers.get("Content-Type"), "image/png");
}

TEST(Response, FactoriesCarryBodyAndStatus) {
  Response r = Response::html("<p>x</p>", 422);
  EXPECT_EQ(r.status, 422);
  EXPECT_EQ(r.body, "<p>x</p>");
  EXPECT_TRUE(r.compressible);
  Response e = Response::empty(204);
  EXPECT_EQ(e.status, 204);
  EXPECT_TRUE(e.body.empty());
  EXPECT_TRUE(e.headers.fields().empty());
}

TEST(Response, RedirectIsSeeOtherWithLocation) {
  Response r = Response::redirect("/solicitudes/Z-1");
  EXPECT_EQ(r.status, 303);
  EXPECT_EQ(r.headers.get("Location"), "/solicitudes/Z-1");
  EXPECT_EQ(Response::redirect("/", 302).status, 302);
}

TEST(Response, RedirectLocationCannotInjectHeaders) {
  Response r = Response::redirect("/ok\r\nSet-Cookie: zs=evil");
  EXPECT_EQ(r.headers.fields().size(), 1u);
  EXPECT_EQ(r.headers.get("Location")->find('\r'), std::string_view::npos);
}

TEST(Response, SetCookieAddsOneFieldPerCookie) {
  Response r;
  r.set_cookie(Cookie{.name = "a", .value = "1"});
  r.set_cookie(Cookie{.name = "b", .value = "2"});
  ASSERT_EQ(r.headers.fields().size(), 2u);
  EXPECT_EQ(r.headers.fields()[1].second, "b=2; Path=/; HttpOnly; SameSite=Lax");
}

TEST(ReasonPhrase, KnowsCommonCodes) {
  const std::pair<int, std::string_view> table[] = {{200, "OK"},
                                                    {201, "Created"},
                                                    {204, "No Content"},
                                                    {303, "See Other"},
                                                    {304, "Not Modified"},
                                                    {400, "Bad Request"},
                                                    {401, "Unauthorized"},
                                                    {403, "Forbidden"},
                                                    {404, "Not Found"},
                                                    {405, "Method Not Allowed"},
                                                    {408, "Request Timeout"},
                                                    {409, "Conflict"},
                                                    {413, "Content Too Large"},
                                                    {422, "Unprocessable Content"},
                                                    {429, "Too Many Requests"},
                                                    {431, "Request Header Fields Too Large"},
                                                    {500, "Internal Server Error"},
                                                    {503, "Service Unavailable"}};
  for (const auto& [status, phrase] : table) EXPECT_EQ(reason_phrase(status), phrase) << status;
}

TEST(ReasonPhrase, UnknownCodeHasEmptyPhrase) {
  EXPECT_EQ(reason_phrase(599), "");
  EXPECT_EQ(reason_phrase(0), "");
  EXPECT_EQ(reason_phrase(-1), "");
}

}  // namespace
}  // namespace zocalo::http
