#pragma once
// The key-encryption key that seals the OpenID Provider's signing keys at rest. It never lives
// in the database: a database copy (or backup) without it holds no usable signing key.
#include <string>

#include "app/config.hpp"
#include "platform/core/result.hpp"

namespace zocalo::app {

// 32 raw bytes, from (first that applies):
//  1. ZOCALO_MASTER_KEY: base64url of 32 bytes (43 characters) — required on PostgreSQL, where
//     several nodes must share it (generate one with `zocalo keys new-master-key`);
//  2. on SQLite, <data-dir>/master.key, created on first use with mode 0600 (refused when
//     group or others can read it). Back it up apart from the database.
Result<std::string> resolve_master_key(const Config& config);

// A fresh value for ZOCALO_MASTER_KEY.
std::string new_master_key_text();

}  // namespace zocalo::app
