#pragma once
// One result type for expected failures (LevelDB's Status, std::expected's shape). An Error
// carries a kind (mapped to an HTTP status in exactly one place: http/errors.hpp), a message
// key safe to show the user (looked up in the locale catalogs), and detail for the log only.
#include <string>
#include <utility>
#include <variant>

namespace zocalo {

enum class ErrorKind {
  kInvalidInput,  // 400 / 422: the caller sent something malformed or against the rules
  kUnauthorized,  // 401: who are you?
  kForbidden,     // 403: you may not
  kNotFound,      // 404
  kConflict,      // 409: state does not allow it (already exists, wrong status)
  kTooLarge,      // 413
  kRateLimited,   // 429
  kUnavailable,   // 503: a dependency (database, SMTP) is down; try again
  kInternal,      // 500: a bug or broken invariant; the user sees nothing of the detail
};

struct Error {
  ErrorKind kind = ErrorKind::kInternal;
  std::string user_key;  // catalog key, e.g. "error.not_found"; never contains input
  std::string detail;    // for the log; may contain input, never shown to the user

  static Error invalid(std::string key, std::string detail = {}) {
    return {ErrorKind::kInvalidInput, std::move(key), std::move(detail)};
  }
  static Error not_found(std::string detail = {}) {
    return {ErrorKind::kNotFound, "error.not_found", std::move(detail)};
  }
  static Error forbidden(std::string detail = {}) {
    return {ErrorKind::kForbidden, "error.forbidden", std::move(detail)};
  }
  static Error conflict(std::string key, std::string detail = {}) {
    return {ErrorKind::kConflict, std::move(key), std::move(detail)};
  }
  static Error unavailable(std::string detail) {
    return {ErrorKind::kUnavailable, "error.unavailable", std::move(detail)};
  }
  static Error internal(std::string detail) {
    return {ErrorKind::kInternal, "error.internal", std::move(detail)};
  }
};

// Wraps an Error so that `return Unexpected{err};` reads like std::unexpected.
struct Unexpected {
  Error error;
};
inline Unexpected fail(Error e) {
  return Unexpected{std::move(e)};
}

template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}         // NOLINT(google-explicit-constructor)
  Result(Unexpected u) : v_(std::move(u.error)) {}  // NOLINT(google-explicit-constructor)

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }
  T& value() & { return std::get<0>(v_); }
  const T& value() const& { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  const Error& error() const { return std::get<1>(v_); }

 private:
  std::variant<T, Error> v_;
};

template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Unexpected u) : error_(std::move(u.error)), ok_(false) {}  // NOLINT
  bool ok() const { return ok_; }
  explicit operator bool() const { return ok_; }
  const Error& error() const { return error_; }

 private:
  Error error_;
  bool ok_ = true;
};

using Status = Result<void>;

}  // namespace zocalo
