#pragma once
// Operator commands of the identity module: signing keys and the audit chain.
#include <cstdint>

#include "app/config.hpp"

namespace zocalo::app {

// The longest any token we sign may live, plus verifiers' leeway: how long a retired signing
// key stays in the JWKS (OpenID Provider tokens live at most an hour).
inline constexpr std::int64_t kMaxTokenLifetimeSeconds = 3600 + 60;
// A rotated-in key is published this long before it signs, longer than relying parties cache
// our JWKS (max-age 300 s) plus our own reload interval (60 s).
inline constexpr std::int64_t kPublishAheadSeconds = 600;

// Each returns the process exit code.
int rotate_keys(const Config& config);
int print_new_master_key();
int verify_audit(const Config& config);

}  // namespace zocalo::app
