#include "platform/http/router.hpp"

#include <algorithm>
#include <array>
#include <stdexcept>
#include <utility>

#include "platform/http/form.hpp"

namespace zocalo::http {
namespace {

constexpr std::size_t kMethodCount = static_cast<std::size_t>(Method::kOther) + 1;
// Bounds the capture stack used while matching, so lookups never allocate until they succeed.
constexpr std::size_t kMaxParams = 16;

std::size_t method_index(Method m) {
  return static_cast<std::size_t>(m);
}

// One piece of a pattern segment: literal text, or a parameter name.
struct Part {
  bool param = false;
  std::string text;
};

struct Capture {
  std::string_view name;
  std::string_view raw;  // still percent-encoded
};

bool valid_param_name(std::string_view name) {
  if (name.empty()) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
  });
}

// "{code}.{fmt}" -> [param code, literal ".", param fmt].
std::vector<Part> parse_segment(std::string_view seg, const std::string& pattern) {
  std::vector<Part> parts;
  std::size_t i = 0;
  while (i < seg.size()) {
    if (seg[i] == '{') {
      const std::size_t close = seg.find('}', i);
      if (close == std::string_view::npos) {
        throw std::invalid_argument("route pattern has an unclosed '{': " + pattern);
      }
      std::string_view name = seg.substr(i + 1, close - i - 1);
      if (!valid_param_name(name)) {
        throw std::invalid_argument("route pattern has a bad parameter name: " + pattern);
      }
      // Two parameters with nothing between them could split the text anywhere.
      if (!parts.empty() && parts.back().param) {
        throw std::invalid_argument("route pattern has adjacent parameters: " + pattern);
      }
      parts.push_back({true, std::string(name)});
      i = close + 1;
    } else {
      std::size_t next = seg.find_first_of("{}", i);
      if (next != std::string_view::npos && seg[next] == '}') {
        throw std::invalid_argument("route pattern has a stray '}': " + pattern);
      }
      if (next == std::string_view::npos) next = seg.size();
      parts.push_back({false, std::string(seg.substr(i, next - i))});
      i = next;
    }
  }
  return parts;
}

bool needs_decoding(std::string_view s) {
  return s.find('%') != std::string_view::npos;
}

// A raw (percent-encoded) piece of the path is usable as a parameter only if it decodes.
bool decodable(std::string_view raw) {
  return !needs_decoding(raw) || percent_decode(raw, false).has_value();
}

// Matches one path segment against a segment pattern with parameters. Literal separators are
// searched from the right, so "{code}.{fmt}" splits "a.b.json" into "a.b" and "json": the last
// separator wins, which is what format suffixes need.
bool match_parts(const std::vector<Part>& parts, std::string_view seg,
                 std::array<Capture, kMaxParams>& caps, std::size_t& ncaps) {
  const std::size_t base = ncaps;
  // Leading and trailing literals anchor the segment.
  std::size_t first = 0;
  std::size_t last = parts.size();
  if (!parts.front().param) {
    if (!seg.starts_with(parts.front().text)) return false;
    seg.remove_prefix(parts.front().text.size());
    first = 1;
  }
  if (last > first && !parts[last - 1].param) {
    if (!seg.ends_with(parts[last - 1].text)) return false;
    seg.remove_suffix(parts[last - 1].text.size());
    --last;
  }
  // What remains alternates param, literal, param, ..., param.
  std::array<std::string_view, kMaxParams> values;
  std::size_t nvalues = 0;
  for (std::size_t i = last; i-- > first;) {
    if (parts[i].param) {
      if (i == first) {
        values[nvalues++] = seg;
      }
      continue;
    }
    const std::size_t at = seg.rfind(parts[i].text);
    if (at == std::string_view::npos) return false;
    values[nvalues++] = seg.substr(at + parts[i].text.size());
    seg = seg.substr(0, at);
  }
  // values[] holds the parameters right to left.
  std::size_t v = nvalues;
  for (std::size_t i = first; i < last; ++i) {
    if (!parts[i].param) continue;
    const std::string_view value = values[--v];
    if (value.empty() || !decodable(value) || ncaps == kMaxParams) {
      ncaps = base;
      return false;
    }
    caps[ncaps++] = {parts[i].text, value};
  }
  return true;
}

void append_allow(std::string& out, std::string_view name) {
  if (!out.empty()) out += ", ";
  out += name;
}

}  // namespace

struct Router::Node {
  struct ParamEdge {
    std::string segment;  // the pattern text, so equal segments share one edge
    std::vector<Part> parts;
    std::unique_ptr<Node> child;
  };

  // Kept sorted by name for binary search.
  std::vector<std::pair<std::string, std::unique_ptr<Node>>> literals;
  std::vector<ParamEdge> params;  // tried in the order they were added
  std::string wildcard_name;
  std::unique_ptr<Node> wildcard;
  std::array<const Route*, kMethodCount> routes{};

