#include "requests/model/status.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

namespace zocalo::requests {
namespace {

using S = RequestStatus;
using A = StatusActor;

constexpr S kAll[] = {S::kOpen,    S::kAcknowledged,   S::kInProgress, S::kActionScheduled,
                      S::kFixed,   S::kClosedNotFixed, S::kDuplicate,  S::kNotOurs,
                      S::kReopened};
constexpr std::int64_t kDay = 24 * 3600;
constexpr std::int64_t kClosedAt = 1'750'000'000;

StatusChange change(S from, S to, A actor, std::int64_t now = kClosedAt + kDay) {
  return {from, to, actor, now, kClosedAt};
}

TEST(StatusTest, InternalNamesRoundTrip) {
  for (S s : kAll) {
    auto back = parse_status(to_string(s));
    ASSERT_TRUE(back) << to_string(s);
    EXPECT_EQ(*back, s);
  }
  EXPECT_EQ(to_string(S::kActionScheduled), "action_scheduled");
  EXPECT_EQ(to_string(S::kNotOurs), "not_ours");
}

TEST(StatusTest, UnknownInternalNameIsRejected) {
  for (std::string_view bad : {"", "OPEN", "Open", "closed", "in progress", "fixed "}) {
    auto s = parse_status(bad);
    ASSERT_FALSE(s) << bad;
    EXPECT_EQ(s.error().user_key, "requests.status.unknown");
    EXPECT_EQ(s.error().kind, ErrorKind::kInvalidInput);
  }
}

TEST(StatusTest, OnlyFixedClosedNotFixedAndDuplicateAreClosed) {
  std::vector<S> closed;
  for (S s : kAll) {
    if (is_closed(s)) closed.push_back(s);
  }
  EXPECT_EQ(closed, (std::vector<S>{S::kFixed, S::kClosedNotFixed, S::kDuplicate}));
}

TEST(StatusTest, Open311StatusIsOpenOrClosed) {
  EXPECT_EQ(to_string(open311_status(S::kOpen)), "open");
  EXPECT_EQ(to_string(open311_status(S::kReopened)), "open");
  EXPECT_EQ(to_string(open311_status(S::kNotOurs)), "open");  // still owed a route
  EXPECT_EQ(to_string(open311_status(S::kInProgress)), "open");
  EXPECT_EQ(to_string(open311_status(S::kFixed)), "closed");
  EXPECT_EQ(to_string(open311_status(S::kDuplicate)), "closed");
  EXPECT_EQ(to_string(open311_status(S::kClosedNotFixed)), "closed");
}

TEST(StatusTest, Open311FilterSelectsEveryStatusExactlyOnce) {
  auto open = parse_open311_status("open");
  auto closed = parse_open311_status("closed");
  ASSERT_TRUE(open && closed);
  auto a = statuses_in(*open);
  auto b = statuses_in(*closed);
  EXPECT_EQ(a.size() + b.size(), std::size(kAll));
  for (S s : b) EXPECT_TRUE(is_closed(s));
  for (S s : a) EXPECT_FALSE(is_closed(s));
}

TEST(StatusTest, UnknownOpen311StatusIsRejected) {
  for (std::string_view bad : {"", "OPEN", "Closed", "fixed", "pending", "open,closed"}) {
    auto s = parse_open311_status(bad);
    ASSERT_FALSE(s) << bad;
    EXPECT_EQ(s.error().user_key, "requests.status.unknown");
  }
}

TEST(StatusTest, FixMyStreetNamesMapBothWays) {
  struct Row {
    S status;
    std::string_view name;
  };
  for (const Row& r :
       {Row{S::kOpen, "OPEN"}, Row{S::kInProgress, "IN_PROGRESS"},
        Row{S::kActionScheduled, "ACTION_SCHEDULED"}, Row{S::kFixed, "FIXED"},
        Row{S::kClosedNotFixed, "NO_FURTHER_ACTION"}, Row{S::kDuplicate, "DUPLICATE"},
        Row{S::kNotOurs, "NOT_COUNCILS_RESPONSIBILITY"}, Row{S::kReopened, "REOPEN"}}) {
    EXPECT_EQ(to_fixmystreet(r.status), r.name);
    auto back = from_fixmystreet(r.name);
    ASSERT_TRUE(back) << r.name;
    EXPECT_EQ(*back, r.status) << r.name;
  }
}

TEST(StatusTest, FixMyStreetLossyNamesAreDocumented) {
  // acknowledged has no FixMyStreet name and goes out as OPEN; CLOSED comes in as a closure
  // without a fix.
  EXPECT_EQ(to_fixmystreet(S::kAcknowledged), "OPEN");
  EXPECT_EQ(*from_fixmystreet("CLOSED"), S::kClosedNotFixed);
  // Every FixMyStreet name we send is one we accept back.
  for (S s : kAll) EXPECT_TRUE(from_fixmystreet(to_fixmystreet(s))) << to_string(s);
}

TEST(StatusTest, UnknownFixMyStreetNameIsRejected) {
  for (std::string_view bad : {"", "open", "INVESTIGATING_X", "FIXED ", "in_progress"}) {
    auto s = from_fixmystreet(bad);
    ASSERT_FALSE(s) << bad;
    EXPECT_EQ(s.error().user_key, "requests.status.unknown");
    EXPECT_NE(s.error().detail.find("FixMyStreet"), std::string::npos);
  }
}

TEST(StatusTest, StaffWorkARequestFromOpenToFixed) {
  const S path[] = {S::kOpen, S::kAcknowledged, S::kActionScheduled, S::kInProgress, S::kFixed};
  for (std::size_t i = 0; i + 1 < std::size(path); ++i) {
    EXPECT_TRUE(check_transition(change(path[i], path[i + 1], A::kStaff)))
        << to_string(path[i]) << " -> " << to_string(path[i + 1]);
  }
}

TEST(StatusTest, ResidentMayOnlyReopen) {
  for (S from : kAll) {
    for (S to : kAll) {
      const bool reopen = to == S::kReopened && (from == S::kFixed || from == S::kClosedNotFixed);
      EXPECT_EQ(check_transition(change(from, to, A::kResident)).ok(), reopen)
          << to_string(from) << " -> " << to_string(to);
    }
  }
}

TEST(StatusTest, ResidentMayNotCloseTheirOwnRequest) {
  auto s = check_transition(change(S::kInProgress, S::kFixed, A::kResident));
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().kind, ErrorKind::kForbidden);
  EXPECT_EQ(s.error().user_key, "requests.status.actor_not_allowed");
}

TEST(StatusTest, SystemAcknowledgesAndReroutesButNeverCloses) {
  EXPECT_TRUE(check_transition(change(S::kOpen, S::kAcknowledged, A::kSystem)));
  EXPECT_TRUE(check_transition(change(S::kReopened, S::kAcknowledged, A::kSystem)));
  EXPECT_TRUE(check_transition(change(S::kNotOurs, S::kOpen, A::kSystem)));
  for (S from : kAll) {
    for (S to : kAll) {
      if (is_closed(to)) {
        EXPECT_FALSE(check_transition(change(from, to, A::kSystem)));
      }
    }
  }
}

TEST(StatusTest, NotOursIsReroutedOrClosed) {
  EXPECT_EQ(next_statuses(S::kNotOurs, A::kStaff), (std::vector<S>{S::kOpen, S::kClosedNotFixed}));
  auto s = check_transition(change(S::kNotOurs, S::kInProgress, A::kStaff));
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().user_key, "requests.status.not_allowed");
}

