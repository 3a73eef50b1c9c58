#pragma once
// One entry of the identity audit log (sign-ins, tokens issued, staff actions) and the rule that
// chains entries together: each row carries the SHA-256 of its own contents and of the row
// before, so an edited, removed or reordered row breaks the chain (store/audit_log.* checks it).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "platform/core/result.hpp"

namespace zocalo::identity {

// Who did it: the resident themself, a city official, an OIDC client (an agency's back end) or
// zocalo itself (a job, a migration).
enum class ActorKind { kResident, kStaff, kClient, kSystem };

std::string_view to_string(ActorKind kind);
std::optional<ActorKind> parse_actor_kind(std::string_view text);

// The prev_hash of the first row: 64 zeros (no row before it).
inline constexpr std::string_view kGenesisHash =
    "0000000000000000000000000000000000000000000000000000000000000000";

// Bounds: the log is written on hot paths (every sign-in) and read on a phone.
inline constexpr std::size_t kMaxAuditActionBytes = 64;
inline constexpr std::size_t kMaxAuditActorIdBytes = 128;
inline constexpr std::size_t kMaxAuditDetailBytes = 4096;
inline constexpr std::size_t kMaxAuditIpBytes = 64;

struct AuditEvent {
  std::optional<long long> account_id;  // the account it concerns; none for e.g. a failed lookup
  ActorKind actor_kind = ActorKind::kSystem;
  std::string actor_id;       // account id, staff id or client_id as text; "" for the system
  std::string action;         // dotted lower-case name: "signin.password", "staff.loa3_verified"
  std::string detail = "{}";  // a JSON object; never a password, code, token or secret
  std::optional<std::string> ip;
  std::int64_t created_at = 0;  // unix seconds; 0 = the time of the append
};

// A stored row: the event, its place in the chain and the two hashes (lower-case hex).
struct AuditRecord {
  long long id = 0;  // position in the chain: 1, 2, 3, ... without gaps
  AuditEvent event;
  std::string prev_hash;
  std::string hash;
};

// Rejects (identity.audit.invalid) an action that is not 1..64 of [a-z0-9_.], an actor id over
// 128 bytes, a detail that is not a JSON object of at most 4 KiB or that has a key naming a
// secret at any depth ("password", "code", "otp", "*_token", "*_secret", ...: the log is shown
// to residents and staff and kept for years), an ip over 64 bytes or with characters no
// IPv4/IPv6 address has, and any text that is not valid UTF-8.
Status validate(const AuditEvent& event);

// The bytes the hash is computed over. Unambiguous by construction, so that no two different
// rows can encode alike:
//
//   "zocalo.audit.v1" field*   (the tag is itself encoded as a field, below)
//   field = 0x00                                  a NULL (account_id or ip absent)
//         | 0x01 length:u64 big-endian bytes      a value
//
// in this order: prev_hash (hex), id (decimal), account_id (decimal or NULL), actor_kind
// ("resident"...), actor_id, action, detail (the stored JSON text, byte for byte), ip (or
// NULL), created_at (decimal). Changing the order, a field or the tag is a new version ("v2")
// and verify() must then know both.
std::string canonical_audit_bytes(std::string_view prev_hash, long long id,
                                  const AuditEvent& event);

// Lower-case hex SHA-256 of canonical_audit_bytes().
std::string audit_hash(std::string_view prev_hash, long long id, const AuditEvent& event);

}  // namespace zocalo::identity