  const Route* route_for(Method m) const {
    if (const Route* r = routes[method_index(m)]) return r;
    // RFC 9110 §9.3.2: HEAD is GET without the content; a GET route answers it.
    if (m == Method::kHead) return routes[method_index(Method::kGet)];
    return nullptr;
  }

  Node* literal_child(std::string_view name) const {
    auto it = std::lower_bound(literals.begin(), literals.end(), name,
                               [](const auto& e, std::string_view n) { return e.first < n; });
    if (it != literals.end() && it->first == name) return it->second.get();
    return nullptr;
  }
};

namespace {

// Depth-first search in priority order (literal, then parameters, then wildcard). The first
// node that has a route for the method wins; nodes that match the path but not the method add
// their methods to `allow_mask` for the 405 answer.
struct Search {
  std::string_view path;
  Method method;
  std::array<Capture, kMaxParams> caps{};
  std::size_t ncaps = 0;
  unsigned allow_mask = 0;
  const Route* found = nullptr;

  template <class NodeT>
  bool terminal(const NodeT& node) {
    if (const Route* r = node.route_for(method)) {
      found = r;
      return true;
    }
    for (std::size_t i = 0; i < kMethodCount; ++i) {
      if (node.routes[i]) allow_mask |= 1u << i;
    }
    return false;
  }

  // `pos` is where the current segment starts; npos when the path has no segments left.
  template <class NodeT>
  bool walk(const NodeT& node, std::size_t pos) {
    if (pos == std::string_view::npos) return terminal(node);
    const std::size_t end = path.find('/', pos);
    const std::string_view seg =
        path.substr(pos, end == std::string_view::npos ? std::string_view::npos : end - pos);
    const std::size_t next = end == std::string_view::npos ? end : end + 1;

    if (!node.literals.empty()) {
      const NodeT* child = nullptr;
      if (needs_decoding(seg)) {
        if (auto decoded = percent_decode(seg, false)) child = node.literal_child(*decoded);
      } else {
        child = node.literal_child(seg);
      }
      if (child && walk(*child, next)) return true;
    }
    for (const auto& edge : node.params) {
      const std::size_t saved = ncaps;
      if (match_parts(edge.parts, seg, caps, ncaps) && walk(*edge.child, next)) return true;
      ncaps = saved;
    }
    if (node.wildcard) {
      const std::string_view rest = path.substr(pos);
      if (decodable(rest) && ncaps < kMaxParams) {
        caps[ncaps++] = {node.wildcard_name, rest};
        if (terminal(*node.wildcard)) return true;
        --ncaps;
      }
    }
    return false;
  }
};

}  // namespace

Router::Router() : root_(std::make_unique<Node>()) {}
Router::~Router() = default;

void Router::add(Method m, std::string pattern, Handler h, RouteOptions o) {
  if (finalized_) throw std::logic_error("Router::add after finalize(): " + pattern);
  if (pattern.empty() || pattern.front() != '/') {
    throw std::invalid_argument("route pattern must start with '/': " + pattern);
  }
  if (m == Method::kOther) throw std::invalid_argument("route needs a known method: " + pattern);
  if (!h) throw std::invalid_argument("route without a handler: " + pattern);

  Node* node = root_.get();
  std::size_t nparams = 0;
  std::vector<std::string> names;
  const std::string_view body = std::string_view(pattern).substr(1);
  std::size_t pos = 0;
  while (true) {
    const std::size_t end = body.find('/', pos);
    const std::string_view seg = body.substr(pos, end == std::string_view::npos ? end : end - pos);
    const bool last = end == std::string_view::npos;

    if (seg.size() > 3 && seg.front() == '{' && seg.ends_with("*}")) {
      if (!last) throw std::invalid_argument("a {name*} wildcard must be last: " + pattern);
      std::string name(seg.substr(1, seg.size() - 3));
      if (!valid_param_name(name)) {
        throw std::invalid_argument("route pattern has a bad wildcard name: " + pattern);
      }
      if (node->wildcard && node->wildcard_name != name) {
        throw std::invalid_argument("two wildcard names at one place: " + pattern);
      }
      if (!node->wildcard) {
        node->wildcard = std::make_unique<Node>();
        node->wildcard_name = name;
      }
      names.push_back(std::move(name));
      ++nparams;
      node = node->wildcard.get();
    } else if (seg.find_first_of("{}") != std::string_view::npos) {
      std::vector<Part> parts = parse_segment(seg, pattern);
      for (const Part& p : parts) {
        if (p.param) {
          names.push_back(p.text);
          ++nparams;
        }
      }
      auto it = std::find_if(node->params.begin(), node->params.end(),
                             [&](const Node::ParamEdge& e) { return e.segment == seg; });
      if (it == node->params.end()) {
        node->params.push_back({std::string(seg), std::move(parts), std::make_unique<Node>()});
        it = std::prev(node->params.end());
      }
      node = it->child.get();
    } else {
      Node* child = node->literal_child(seg);
      if (!child) {
        auto it = std::lower_bound(node->literals.begin(), node->literals.end(), seg,
                                   [](const auto& e, std::string_view n) { return e.first < n; });
        it = node->literals.emplace(it, std::string(seg), std::make_unique<Node>());
        child = it->second.get();
      }
      node = child;
    }
    if (last) break;
    pos = end + 1;
  }
  if (nparams > kMaxParams) throw std::invalid_argument("too many parameters: " + pattern);
  std::sort(names.begin(), names.end());
  if (std::adjacent_find(names.begin(), names.end()) != names.end()) {
    throw std::invalid_argument("route pattern repeats a parameter name: " + pattern);
  }
  if (node->routes[method_index(m)]) {
    throw std::invalid_argument("duplicate route: " + std::string(method_name(m)) + " " + pattern);
  }
  auto route = std::make_unique<Route>(Route{m, std::move(pattern), std::move(h), o, {}});
  node->routes[method_index(m)] = route.get();
  routes_.push_back(std::move(route));
}

