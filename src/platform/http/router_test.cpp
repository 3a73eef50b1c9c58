#include "platform/http/router.hpp"

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>
#include <vector>

namespace zocalo::http {
namespace {

Handler reply(std::string text) {
  return [text = std::move(text)](Request&) { return Response::text(text); };
}

Request make_request(Method m, std::string target) {
  Request req;
  req.method = m;
  req.target = std::move(target);
  req.path = req.target.substr(0, req.target.find('?'));
  return req;
}

class RouterTest : public ::testing::Test {
 protected:
  Response run(Method m, std::string target) {
    Request req = make_request(m, std::move(target));
    Response res = router_.dispatch(req);
    last_ = req.route_name;
    params_ = req.params;
    return res;
  }
  Router router_;
  std::string last_;
  std::map<std::string, std::string> params_;
};

TEST_F(RouterTest, LiteralRouteMatchesOnlyItsPath) {
  router_.get("/servicios", reply("list"));
  router_.finalize();
  EXPECT_EQ(run(Method::kGet, "/servicios").body, "list");
  EXPECT_EQ(run(Method::kGet, "/servicios?q=agua").body, "list");
  EXPECT_EQ(run(Method::kGet, "/servicios/").status, 404);
  EXPECT_EQ(run(Method::kGet, "/servicio").status, 404);
  EXPECT_EQ(last_, "<404>");
}

TEST_F(RouterTest, RootPathIsItsOwnRoute) {
  router_.get("/", reply("home"));
  router_.finalize();
  EXPECT_EQ(run(Method::kGet, "/").body, "home");
  EXPECT_EQ(run(Method::kGet, "/x").status, 404);
}

TEST_F(RouterTest, NamedSegmentCapturesOneSegment) {
  router_.get("/requests/{id}", reply("one"));
  router_.finalize();
  EXPECT_EQ(run(Method::kGet, "/requests/42").body, "one");
  EXPECT_EQ(params_.at("id"), "42");
  EXPECT_EQ(last_, "/requests/{id}");
  EXPECT_EQ(run(Method::kGet, "/requests/42/extra").status, 404);
  EXPECT_EQ(run(Method::kGet, "/requests/").status, 404) << "an empty segment is not a value";
}

TEST_F(RouterTest, ParamsArePercentDecodedAndEncodedSlashStaysInside) {
  router_.get("/tags/{tag}", reply("tag"));
  router_.finalize();
  EXPECT_EQ(run(Method::kGet, "/tags/agua%20potable").status, 200);
  EXPECT_EQ(params_.at("tag"), "agua potable");
  EXPECT_EQ(run(Method::kGet, "/tags/a%2Fb").status, 200);
  EXPECT_EQ(params_.at("tag"), "a/b");
  EXPECT_EQ(run(Method::kGet, "/tags/%C3%B1").status, 200);
  EXPECT_EQ(params_.at("tag"), "\xC3\xB1");
  EXPECT_EQ(run(Method::kGet, "/tags/%FF").status, 404) << "invalid UTF-8 never reaches a handler";
  EXPECT_EQ(run(Method::kGet, "/tags/%zz").status, 404);
}

TEST_F(RouterTest, ParametersInsideASegmentSplitAtTheLastSeparator) {
  router_.get("/open311/v2/services/{code}.{fmt}", reply("svc"));
  router_.finalize();
  EXPECT_EQ(run(Method::kGet, "/open311/v2/services/bache.json").status, 200);
  EXPECT_EQ(params_.at("code"), "bache");
  EXPECT_EQ(params_.at("fmt"), "json");
  EXPECT_EQ(run(Method::kGet, "/open311/v2/services/a.b.xml").status, 200);
  EXPECT_EQ(params_.at("code"), "a.b");
  EXPECT_EQ(params_.at("fmt"), "xml");
  EXPECT_EQ(run(Method::kGet, "/open311/v2/services/nodot").status, 404);
  EXPECT_EQ(run(Method::kGet, "/open311/v2/services/.json").status, 404);
  EXPECT_EQ(run(Method::kGet, "/open311/v2/services/x.").status, 404);
}

TEST_F(RouterTest, SegmentWithLiteralPrefixAndSuffix) {
  router_.get("/files/v{major}-{minor}.tar.gz", reply("f"));
  router_.finalize();
  EXPECT_EQ(run(Method::kGet, "/files/v1-2.tar.gz").status, 200);
  EXPECT_EQ(params_.at("major"), "1");
  EXPECT_EQ(params_.at("minor"), "2");
  EXPECT_EQ(run(Method::kGet, "/files/1-2.tar.gz").status, 404);
  EXPECT_EQ(run(Method::kGet, "/files/v1-2.zip").status, 404);
}

TEST_F(RouterTest, TrailingWildcardTakesTheRestOfThePath) {
  router_.get("/static/{path*}", reply("static"));
  router_.finalize();
  EXPECT_EQ(run(Method::kGet, "/static/css/site.css").status, 200);
  EXPECT_EQ(params_.at("path"), "css/site.css");
  EXPECT_EQ(run(Method::kGet, "/static/a%20b/c").status, 200);
  EXPECT_EQ(params_.at("path"), "a b/c");
  EXPECT_EQ(run(Method::kGet, "/static").status, 404);
}

TEST_F(RouterTest, LiteralBeatsParameterBeatsWildcard) {
  router_.get("/requests/new", reply("literal"));
  router_.get("/requests/{id}", reply("param"));
  router_.get("/requests/{rest*}", reply("wild"));
  router_.finalize();
  EXPECT_EQ(run(Method::kGet, "/requests/new").body, "literal");
  EXPECT_EQ(run(Method::kGet, "/requests/7").body, "param");
  EXPECT_EQ(run(Method::kGet, "/requests/7/photos").body, "wild");
}

TEST_F(RouterTest, SearchBacktracksWhenTheLiteralBranchDeadEnds) {
  router_.get("/a/b/c", reply("abc"));
  router_.get("/a/{x}/d", reply("axd"));
  router_.finalize();
  EXPECT_EQ(run(Method::kGet, "/a/b/d").body, "axd");
  EXPECT_EQ(params_.at("x"), "b");
}

TEST_F(RouterTest, MethodPicksAmongRoutesOfOnePath) {
  router_.get("/x/{id}", reply("get-param"));
  router_.post("/x/new", reply("post-literal"));
  router_.finalize();
  EXPECT_EQ(run(Method::kPost, "/x/new").body, "post-literal");
  EXPECT_EQ(run(Method::kGet, "/x/new").body, "get-param")
      << "a literal node without GET must not hide the parameter route that has it";
}

TEST_F(RouterTest, GetRoutesAnswerHead) {
  router_.get("/page", reply("page"));
  router_.finalize();
  const Match m = router_.match(Method::kHead, "/page");
  ASSERT_NE(m.route, nullptr);
  EXPECT_EQ(m.route->method, Method::kGet);
  EXPECT_EQ(run(Method::kHead, "/page").status, 200);
}

TEST_F(RouterTest, ExplicitHeadRouteWinsOverGet) {
  router_.get("/page", reply("get"));
  router_.add(Method::kHead, "/page", reply("head"));
  router_.finalize();
  EXPECT_EQ(run(Method::kHead, "/page").body, "head");
}

TEST_F(RouterTest, WrongMethodAnswers405WithAllow) {
  router_.get("/forms", reply("g"));
  router_.post("/forms", reply("p"));
  router_.del("/forms", reply("d"));
  router_.finalize();
  const Match m = router_.match(Method::kPut, "/forms");
  EXPECT_EQ(m.route, nullptr);
  EXPECT_EQ(m.allow, "GET, HEAD, POST, DELETE");
  const Response res = run(Method::kPut, "/forms");
  EXPECT_EQ(res.status, 405);
  EXPECT_EQ(res.headers.get("Allow").value_or(""), "GET, HEAD, POST, DELETE");
  EXPECT_EQ(last_, "<405>");
}

TEST_F(RouterTest, AllowCollectsEveryRouteMatchingThePath) {
  router_.get("/x/{id}", reply("g"));
  router_.post("/x/new", reply("p"));
  router_.finalize();
  EXPECT_EQ(router_.match(Method::kDelete, "/x/new").allow, "GET, HEAD, POST");
}

TEST_F(RouterTest, FallbackRendersNotFoundAndMethodNotAllowed) {
  std::vector<int> seen;
  router_.get("/only-get", reply("g"));
  router_.set_fallback([&seen](Request&, int status, const std::string& allow) {
    seen.push_back(status);
    Response r = Response::html("<h1>" + std::to_string(status) + "</h1>", status);
    if (status == 405) {
      EXPECT_EQ(allow, "GET, HEAD");
    }
    return r;
  });
  router_.finalize();
  EXPECT_EQ(run(Method::kGet, "/nope").body, "<h1>404</h1>");
  const Response res = run(Method::kPost, "/only-get");
  EXPECT_EQ(res.body, "<h1>405</h1>");
  EXPECT_EQ(res.headers.get("Allow").value_or(""), "GET, HEAD")
      << "the router adds Allow when the fallback forgets it (RFC 9110 §15.5.6)";
  EXPECT_EQ(seen, (std::vector<int>{404, 405}));
}

TEST_F(RouterTest, ClientSentAllowHeaderDoesNotLeakInto404) {
  router_.get("/a", reply("a"));
  std::string allow_seen = "unset";
  router_.set_fallback([&](Request&, int status, const std::string& allow) {
    allow_seen = allow;
    return Response::text("x", status);
  });
  router_.finalize();
  Request req = make_request(Method::kGet, "/b");
  req.headers.set("Allow", "FORGED");
  EXPECT_EQ(router_.dispatch(req).status, 404);
  EXPECT_EQ(allow_seen, "");
}

TEST_F(RouterTest, MiddlewareWrapsRoutesAndFallbacksInOrder) {
  std::vector<std::string> trace;
  auto tag = [&trace](std::string name) -> Middleware {
    return [&trace, name](Request& req, const Next& next) {
      trace.push_back(name + ">");
      Response r = next(req);
      trace.push_back("<" + name);
      return r;
    };
  };
  router_.use(tag("outer"));
  router_.use(tag("inner"));
  router_.get("/h", [&trace](Request&) {
    trace.push_back("handler");
    return Response::text("ok");
  });
  router_.finalize();
  run(Method::kGet, "/h");
  EXPECT_EQ(trace, (std::vector<std::string>{"outer>", "inner>", "handler", "<inner", "<outer"}));
  trace.clear();
  EXPECT_EQ(run(Method::kGet, "/missing").status, 404);
  EXPECT_EQ(trace, (std::vector<std::string>{"outer>", "inner>", "<inner", "<outer"}));
}

TEST_F(RouterTest, MiddlewareSeesRouteNameAndCsrfExemption) {
  std::string route;
  bool exempt = false;
  router_.use([&](Request& req, const Next& next) {
    route = req.route_name;
    exempt = req.csrf_exempt;
    return next(req);
  });
  router_.post("/api/v1/hooks/{id}", reply("hook"), {.csrf_exempt = true});
  router_.finalize();
  run(Method::kPost, "/api/v1/hooks/9");
  EXPECT_EQ(route, "/api/v1/hooks/{id}");
  EXPECT_TRUE(exempt);
}

TEST_F(RouterTest, WrongMethodAndUnknownPathAreExemptFromCsrfSoTheyAnswer405And404) {
  bool exempt = false;
  router_.use([&](Request& req, const Next& next) {
    exempt = req.csrf_exempt;
    return next(req);
  });
  router_.get("/servicios", reply("list"));
  router_.finalize();
  EXPECT_EQ(run(Method::kDelete, "/servicios").status, 405);
  EXPECT_TRUE(exempt);
  exempt = false;
  EXPECT_EQ(run(Method::kPost, "/missing").status, 404);
  EXPECT_TRUE(exempt);
}

TEST(ComposeTest, MiddlewareCanShortCircuit) {
  bool handler_ran = false;
  Handler h = compose({[](Request&, const Next&) { return Response::text("blocked", 403); }},
                      [&](Request&) {
                        handler_ran = true;
                        return Response::text("ok");
                      });
  Request req;
  EXPECT_EQ(h(req).status, 403);
  EXPECT_FALSE(handler_ran);
}

TEST(ComposeTest, EmptyChainIsTheHandler) {
  Handler h = compose({}, [](Request&) { return Response::text("bare"); });
  Request req;
  EXPECT_EQ(h(req).body, "bare");
}

TEST(RouterDefinitionTest, BadPatternsAreRejectedAtStartup) {
  Router r;
  EXPECT_THROW(r.get("no-slash", reply("x")), std::invalid_argument);
  EXPECT_THROW(r.get("/a/{unclosed", reply("x")), std::invalid_argument);
  EXPECT_THROW(r.get("/a/{x}{y}", reply("x")), std::invalid_argument);
  EXPECT_THROW(r.get("/a/{rest*}/b", reply("x")), std::invalid_argument);
  EXPECT_THROW(r.get("/a/{x}/{x}", reply("x")), std::invalid_argument);
  EXPECT_THROW(r.get("/a/{bad-name}", reply("x")), std::invalid_argument);
  r.get("/dup", reply("x"));
  EXPECT_THROW(r.get("/dup", reply("y")), std::invalid_argument);
  r.post("/dup", reply("z"));  // another method is fine
}

TEST(RouterDefinitionTest, DispatchBeforeFinalizeIsALogicError) {
  Router r;
  r.get("/a", reply("a"));
  Request req = make_request(Method::kGet, "/a");
  EXPECT_THROW(r.dispatch(req), std::logic_error);
  r.finalize();
  EXPECT_TRUE(r.finalized());
  EXPECT_THROW(r.get("/b", reply("b")), std::logic_error);
  EXPECT_EQ(r.dispatch(req).body, "a");
}

TEST(RouterDefinitionTest, PrecomposedMatchCanBeDispatched) {
  Router r;
  r.get("/things/{id}", reply("thing"));
  r.finalize();
  Match m = r.match(Method::kGet, "/things/5");
  Request req = make_request(Method::kGet, "/things/5");
  EXPECT_EQ(r.dispatch(req, std::move(m)).body, "thing");
  EXPECT_EQ(req.params.at("id"), "5");
}

}  // namespace
}  // namespace zocalo::http