TEST(StatusTest, NoTransitionToTheSameStatus) {
  for (S s : kAll) {
    for (A a : {A::kStaff, A::kResident, A::kSystem}) {
      auto r = check_transition(change(s, s, a));
      ASSERT_FALSE(r) << to_string(s);
      EXPECT_EQ(r.error().user_key, "requests.status.not_allowed");
      EXPECT_EQ(r.error().kind, ErrorKind::kConflict);
    }
  }
}

TEST(StatusTest, ClosedRequestsCannotBeWorkedWithoutReopening) {
  for (S closed : {S::kFixed, S::kClosedNotFixed, S::kDuplicate}) {
    EXPECT_EQ(next_statuses(closed, A::kStaff), std::vector<S>{S::kReopened}) << to_string(closed);
  }
}

TEST(StatusTest, OnlyClosedStatusesCanBeReopened) {
  for (S from : kAll) {
    const bool ok = check_transition(change(from, S::kReopened, A::kStaff)).ok();
    EXPECT_EQ(ok, is_closed(from)) << to_string(from);
  }
}

TEST(StatusTest, DuplicateIsReopenedByStaffOnly) {
  EXPECT_TRUE(check_transition(change(S::kDuplicate, S::kReopened, A::kStaff)));
  auto r = check_transition(change(S::kDuplicate, S::kReopened, A::kResident));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().user_key, "requests.status.actor_not_allowed");
}

TEST(StatusTest, ReopenWithinWindowIsAccepted) {
  const ReopenPolicy policy{7 * kDay};
  EXPECT_TRUE(check_transition(change(S::kFixed, S::kReopened, A::kResident, kClosedAt), policy));
  EXPECT_TRUE(check_transition(change(S::kFixed, S::kReopened, A::kResident, kClosedAt + 7 * kDay),
                               policy));
}

TEST(StatusTest, ReopenAfterWindowIsRejected) {
  const ReopenPolicy policy{7 * kDay};
  for (A actor : {A::kResident, A::kStaff}) {
    auto r = check_transition(
        change(S::kClosedNotFixed, S::kReopened, actor, kClosedAt + 7 * kDay + 1), policy);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().user_key, "requests.status.reopen_window_closed");
    EXPECT_EQ(r.error().kind, ErrorKind::kConflict);
  }
}

TEST(StatusTest, DefaultReopenWindowIsThirtyDays) {
  EXPECT_TRUE(
      check_transition(change(S::kFixed, S::kReopened, A::kResident, kClosedAt + 30 * kDay)));
  EXPECT_FALSE(
      check_transition(change(S::kFixed, S::kReopened, A::kResident, kClosedAt + 31 * kDay)));
}

TEST(StatusTest, WindowOnlyAppliesToReopens) {
  // closed_at is irrelevant to ordinary work: a request closed "long ago" in the struct's
  // default still moves.
  StatusChange c{S::kInProgress, S::kFixed, A::kStaff, kClosedAt + 400 * kDay, 0};
  EXPECT_TRUE(check_transition(c, ReopenPolicy{kDay}));
}

TEST(StatusTest, ReopenedIsWorkedLikeOpen) {
  EXPECT_EQ(next_statuses(S::kReopened, A::kStaff), next_statuses(S::kOpen, A::kStaff));
  EXPECT_FALSE(is_closed(S::kReopened));
}

TEST(StatusTest, NextStatusesMatchCheckTransition) {
  for (S from : kAll) {
    for (A a : {A::kStaff, A::kResident, A::kSystem}) {
      const auto next = next_statuses(from, a);
      for (S to : kAll) {
        const bool listed = std::find(next.begin(), next.end(), to) != next.end();
        EXPECT_EQ(listed, check_transition(change(from, to, a, kClosedAt)).ok())
            << to_string(from) << " -> " << to_string(to);
      }
    }
  }
}

}  // namespace
}  // namespace zocalo::requests