void Router::use(Middleware m) {
  if (finalized_) throw std::logic_error("Router::use after finalize()");
  middleware_.push_back(std::move(m));
}

void Router::set_fallback(std::function<Response(Request&, int, const std::string&)> f) {
  if (finalized_) throw std::logic_error("Router::set_fallback after finalize()");
  fallback_ = std::move(f);
}

void Router::finalize() {
  if (finalized_) return;
  // Composing once here means a request pays for the chain's calls, never for building it.
  for (auto& route : routes_) route->composed = compose(middleware_, route->handler);
  composed_fallback_ = compose(middleware_, [this](Request& req) {
    const int status = req.route_name == "<405>" ? 405 : 404;
    std::string allow;
    if (status == 405) allow = std::string(req.headers.get("Allow").value_or(""));
    Response res = fallback_ ? fallback_(req, status, allow)
                             : Response::text(std::string(reason_phrase(status)), status);
    // RFC 9110 §15.5.6: a 405 response MUST carry Allow.
    if (status == 405 && !res.headers.has("Allow")) res.headers.set("Allow", allow);
    return res;
  });
  finalized_ = true;
}

Match Router::match(Method m, std::string_view path) const {
  Match out;
  if (path.empty() || path.front() != '/') return out;
  Search s{path, m};
  if (s.walk(*root_, 1)) {
    out.route = s.found;
    for (std::size_t i = 0; i < s.ncaps; ++i) {
      const Capture& c = s.caps[i];
      std::string value;
      if (needs_decoding(c.raw)) {
        value = percent_decode(c.raw, false).value_or(std::string());
      } else {
        value.assign(c.raw);
      }
      out.params.emplace(std::string(c.name), std::move(value));
    }
    return out;
  }
  if (s.allow_mask & (1u << method_index(Method::kGet))) {
    s.allow_mask |= 1u << method_index(Method::kHead);
  }
  // A stable order reads better than the enum's: GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS.
  static constexpr std::array<Method, 7> kOrder = {Method::kGet,    Method::kHead,  Method::kPost,
                                                   Method::kPut,    Method::kPatch, Method::kDelete,
                                                   Method::kOptions};
  for (Method each : kOrder) {
    if (s.allow_mask & (1u << method_index(each))) append_allow(out.allow, method_name(each));
  }
  return out;
}

Response Router::dispatch(Request& req) const {
  // Match on the target's raw path: segments are decoded one at a time, so an encoded '/'
  // (%2F) stays inside its parameter instead of splitting the path.
  std::string_view raw = req.target;
  if (raw.empty()) raw = req.path;
  if (const std::size_t q = raw.find('?'); q != std::string_view::npos) raw = raw.substr(0, q);
  return dispatch(req, match(req.method, raw));
}

Response Router::dispatch(Request& req, const Match& m) const {
  Match copy = m;
  return dispatch(req, std::move(copy));
}

Response Router::dispatch(Request& req, Match&& m) const {
  if (!finalized_) throw std::logic_error("Router::dispatch before finalize()");
  if (m.route) {
    req.params = std::move(m.params);
    req.route_name = m.route->pattern;
    req.csrf_exempt = m.route->options.csrf_exempt;
    return m.route->composed(req);
  }
  req.params.clear();
  // A 404/405 answer changes nothing, so there is nothing to forge: the client should learn
  // that the path or method is wrong, not that a token is missing.
  req.csrf_exempt = true;
  if (m.allow.empty()) {
    req.route_name = "<404>";
    req.headers.erase("Allow");
  } else {
    req.route_name = "<405>";
    req.headers.set("Allow", std::move(m.allow));
  }
  return composed_fallback_(req);
}

Handler compose(const std::vector<Middleware>& chain, Handler inner) {
  Handler h = std::move(inner);
  for (auto it = chain.rbegin(); it != chain.rend(); ++it) {
    h = [mw = *it, next = std::move(h)](Request& req) { return mw(req, next); };
  }
  return h;
}

}  // namespace zocalo::http
