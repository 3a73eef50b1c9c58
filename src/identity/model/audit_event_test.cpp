#include "identity/model/audit_event.hpp"

#include <gtest/gtest.h>

#include <string>

namespace zocalo::identity {
namespace {

AuditEvent sample() {
  AuditEvent e;
  e.account_id = 42;
  e.actor_kind = ActorKind::kResident;
  e.actor_id = "42";
  e.action = "signin.password";
  e.detail = R"({"client_id":"predial","mfa":true})";
  e.ip = "203.0.113.7";
  e.created_at = 1'790'000'000;
  return e;
}

TEST(AuditEventTest, ActorKindsRoundTrip) {
  for (auto k : {ActorKind::kResident, ActorKind::kStaff, ActorKind::kClient, ActorKind::kSystem}) {
    EXPECT_EQ(parse_actor_kind(to_string(k)), k);
  }
  EXPECT_EQ(parse_actor_kind("admin"), std::nullopt);
}

TEST(AuditEventTest, HashIsPinned) {
  // The encoding is a stored format: a change here makes every existing chain fail verify().
  // Bump the tag ("zocalo.audit.v2") and teach verify() both instead of editing this value.
  EXPECT_EQ(audit_hash(kGenesisHash, 1, sample()),
            "eb6b1e18583e8829ab93cb5eba7eb8f7d90b6ebbe0c720251f07e2ec26b16295");
}

TEST(AuditEventTest, EncodingIsUnambiguous) {
  AuditEvent a = sample(), b = sample();
  a.actor_id = "ab";
  a.action = "c";
  b.actor_id = "a";
  b.action = "bc";
  EXPECT_NE(canonical_audit_bytes(kGenesisHash, 1, a), canonical_audit_bytes(kGenesisHash, 1, b));

  AuditEvent no_ip = sample(), empty_ip = sample();
  no_ip.ip.reset();
  empty_ip.ip = "";
  EXPECT_NE(audit_hash(kGenesisHash, 1, no_ip), audit_hash(kGenesisHash, 1, empty_ip));

  AuditEvent no_account = sample();
  no_account.account_id.reset();
  EXPECT_NE(audit_hash(kGenesisHash, 1, no_account), audit_hash(kGenesisHash, 1, sample()));
}

TEST(AuditEventTest, EveryFieldIsCovered) {
  const std::string base = audit_hash(kGenesisHash, 7, sample());
  EXPECT_NE(audit_hash(std::string(64, '1'), 7, sample()), base);
  EXPECT_NE(audit_hash(kGenesisHash, 8, sample()), base);
  auto changed = [&](auto edit) {
    AuditEvent e = sample();
    edit(e);
    return audit_hash(kGenesisHash, 7, e) != base;
  };
  EXPECT_TRUE(changed([](AuditEvent& e) { e.account_id = 43; }));
  EXPECT_TRUE(changed([](AuditEvent& e) { e.actor_kind = ActorKind::kStaff; }));
  EXPECT_TRUE(changed([](AuditEvent& e) { e.actor_id = "43"; }));
  EXPECT_TRUE(changed([](AuditEvent& e) { e.action = "signin.code"; }));
  EXPECT_TRUE(changed([](AuditEvent& e) { e.detail = R"({"client_id":"predial","mfa":false})"; }));
  EXPECT_TRUE(changed([](AuditEvent& e) { e.ip = "203.0.113.8"; }));
  EXPECT_TRUE(changed([](AuditEvent& e) { e.created_at += 1; }));
}

TEST(AuditEventTest, ValidAcceptsATypicalEvent) {
  EXPECT_TRUE(validate(sample()));
  AuditEvent system;
  system.action = "token.issued";
  system.detail = R"({"jti":"abc","token_id":"t1","postal_code":"06000","error_code":"x"})";
  EXPECT_TRUE(validate(system));
  AuditEvent v6 = sample();
  v6.ip = "2001:db8::1%eth0";
  EXPECT_TRUE(validate(v6));
}

TEST(AuditEventTest, ValidateRejectsBadEvents) {
  auto rejects = [](auto edit) {
    AuditEvent e = sample();
    edit(e);
    const Status s = validate(e);
    return !s && s.error().user_key == "identity.audit.invalid";
  };
  EXPECT_TRUE(rejects([](AuditEvent& e) { e.action = ""; }));
  EXPECT_TRUE(rejects([](AuditEvent& e) { e.action = "Signin"; }));
  EXPECT_TRUE(rejects([](AuditEvent& e) { e.action = "sign in"; }));
  EXPECT_TRUE(rejects([](AuditEvent& e) { e.action = std::string(65, 'a'); }));
  EXPECT_TRUE(rejects([](AuditEvent& e) { e.actor_id = std::string(129, 'a'); }));
  EXPECT_TRUE(rejects([](AuditEvent& e) { e.detail = "[]"; }));
  EXPECT_TRUE(rejects([](AuditEvent& e) { e.detail = "{"; }));
  EXPECT_TRUE(rejects([](AuditEvent& e) { e.detail = R"({"password":"hunter2"})"; }));
  EXPECT_TRUE(rejects([](AuditEvent& e) { e.detail = R"({"req":{"Refresh_Token":"x"}})"; }));
  EXPECT_TRUE(rejects([](AuditEvent& e) { e.detail = R"({"a":[{"code":"123456"}]})"; }));
  EXPECT_TRUE(rejects([](AuditEvent& e) { e.detail = R"({"client_secret":"s"})"; }));
  EXPECT_TRUE(
      rejects([](AuditEvent& e) { e.detail = "{\"a\":\"" + std::string(4100, 'x') + "\"}"; }));
  EXPECT_TRUE(rejects([](AuditEvent& e) { e.ip = "1.2.3.4<script>"; }));
  EXPECT_TRUE(rejects([](AuditEvent& e) { e.ip = ""; }));
  EXPECT_TRUE(rejects([](AuditEvent& e) { e.created_at = -1; }));
}

}  // namespace
}  // namespace zocalo::identity
