#pragma once
// OAuth 2.0 scopes (RFC 6749 §3.3): space-separated scope-tokens, as sets. Plain functions.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace zocalo::identity::oidc {

// The scopes this provider understands (OpenID Connect Core §5.4 plus "curp", Mexico's
// population-registry key, and §11 "offline_access").
inline constexpr std::string_view kSupportedScopes[] = {
    "openid", "profile", "email", "phone", "address", "curp", "offline_access"};
bool is_supported_scope(std::string_view scope);

inline constexpr std::size_t kMaxScopeBytes = 1000;
inline constexpr std::size_t kMaxScopes = 30;

// Splits a scope parameter into its tokens, in order, without duplicates. nullopt when it is
// longer than kMaxScopeBytes, holds more than kMaxScopes tokens or a character outside
// RFC 6749 §3.3's scope-token (%x21 / %x23-5B / %x5D-7E). Runs of spaces are tolerated.
std::optional<std::vector<std::string>> parse_scopes(std::string_view text);
std::string join_scopes(const std::vector<std::string>& scopes);
bool has_scope(const std::vector<std::string>& scopes, std::string_view scope);
// Whether every scope of `inner` is in `outer`.
bool is_subset(const std::vector<std::string>& inner, const std::vector<std::string>& outer);
// The scopes of `scopes` that are also in `allowed`, in the order of `scopes`.
std::vector<std::string> intersect(const std::vector<std::string>& scopes,
                                   const std::vector<std::string>& allowed);

}  // namespace zocalo::identity::oidc
