#pragma once
// Internal to the server: the RFC 9112 rules applied between the socket and the router —
// checking the request-target, trusting a proxy's forwarding headers, content coding and
// serialising the response head. Plain functions, so they are unit-testable without sockets.
#include <cstddef>
#include <string>
#include <string_view>

#include "platform/http/request.hpp"
#include "platform/http/response.hpp"

namespace zocalo::http::wire {

// Splits req.target into path and raw_query, percent-decoding the path. Returns 0, or 400 for
// a target that is not origin-form (RFC 9112 §3.2.1), a bad escape, invalid UTF-8, NUL, or a
// "." / ".." segment (RFC 3986 §5.2.4: clients resolve them, so only crafted requests keep
// them, and they are how a path escapes a directory).
int decode_target(Request& req);

// The target's path before '?', still percent-encoded (what the router matches on).
std::string_view raw_path(std::string_view target);

// Takes the client address from the last X-Forwarded-For entry (the one our proxy appended;
// earlier ones are the client's to forge) and the scheme from X-Forwarded-Proto.
void apply_forwarded(Request& req);

// gzip for compressible bodies the client accepts, with Vary: Accept-Encoding whenever the
// answer depends on it (RFC 9110 §12.5.5).
void apply_content_coding(const Request& req, Response& res, std::size_t min_bytes);

// RFC 9110 §6.4.1: 1xx, 204 and 304 responses have no content.
bool status_has_body(int status);

// Status line and header fields, ending with the empty line. Content-Length, Connection and
// Transfer-Encoding are ours to write; Date and Server are added unless the handler set them.
void serialize_head(std::string& out, const Response& res, bool keep_alive, bool http10);

// The current IMF-fixdate, formatted at most once per second per thread.
std::string_view http_date_now();

// Whether a response is safe to put on the wire: a 1xx-5xx status and token header names.
bool well_formed(const Response& res);

}  // namespace zocalo::http::wire
