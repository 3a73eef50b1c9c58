#pragma once
// Splits a migration file into single statements. SOCI's sqlite3 backend prepares only the first
// statement of a string (sqlite3_prepare_v2 stops at the first ';'), and libpq's extended protocol
// refuses several commands in one string, so migrations run one statement at a time.
#include <string>
#include <string_view>
#include <vector>

namespace zocalo::db {

// Splits at semicolons outside 'strings', "identifiers", -- and /* */ comments, PostgreSQL
// $tag$ bodies $tag$, and the BEGIN ... END body of a CREATE TRIGGER (SQLite). Statements are
// returned trimmed, without their final semicolon; empty and comment-only pieces are dropped.
std::vector<std::string> split_sql_statements(std::string_view script);

}  // namespace zocalo::db
