#include "identity/model/audit_event.hpp"

#include <array>
#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>
#include <cstdint>
#include <string>

#include "platform/core/crypto.hpp"
#include "platform/core/utf8.hpp"

namespace zocalo::identity {
namespace {

constexpr std::string_view kHashTag = "zocalo.audit.v1";

void put_field(std::string& out, std::string_view value) {
  out += '\x01';
  std::uint64_t n = value.size();
  std::array<char, 8> be{};
  for (int i = 7; i >= 0; --i) {
    be[static_cast<std::size_t>(i)] = static_cast<char>(n & 0xff);
    n >>= 8;
  }
  out.append(be.data(), be.size());
  out.append(value);
}

void put_null(std::string& out) {
  out += '\x00';
}

bool is_action_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.';
}

bool is_ip_char(char c) {
  // IPv4, IPv6 (hex groups, "::", an embedded IPv4 tail) and an IPv6 zone ("%eth0").
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == ':' ||
         c == '.' || c == '%';
}

// Key names that would mean a secret is being logged: the exact names, or a name ending in
// "_password", "_secret", "_token" or "_otp" ("client_secret", "refresh_token"). Identifiers of
// secrets are fine and read as such ("jti", "token_id", "grant_id"); so are "error_code" and
// "postal_code", which is why "code" only matches whole.
bool names_a_secret(std::string_view key) {
  std::string lower(key);
  for (char& c : lower) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  const std::string_view k = lower;
  for (const std::string_view exact : {"password", "passwd", "secret", "token", "code", "otp",
                                       "totp", "pin", "cookie", "authorization", "recovery_code"}) {
    if (k == exact) return true;
  }
  for (const std::string_view suffix : {"_password", "_secret", "_token", "_otp"}) {
    if (k.size() > suffix.size() && k.substr(k.size() - suffix.size()) == suffix) return true;
  }
  return false;
}

bool has_secret_key(const boost::json::value& v) {
  if (const auto* obj = v.if_object()) {
    for (const auto& kv : *obj) {
      if (names_a_secret(kv.key())) return true;
      if (has_secret_key(kv.value())) return true;
    }
  } else if (const auto* arr = v.if_array()) {
    for (const auto& item : *arr) {
      if (has_secret_key(item)) return true;
    }
  }
  return false;
}

}  // namespace

std::string_view to_string(ActorKind kind) {
  switch (kind) {
    case ActorKind::kResident:
      return "resident";
    case ActorKind::kStaff:
      return "staff";
    case ActorKind::kClient:
      return "client";
    case ActorKind::kSystem:
      return "system";
  }
  return "system";
}

std::optional<ActorKind> parse_actor_kind(std::string_view text) {
  if (text == "resident") return ActorKind::kResident;
  if (text == "staff") return ActorKind::kStaff;
  if (text == "client") return ActorKind::kClient;
  if (text == "system") return ActorKind::kSystem;
  return std::nullopt;
}

Status validate(const AuditEvent& event) {
  auto bad = [](std::string why) { return fail(Error::invalid("identity.audit.invalid", why)); };
  if (event.action.empty() || event.action.size() > kMaxAuditActionBytes) {
    return bad("action must be 1..64 bytes");
  }
  for (const char c : event.action) {
    if (!is_action_char(c)) return bad("action must be [a-z0-9_.]");
  }
  if (event.actor_id.size() > kMaxAuditActorIdBytes || !utf8::is_valid(event.actor_id)) {
    return bad("actor_id must be valid UTF-8 of at most 128 bytes");
  }
  if (event.detail.size() > kMaxAuditDetailBytes || !utf8::is_valid(event.detail)) {
    return bad("detail must be valid UTF-8 of at most 4096 bytes");
  }
  boost::system::error_code ec;
  const boost::json::value parsed = boost::json::parse(event.detail, ec);
  if (ec || !parsed.is_object()) return bad("detail must be a JSON object");
  if (has_secret_key(parsed)) return bad("detail has a key that names a secret");
  if (event.ip) {
    if (event.ip->empty() || event.ip->size() > kMaxAuditIpBytes) return bad("ip length");
    for (const char c : *event.ip) {
      if (!is_ip_char(c)) return bad("ip has a character no address has");
    }
  }
  if (event.created_at < 0) return bad("created_at before 1970");
  return {};
}

std::string canonical_audit_bytes(std::string_view prev_hash, long long id,
                                  const AuditEvent& event) {
  std::string out;
  out.reserve(128 + event.actor_id.size() + event.action.size() + event.detail.size());
  put_field(out, kHashTag);
  put_field(out, prev_hash);
  put_field(out, std::to_string(id));
  if (event.account_id) {
    put_field(out, std::to_string(*event.account_id));
  } else {
    put_null(out);
  }
  put_field(out, to_string(event.actor_kind));
  put_field(out, event.actor_id);
  put_field(out, event.action);
  put_field(out, event.detail);
  if (event.ip) {
    put_field(out, *event.ip);
  } else {
    put_null(out);
  }
  put_field(out, std::to_string(event.created_at));
  return out;
}

std::string audit_hash(std::string_view prev_hash, long long id, const AuditEvent& event) {
  return crypto::sha256_hex(canonical_audit_bytes(prev_hash, id, event));
}

}  // namespace zocalo::identity
