#include "platform/http/session.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace zocalo::http {
namespace {

// Records every call so tests can assert exactly which queries a request costs.
class FakeBackend : public SessionBackend {
 public:
  std::map<std::string, SessionValues> store;
  std::vector<std::string> calls;

  std::optional<SessionValues> load(const std::string& id) override {
    calls.push_back("load " + id);
    auto it = store.find(id);
    if (it == store.end()) return std::nullopt;
    return it->second;
  }
  void save(const std::string& id, const SessionValues& values) override {
    calls.push_back("save " + id);
    store[id] = values;
  }
  void destroy(const std::string& id) override {
    calls.push_back("destroy " + id);
    store.erase(id);
  }
};

using Calls = std::vector<std::string>;

TEST(Session, UntouchedSessionCostsNoQuery) {
  FakeBackend backend;
  Session s("id1", false, &backend);
  s.commit();
  EXPECT_TRUE(backend.calls.empty());
  EXPECT_FALSE(s.dirty());
}

TEST(Session, LoadsLazilyOnceOnFirstUse) {
  FakeBackend backend;
  backend.store["id1"] = {{"user", "42"}};
  Session s("id1", false, &backend);
  EXPECT_TRUE(backend.calls.empty());
  EXPECT_EQ(s.get("user"), "42");
  EXPECT_FALSE(s.get("other").has_value());
  EXPECT_EQ(backend.calls, (Calls{"load id1"}));
}

TEST(Session, ReadingDoesNotMakeItDirty) {
  FakeBackend backend;
  backend.store["id1"] = {{"user", "42"}};
  Session s("id1", false, &backend);
  (void)s.get("user");
  s.commit();
  EXPECT_EQ(backend.calls, (Calls{"load id1"}));
}

TEST(Session, NewSessionIsNeverLoaded) {
  FakeBackend backend;
  backend.store["fresh"] = {{"planted", "x"}};
  Session s("fresh", true, &backend);
  EXPECT_FALSE(s.get("planted").has_value());
  EXPECT_TRUE(backend.calls.empty());
}

TEST(Session, UnknownIdLoadsAsEmpty) {
  FakeBackend backend;
  Session s("gone", false, &backend);
  EXPECT_FALSE(s.get("user").has_value());
}

TEST(Session, SetMarksDirtyAndCommitSaves) {
  FakeBackend backend;
  backend.store["id1"] = {{"a", "1"}};
  Session s("id1", false, &backend);
  s.set("b", "2");
  EXPECT_TRUE(s.dirty());
  s.commit();
  EXPECT_FALSE(s.dirty());
  EXPECT_EQ(backend.calls, (Calls{"load id1", "save id1"}));
  EXPECT_EQ(backend.store["id1"], (SessionValues{{"a", "1"}, {"b", "2"}}));
}

TEST(Session, SettingTheSameValueIsNotAChange) {
  FakeBackend backend;
  backend.store["id1"] = {{"a", "1"}};
  Session s("id1", false, &backend);
  s.set("a", "1");
  EXPECT_FALSE(s.dirty());
}

TEST(Session, ErasingAnAbsentKeyIsNotAChange) {
  FakeBackend backend;
  Session s("id1", false, &backend);
  s.erase("nothing");
  EXPECT_FALSE(s.dirty());
}

TEST(Session, ErasingTheLastValueDestroysTheSession) {
  FakeBackend backend;
  backend.store["id1"] = {{"a", "1"}};
  Session s("id1", false, &backend);
  s.erase("a");
  s.commit();
  EXPECT_EQ(backend.calls, (Calls{"load id1", "destroy id1"}));
  EXPECT_FALSE(backend.store.contains("id1"));
}

TEST(Session, NewSessionWithValuesIsSaved) {
  FakeBackend backend;
  Session s("fresh", true, &backend);
  s.set("csrf", "t");
  s.commit();
  EXPECT_EQ(backend.calls, (Calls{"save fresh"}));
}

TEST(Session, NewSessionLeftEmptyIsNeverStored) {
  FakeBackend backend;
  Session s("fresh", true, &backend);
  s.set("a", "1");
  s.erase("a");
  s.commit();
  EXPECT_TRUE(backend.calls.empty());
}

TEST(Session, ResetWithoutNewIdDestroysOnCommit) {
  FakeBackend backend;
  backend.store["id1"] = {{"user", "42"}};
  Session s("id1", false, &backend);
  s.reset();
  EXPECT_FALSE(s.get("user").has_value());
  EXPECT_EQ(s.id(), "id1");
  EXPECT_FALSE(s.id_changed());
  s.commit();
  EXPECT_EQ(backend.calls, (Calls{"destroy id1"})) << "reset needs no load";
}

TEST(Session, ResetToNewIdDestroysOldThenSavesNew) {
  FakeBackend backend;
  backend.store["attacker-fixed"] = {{"csrf", "t"}};
  Session s("attacker-fixed", false, &backend);
  s.reset("fresh");
  s.set("user", "42");
  EXPECT_EQ(s.id(), "fresh");
  EXPECT_TRUE(s.id_changed());
  EXPECT_EQ(s.old_id(), "attacker-fixed");
  EXPECT_TRUE(s.is_new()) << "the browser must be sent the new id";
  s.commit();
  EXPECT_EQ(backend.calls, (Calls{"destroy attacker-fixed", "save fresh"}));
  EXPECT_EQ(backend.store, (std::map<std::string, SessionValues>{{"fresh", {{"user", "42"}}}}));
}

TEST(Session, SignOutToNewIdWithNoValuesOnlyDestroysTheOld) {
  FakeBackend backend;
  backend.store["id1"] = {{"user", "42"}};
  Session s("id1", false, &backend);
  s.reset("id2");
  s.commit();
  EXPECT_EQ(backend.calls, (Calls{"destroy id1"}));
  EXPECT_TRUE(backend.store.empty());
}

TEST(Session, TwoResetsRememberTheStoredId) {
  FakeBackend backend;
  Session s("stored", false, &backend);
  s.reset("middle");
  s.reset("final");
  s.set("k", "v");
  EXPECT_EQ(s.old_id(), "stored");
  s.commit();
  EXPECT_EQ(backend.calls, (Calls{"destroy stored", "save final"}));
}

TEST(Session, OldIdIsDestroyedOnlyOnceAcrossCommits) {
  FakeBackend backend;
  Session s("old", false, &backend);
  s.reset("new");
  s.set("a", "1");
  s.commit();
  s.set("a", "2");
  s.commit();
  EXPECT_EQ(backend.calls, (Calls{"destroy old", "save new", "save new"}));
  EXPECT_TRUE(s.id_changed()) << "still true after commit, for the cookie";
}

TEST(Session, SessionWithoutBackendStillHoldsValues) {
  Session s;
  EXPECT_TRUE(s.empty_id());
  s.set("a", "1");
  EXPECT_EQ(s.get("a"), "1");
  s.commit();  // nothing to write to; must not crash
}

}  // namespace
}  // namespace zocalo::http
