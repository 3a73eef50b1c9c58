#include "requests/open311/request_query.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

namespace zocalo::requests::open311 {
namespace {

using Params = std::vector<std::pair<std::string, std::string>>;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

constexpr std::int64_t kNow = 1'750'000'000;  // 2025-06-15T15:06:40Z
constexpr std::int64_t kDays90 = 90 * 24 * 3600;

ParsedRequestQuery parse(const Params& params) {
  return parse_request_query(params, kNow);
}

RequestQuery parse_ok(const Params& params) {
  auto parsed = parse(params);
  EXPECT_TRUE(parsed.ok()) << (parsed.errors.empty() ? "" : parsed.errors.front().description);
  return parsed.query;
}

// The single error a query must produce, checked for code 400 and the parameter's name.
void expect_one_error(const Params& params, const std::string& mentions) {
  auto parsed = parse(params);
  ASSERT_EQ(parsed.errors.size(), 1u) << mentions;
  EXPECT_EQ(parsed.errors[0].code, 400);
  EXPECT_THAT(parsed.errors[0].description, HasSubstr(mentions));
}

TEST(RequestQueryTest, NoParametersGiveTheSpecsDefaultWindowAndLimit) {
  const RequestQuery q = parse_ok({});
  EXPECT_TRUE(q.service_request_ids.empty());
  EXPECT_TRUE(q.service_codes.empty());
  EXPECT_TRUE(q.statuses.empty());
  EXPECT_EQ(q.start_date, kNow - kDays90);
  EXPECT_EQ(q.end_date, kNow);
  EXPECT_TRUE(q.default_window);
  EXPECT_FALSE(q.updated_after);
  EXPECT_FALSE(q.updated_before);
  EXPECT_EQ(q.page, 1);
  EXPECT_EQ(q.page_size, 1'000);
  EXPECT_EQ(q.offset(), 0);
  EXPECT_FALSE(q.extensions);
}

TEST(RequestQueryTest, EmptyParametersAreAbsent) {
  const RequestQuery q = parse_ok({{"service_request_id", ""},
                                   {"service_code", " "},
                                   {"status", ""},
                                   {"start_date", ""},
                                   {"end_date", "\t"},
                                   {"updated_after", ""},
                                   {"page", ""},
                                   {"page_size", ""},
                                   {"extensions", ""}});
  EXPECT_TRUE(q.service_request_ids.empty());
  EXPECT_TRUE(q.service_codes.empty());
  EXPECT_TRUE(q.default_window);
  EXPECT_EQ(q.start_date, kNow - kDays90);
  EXPECT_EQ(q.page_size, 1'000);
}

TEST(RequestQueryTest, ListOfOnlyCommasIsAbsentToo) {
  const RequestQuery q = parse_ok({{"service_request_id", ",,"}, {"status", "closed"}});
  EXPECT_TRUE(q.service_request_ids.empty());
  EXPECT_THAT(q.statuses, ElementsAre(Open311Status::kClosed));  // so the filters still apply
}

TEST(RequestQueryTest, ServiceRequestIdOverridesEveryOtherFilter) {
  // Open311 GeoReport v2: service_request_id "overrides all other arguments", even bad ones.
  const RequestQuery q = parse_ok({{"service_request_id", "7KQ3M9XA,2B4C6D8E"},
                                   {"service_code", "BACHE"},
                                   {"status", "bogus"},
                                   {"start_date", "yesterday"},
                                   {"updated_after", "2025-06-01T00:00:00Z"},
                                   {"page", "0"},
                                   {"page_size", "5"},
                                   {"extensions", "true"}});
  EXPECT_THAT(q.service_request_ids, ElementsAre("7KQ3M9XA", "2B4C6D8E"));
  EXPECT_TRUE(q.service_codes.empty());
  EXPECT_TRUE(q.statuses.empty());
  EXPECT_FALSE(q.start_date);
  EXPECT_FALSE(q.end_date);
  EXPECT_FALSE(q.updated_after);
  EXPECT_FALSE(q.default_window);
  EXPECT_EQ(q.page, 1);
  EXPECT_EQ(q.page_size, kMaxPageSize);
  EXPECT_TRUE(q.extensions);  // not a filter: still honoured
}

TEST(RequestQueryTest, IdListsAreTrimmedDeduplicatedAndMayRepeat) {
  const RequestQuery q = parse_ok({{"service_request_id", " A1 , B2,,A1"},
                                   {"service_request_id", "C3"},
                                   {"jurisdiction_id", "x"}});
  EXPECT_THAT(q.service_request_ids, ElementsAre("A1", "B2", "C3"));
}

TEST(RequestQueryTest, MalformedOrTooManyIdsAreRejected) {
  expect_one_error({{"service_request_id", "A1,<script>"}}, "service_request_id");
  expect_one_error({{"service_request_id", std::string(65, 'A')}}, "service_request_id");
  std::string many;
  for (int i = 0; i < 1'001; ++i) many += "R" + std::to_string(i) + ",";
  expect_one_error({{"service_request_id", many}}, "at most 1000");
  // A query string far past any real one is read only as far as needed.
  std::string huge;
  for (int i = 0; i < 200'000; ++i) huge += "R" + std::to_string(i) + ",";
  const auto parsed = parse({{"service_request_id", huge}});
  ASSERT_EQ(parsed.errors.size(), 1u);
  EXPECT_EQ(parsed.query.service_request_ids.size(), kMaxRequestIds + 1);
}

TEST(RequestQueryTest, ServiceCodesAreACommaList) {
  const RequestQuery q = parse_ok({{"service_code", "BACHE,LUMINARIA"}, {"service_code", "BACHE"}});
  EXPECT_THAT(q.service_codes, ElementsAre("BACHE", "LUMINARIA"));
  expect_one_error({{"service_code", "BACHE,bad code"}}, "service_code");
  expect_one_error({{"service_code", "a.b"}}, "service_code");
}

TEST(RequestQueryTest, StatusIsOpenClosedOrBoth) {
  EXPECT_THAT(parse_ok({{"status", "open"}}).statuses, ElementsAre(Open311Status::kOpen));
  EXPECT_THAT(parse_ok({{"status", "closed,open,closed"}}).statuses,
              ElementsAre(Open311Status::kClosed, Open311Status::kOpen));
  expect_one_error({{"status", "pending"}}, "status must be open, closed");
  expect_one_error({{"status", "OPEN"}}, "status");
}

TEST(RequestQueryTest, ExplicitDatesReplaceTheDefaultWindow) {
  const RequestQuery q =
      parse_ok({{"start_date", "2025-01-01T00:00:00-06:00"}, {"end_date", "2025-06-01T00:00:00Z"}});
  EXPECT_EQ(q.start_date, 1'735'711'200);
  EXPECT_EQ(q.end_date, 1'748'736'000);
  EXPECT_FALSE(q.default_window);
  // start_date equal to end_date: the requests made in that very second; allowed.
  EXPECT_TRUE(
      parse({{"start_date", "2025-06-01T00:00:00Z"}, {"end_date", "2025-06-01T00:00:00Z"}}).ok());
}

TEST(RequestQueryTest, OneSidedWindowsSpanNinetyDays) {
  const RequestQuery from = parse_ok({{"start_date", "2025-01-01T00:00:00Z"}});
  EXPECT_EQ(from.start_date, 1'735'689'600);
  EXPECT_EQ(from.end_date, 1'735'689'600 + kDays90);
  EXPECT_TRUE(from.default_window);
  const RequestQuery until = parse_ok({{"end_date", "2025-01-01T00:00:00Z"}});
  EXPECT_EQ(until.start_date, 1'735'689'600 - kDays90);
  EXPECT_EQ(until.end_date, 1'735'689'600);
}

TEST(RequestQueryTest, NaiveOrMalformedDatesAreRejected) {
  for (const char* name : {"start_date", "end_date", "updated_after", "updated_before"}) {
    expect_one_error({{name, "2025-06-01T00:00:00"}}, std::string(name) + " must be an ISO 8601");
    expect_one_error({{name, "2025-06-01"}}, name);
    expect_one_error({{name, "1748736000"}}, name);
  }
}

TEST(RequestQueryTest, EndBeforeStartIsRejected) {
  expect_one_error({{"start_date", "2025-06-02T00:00:00Z"}, {"end_date", "2025-06-01T00:00:00Z"}},
                   "end_date must not be before start_date");
  expect_one_error(
      {{"updated_after", "2025-06-01T00:00:00Z"}, {"updated_before", "2025-06-01T00:00:00Z"}},
      "updated_before must be later than updated_after");
}

TEST(RequestQueryTest, UpdatedFiltersAloneAddNoRequestedWindow) {
  const RequestQuery q = parse_ok({{"updated_after", "2025-06-14T00:00:00Z"}});
  EXPECT_EQ(q.updated_after, 1'749'859'200);
  EXPECT_FALSE(q.start_date);
  EXPECT_FALSE(q.end_date);
  EXPECT_FALSE(q.default_window);
  EXPECT_EQ(q.page_size, 1'000);  // the 1,000-result limit still holds
}

TEST(RequestQueryTest, PagesAreBounded) {
  const RequestQuery q = parse_ok({{"page", "3"}, {"page_size", "50"}});
  EXPECT_EQ(q.page, 3);
  EXPECT_EQ(q.page_size, 50);
  EXPECT_EQ(q.offset(), 100);
  EXPECT_EQ(parse_ok({{"page_size", "1000"}}).page_size, 1'000);
  EXPECT_EQ(parse_ok({{"page", "1000000"}, {"page_size", "1000"}}).offset(), 999'999'000);
  for (const char* bad : {"0", "-1", "+5", "1.5", "10x", "abc", "99999999999999999999", "1001"}) {
    expect_one_error({{"page_size", bad}}, "page_size must be a whole number from 1 to 1000");
  }
  for (const char* bad : {"0", "-3", "1000001", "0x10"}) {
    expect_one_error({{"page", bad}}, "page must be a whole number from 1 to 1000000");
  }
}

TEST(RequestQueryTest, ExtensionsIsTrueOrFalse) {
  EXPECT_TRUE(parse_ok({{"extensions", "true"}}).extensions);
  EXPECT_FALSE(parse_ok({{"extensions", "false"}}).extensions);
  expect_one_error({{"extensions", "yes"}}, "extensions must be true or false");
}

TEST(RequestQueryTest, SingleValuedParametersGivenTwiceAreRejected) {
  expect_one_error({{"page", "1"}, {"page", "2"}}, "page was given more than once");
  expect_one_error({{"start_date", "2025-06-01T00:00:00Z"}, {"start_date", "2025-06-02T00:00:00Z"}},
                   "start_date was given more than once");
  // An empty repeat is absent, not a second value.
  EXPECT_TRUE(parse({{"page", "2"}, {"page", ""}}).ok());
}

TEST(RequestQueryTest, EveryProblemIsReportedAt400) {
  const auto parsed = parse({{"status", "x"},
                             {"start_date", "nope"},
                             {"page_size", "0"},
                             {"extensions", "1"},
                             {"service_code", "?"}});
  ASSERT_EQ(parsed.errors.size(), 5u);
  for (const auto& e : parsed.errors) EXPECT_EQ(e.code, 400) << e.description;
  EXPECT_FALSE(parsed.ok());
}

}  // namespace
}  // namespace zocalo::requests::open311
