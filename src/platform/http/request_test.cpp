#include "platform/http/request.hpp"

#include <gtest/gtest.h>

namespace zocalo::http {
namespace {

TEST(Method, NamesRoundTrip) {
  for (Method m : {Method::kGet, Method::kHead, Method::kPost, Method::kPut, Method::kPatch,
                   Method::kDelete, Method::kOptions}) {
    EXPECT_EQ(parse_method(method_name(m)), m) << method_name(m);
  }
  EXPECT_EQ(method_name(Method::kOther), "OTHER");
}

TEST(Method, ParsingIsCaseSensitive) {
  EXPECT_EQ(parse_method("get"), Method::kOther);
  EXPECT_EQ(parse_method("Post"), Method::kOther);
  EXPECT_EQ(parse_method("TRACE"), Method::kOther);
  EXPECT_EQ(parse_method(""), Method::kOther);
  EXPECT_EQ(parse_method("GET "), Method::kOther);
}

TEST(Method, OnlyGetHeadOptionsAreSafe) {
  EXPECT_TRUE(is_safe(Method::kGet));
  EXPECT_TRUE(is_safe(Method::kHead));
  EXPECT_TRUE(is_safe(Method::kOptions));
  for (Method m : {Method::kPost, Method::kPut, Method::kPatch, Method::kDelete, Method::kOther}) {
    EXPECT_FALSE(is_safe(m)) << method_name(m);
  }
}

TEST(RequestCookie, FindsTheFirstMatchAcrossCookieFields) {
  Request r;
  r.headers.add("Cookie", "lang=es-MX; zs=first");
  r.headers.add("cookie", "zs=second; other=1");
  EXPECT_EQ(r.cookie("zs"), "first");
  EXPECT_EQ(r.cookie("other"), "1");
  EXPECT_FALSE(r.cookie("missing").has_value());
  EXPECT_FALSE(r.cookie("ZS").has_value()) << "cookie names are case-sensitive";
}

TEST(RequestCookie, NoCookieHeaderMeansNoCookie) {
  Request r;
  EXPECT_FALSE(r.cookie("zs").has_value());
}

TEST(RequestQuery, ParsesTheRawQueryOnce) {
  Request r;
  r.raw_query = "q=agua+potable&page=2";
  const Result<FormData>& q = r.query();
  ASSERT_TRUE(q.ok());
  EXPECT_EQ(q->get("q"), "agua potable");
  EXPECT_EQ(q->get("page"), "2");
  r.raw_query = "changed=1";
  EXPECT_EQ(&r.query(), &q) << "cached";
  EXPECT_EQ(r.query()->get("q"), "agua potable");
}

TEST(RequestQuery, MalformedQueryIsAnError) {
  Request r;
  r.raw_query = "q=%zz";
  ASSERT_FALSE(r.query().ok());
  EXPECT_EQ(r.query().error().user_key, "error.bad_form");
}

TEST(RequestForm, ReadsUrlencodedBodies) {
  Request r;
  r.headers.set("Content-Type", "application/x-www-form-urlencoded; charset=UTF-8");
  r.body = "calle=Reforma+222&cp=06600";
  const auto& form = r.form();
  ASSERT_TRUE(form.ok()) << form.error().detail;
  EXPECT_EQ(form->get("calle"), "Reforma 222");
  EXPECT_EQ(form->get("cp"), "06600");
}

TEST(RequestForm, ReadsMultipartBodies) {
  Request r;
  r.headers.set("Content-Type", "Multipart/Form-Data; boundary=\"b1\"");
  r.body = "--b1\r\nContent-Disposition: form-data; name=folio\r\n\r\nZ-123\r\n--b1--\r\n";
  const auto& form = r.form();
  ASSERT_TRUE(form.ok()) << form.error().detail;
  EXPECT_EQ(form->get("folio"), "Z-123");
}

TEST(RequestForm, OtherOrMissingContentTypeIsABadForm) {
  for (const char* type : {"application/json", "text/plain", "", "multipart/mixed; boundary=a",
                           "application/x-www-form-urlencodedX"}) {
    Request r;
    if (*type != '\0') r.headers.set("Content-Type", type);
    r.body = "a=1";
    ASSERT_FALSE(r.form().ok()) << type;
    EXPECT_EQ(r.form().error().kind, ErrorKind::kInvalidInput) << type;
    EXPECT_EQ(r.form().error().user_key, "error.bad_form") << type;
  }
  Request none;
  none.body = "a=1";
  EXPECT_FALSE(none.form().ok());
}

TEST(RequestForm, OversizedFormIsTooLarge) {
  Request r;
  r.headers.set("Content-Type", "application/x-www-form-urlencoded");
  for (int i = 0; i < 1000; ++i) r.body += "a=1&";
  ASSERT_FALSE(r.form().ok());
  EXPECT_EQ(r.form().error().kind, ErrorKind::kTooLarge);
}

struct AcceptCase {
  const char* accept;  // nullptr: no Accept header
  bool json;
};

class WantsJson : public testing::TestWithParam<AcceptCase> {};

TEST_P(WantsJson, FollowsAcceptPreferences) {
  Request r;
  r.path = "/tramites";
  if (GetParam().accept) r.headers.set("Accept", GetParam().accept);
  EXPECT_EQ(r.wants_json(), GetParam().json) << (GetParam().accept ? GetParam().accept : "none");
}

INSTANTIATE_TEST_SUITE_P(
    Table, WantsJson,
    testing::Values(AcceptCase{nullptr, false}, AcceptCase{"", false}, AcceptCase{"*/*", false},
                    AcceptCase{"application/json", true},
                    AcceptCase{"application/problem+json", true},
                    AcceptCase{"APPLICATION/JSON", true},
                    AcceptCase{"text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
                               false},
                    AcceptCase{"application/json, text/html;q=0.5", true},
                    AcceptCase{"text/html;q=0.5, application/json", true},
                    AcceptCase{"text/html, application/json", false},  // a tie goes to HTML
                    AcceptCase{"application/json;q=0", false}, AcceptCase{"application/*", true},
                    AcceptCase{"application/*;q=0.9, text/*;q=0.8", true},
                    AcceptCase{"text/*, application/json;q=0.9", false},
                    AcceptCase{"application/json;q=0.9, */*;q=1", false},
                    AcceptCase{"application/json;q=2", false},  // malformed weight: range ignored
                    AcceptCase{"application/json;q=abc", false},
                    AcceptCase{"application/json ; charset=utf-8 ; q=0.7", true},
                    AcceptCase{"application/json;q=1.000", true},
                    AcceptCase{"application/json;q=0.0001", false},
                    AcceptCase{"jsonwithoutslash", false}, AcceptCase{",,,", false}));

TEST(WantsJson, ApiPathsAlwaysGetJson) {
  Request r;
  r.headers.set("Accept", "text/html");
  r.path = "/api/v1/requests";
  EXPECT_TRUE(r.wants_json());
  r.path = "/apis";
  EXPECT_FALSE(r.wants_json());
}

}  // namespace
}  // namespace zocalo::http
