#pragma once
// Maps what the drivers throw to an Error, once, so every store reports failures alike:
// "try again" conditions (SQLite busy/locked, PostgreSQL connection loss, serialization
// failures, deadlocks) become kUnavailable (HTTP 503); everything else is kInternal (500).
#include <exception>
#include <string_view>

#include "platform/core/result.hpp"

namespace zocalo::db {

// `context` says what was being done ("transaction", "migrate 0002_portal"), for the log.
Error error_from_exception(const std::exception& e, std::string_view context);
// True when `e` means the connection itself is gone and the session must reconnect.
bool is_connection_lost(const std::exception& e);

}  // namespace zocalo::db
