#include "requests/routes/open311_request_routes.hpp"

#include <string>
#include <utility>
#include <vector>

#include "platform/core/log.hpp"
#include "platform/core/time.hpp"
#include "platform/http/gzip.hpp"
#include "requests/model/folio.hpp"
#include "requests/open311/post_request.hpp"
#include "requests/open311/request_documents.hpp"
#include "requests/open311/request_query.hpp"
#include "requests/open311/update_documents.hpp"
#include "requests/routes/open311_call.hpp"
#include "requests/routes/photo_store.hpp"
#include "requests/routes/photo_upload.hpp"
#include "requests/store/api_key_store.hpp"
#include "requests/store/request_store.hpp"
#include "requests/store/service_store.hpp"

namespace zocalo::requests {
namespace {

using open311::Format;
using open311::Open311Error;

// Ids and tokens travel in paths and comma lists: 1..64 of [A-Za-z0-9_.-].
bool is_valid_id(std::string_view id) {
  if (id.empty() || id.size() > 64) return false;
  for (const char c : id) {
    if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
          c == '.' || c == '-')) {
      return false;
    }
  }
  return true;
}

struct PostCall {
  Open311Call call;
  const open311::FormFields* fields = nullptr;
  ApiKeyRecord key;
  const http::UploadedFile* media = nullptr;  // the `media` part, if any
  std::optional<http::Response> refused;      // set when the call stops here
};

// What both POSTs share, in the order the spec's errors rank: the format (404), the body
// (400), jurisdiction_id (404), then api_key (403) — checked before anything else is read.
PostCall read_post(const Open311Context& ctx, http::Request& req) {
  PostCall post;
  post.call = read_call(req, ctx.options.jurisdiction_id);
  if (!post.call.ok()) {
    post.refused = errors_answer(post.call.errors, post.call.format);
    return post;
  }
  const Format format = post.call.format;
  const Result<http::FormData>& form = req.form();
  if (!form) {
    post.refused =
        errors_answer({{400,
                        "The body must be application/x-www-form-urlencoded or multipart/form-data "
                        "with valid UTF-8 fields."}},
                      format);
    return post;
  }
  // The widely used `media` extension (STANDARDS.md): one photo as a multipart file part.
  // Any other file part, or a second one, is refused before anything is read further.
  for (const http::UploadedFile& f : form->files()) {
    if (ctx.options.blobs == nullptr) {
      post.refused = errors_answer(
          {{400, "File uploads are not accepted here; give a photo as media_url."}}, format);
      return post;
    }
    if (f.field != "media" || post.media != nullptr) {
      post.refused =
          errors_answer({{400, "Only one file part is accepted: the photo, named media."}}, format);
      return post;
    }
    post.media = &f;
  }
  post.fields = &form->fields();
  const auto jurisdiction = open311::single_field(*post.fields, "jurisdiction_id");
  if (jurisdiction && *jurisdiction != ctx.options.jurisdiction_id) {
    post.refused = errors_answer({{404, "Unknown jurisdiction_id; this endpoint serves '" +
                                            ctx.options.jurisdiction_id + "'."}},
                                 format);
    return post;
  }
  // Open311 GeoReport v2: api_key is required to POST; a missing or bad one is 403.
  const auto key = open311::single_field(*post.fields, "api_key");
  if (!key) {
    post.refused = errors_answer({{403, "api_key is required to POST."}}, format);
    return post;
  }
  auto found = ApiKeyStore(ctx.db).authenticate(*key);
  if (!found) {
    post.refused = failure_answer(req, found.error(), format);
    return post;
  }
  if (!*found) {
    post.refused = errors_answer({{403, "Invalid or revoked api_key."}}, format);
    return post;
  }
  post.key = std::move(**found);
  return post;
}

// What happens next, in the caller's language: who answers and by when (UTC, as every
// Open311 datetime; apps show it in the resident's zone).
std::string service_notice(const CreatedRequest& created, const std::string& display_folio,
                           std::string_view locale) {
  const bool en = locale.starts_with("en");
  const std::string& agency =
      en && !created.agency_name_en.empty() ? created.agency_name_en : created.agency_name_es;
  std::string notice = en ? "Folio " + display_folio + ". Handled by " + agency + "."
                          : "Folio " + display_folio + ". Lo atiende " + agency + ".";
  if (created.expected_at) {
    notice += en ? " Expected by " : " Fecha compromiso: ";
    notice += time::to_iso8601(*created.expected_at) + ".";
  }
  return notice;
}

// An Open311 error description for a refused `media` part (keys of media::normalise_photo).
std::string media_error_description(std::string_view key) {
  if (key == "media.too_large") return "media: the photo is larger than 10 MB.";
  if (key == "media.too_many_pixels") return "media: the photo has too many pixels.";
  if (key == "media.unreadable") return "media: the photo is damaged or truncated.";
  if (key == "media.unsupported_format") {
    return "media: this photo format cannot be read; send JPEG, PNG or WebP.";
  }
  return "media: not a JPEG, PNG, WebP or HEIC image.";
}

std::string transition_description(const Error& error) {
  if (error.user_key == "requests.status.reopen_window_closed") {
    return "status: the window to reopen this request has closed; file a new request.";
  }
  return "status: this request cannot move to that status from its current one.";
}

// The list cache's key: everything the answer depends on besides the data. Query fields keep
// their order (a reordered query is only a separate entry); the separators cannot occur in a
// decoded field, which read_call has checked to be valid UTF-8 text.
std::string list_cache_key(const Open311Call& call, const http::Request& req) {
  std::string key(open311::to_string(call.format));
  key += '\x1f';
  key += call.locale;
  for (const auto& [name, value] : req.query()->fields()) {
    key += '\x1f';
    key += name;
    key += '\x1e';
    key += value;
  }
  return key;
}

// A kept answer in the coding the client takes: the gzip bytes kept beside the identity ones
// spare compressing half a megabyte per call.
http::Response cached_document_answer(const http::Request& req, const http::CachedAnswer& answer,
                                      Format format) {
  const auto accept = req.headers.get("Accept-Encoding");
  const bool gzip = !answer.gzip_body.empty() && accept && http::accepts_gzip(*accept);
  http::Response res = document_answer(gzip ? answer.gzip_body : answer.body, format);
  if (gzip) res.headers.set("Content-Encoding", "gzip");
  return res;
}

}  // namespace

http::Response post_request(const Open311Context& ctx, http::Request& req) {
  PostCall post = read_post(ctx, req);
  if (post.refused) return std::move(*post.refused);
  const Format format = post.call.format;
  const open311::FormFields& fields = *post.fields;

  // Open311 GeoReport v2: an unknown service_code is 404.
  const auto code = open311::single_field(fields, "service_code");
  if (!code) return errors_answer({{400, "service_code is required."}}, format);
  if (!is_valid_service_code(*code)) {
    return errors_answer({{404, "Unknown service_code."}}, format);
  }
  auto service = ServiceStore(ctx.db).find(*code);
  if (!service) return failure_answer(req, service.error(), format);
  if (!*service || !(*service)->active) {
    return errors_answer({{404, "Unknown service_code '" + *code + "'."}}, format);
  }

  open311::ParsedPostRequest parsed = open311::parse_post_request(fields);
  if (!parsed.ok()) return errors_answer(parsed.errors, format);
  auto answers = validate_attribute_values((*service)->attributes, parsed.input.attributes);
  if (!answers) {
    // The detail names the attribute and the rule, never the value (attribute.hpp).
    return errors_answer({{400, "attribute: " + answers.error().detail + "."}}, format);
  }

  NewServiceRequest request;
  request.service_code = (*service)->code;
  request.point = parsed.input.point;
  request.address_string = std::move(parsed.input.address_string);
  request.address_id = std::move(parsed.input.address_id);
  request.description = std::move(parsed.input.description);
  request.media_url = std::move(parsed.input.media_url);
  request.contact = std::move(parsed.input.contact);
  request.attributes = std::move(*answers);
  request.channel = "api:" + post.key.name;
  request.api_key_id = post.key.id;
  request.requested_at = time::now_unix();

  std::optional<StoredPhoto> photo;
  if (post.media != nullptr) {
    if (!request.media_url.empty()) {
      return errors_answer({{400, "media: give the photo as media or as media_url, not both."}},
                           format);
    }
    // Normalised on this worker thread like the web form's photo; nothing is stored when it
    // is refused.
    auto stored = store_photo(*ctx.options.blobs, post.media->data, ctx.options.photo_limits);
    if (!stored) {
      const Error& e = stored.error();
      if (e.user_key.starts_with("media.") && e.kind != ErrorKind::kInternal) {
        return errors_answer({{400, media_error_description(e.user_key)}}, format);
      }
      return failure_answer(req, e, format);
    }
    photo = std::move(*stored);
    request.media_url = photo_url(ctx.options.base_url, photo->photo_sha256);
  }

  // The reporter's intake notices (e-mail, SMS, inbox) go in the same transaction as the
  // request, in the caller's language, as for the web form.
  auto created = PhotoStore(ctx.db, ctx.options.blobs)
                     .file(*ctx.areas, request, **service, std::string(), post.call.locale,
                           ctx.options.base_url, photo);
  if (!created) {
    if (created.error().user_key == "requests.location.outside") {
      return errors_answer({{400, "The location is outside the city's areas."}}, format);
    }
    return failure_answer(req, created.error(), format);
  }
  log::info("open311.request_created", {{"request_id", req.request_id},
                                        {"folio", created->folio},
                                        {"service_code", request.service_code},
                                        {"agency", created->agency_code},
                                        {"channel", request.channel}});
  open311::PostAnswer answer;
  // Open311 GeoReport v2: batch services answer with a token to exchange for the id later;
  // we file synchronously, so GET /tokens/{token} has the id at once.
  if ((*service)->type == ServiceType::kBatch) {
    answer.token = created->token;
  } else {
    answer.service_request_id = created->folio;
  }
  auto folio = parse_folio(created->folio);
  answer.service_notice =
      service_notice(*created, folio ? folio->display() : created->folio, post.call.locale);
  answer.account_id = request.contact.account_id;
  return document_answer(open311::render_post_answer({answer}, format), format);
}

http::Response request_list(const Open311Context& ctx, http::Request& req) {
  const Open311Call call = read_call(req, ctx.options.jurisdiction_id);
  if (!call.ok()) return errors_answer(call.errors, call.format);
  const auto parsed = open311::parse_request_query(req.query()->fields(), time::now_unix());
  if (!parsed.ok()) return errors_answer(parsed.errors, call.format);
  RequestStore store(ctx.db, *ctx.areas);
  // The version is read (by a read that started after this call arrived) before the data, so
  // a kept answer is never older than its version (ADR 0008).
  auto version = ctx.list_version->get();
  if (!version) return failure_answer(req, version.error(), call.format);
  auto answer =
      ctx.list_cache->get(list_cache_key(call, req), *version, [&]() -> Result<std::string> {
        auto requests = store.query(parsed.query, call.locale);
        if (!requests) return fail(requests.error());
        return open311::render_requests(*requests, call.format, call.locale);
      });
  if (!answer) return failure_answer(req, answer.error(), call.format);
  http::Response res = cached_document_answer(req, **answer, call.format);
  res.headers.set("Content-Language", call.locale);
  res.headers.set("Vary", "Accept-Encoding, Accept-Language, Cookie");
  return res;
}

http::Response request_by_id(const Open311Context& ctx, http::Request& req) {
  const Open311Call call = read_call(req, ctx.options.jurisdiction_id);
  if (!call.ok()) return errors_answer(call.errors, call.format);
  const std::string& id = req.params.at("id");
  if (!is_valid_id(id)) return errors_answer({{404, "Unknown service_request_id."}}, call.format);
  // extensions=true applies here as on the list; every other filter is the id's.
  std::vector<std::pair<std::string, std::string>> params{{"service_request_id", id}};
  for (const auto& [name, value] : req.query()->fields()) {
    if (name == "extensions") params.emplace_back(name, value);
  }
  const auto parsed = open311::parse_request_query(params, time::now_unix());
  if (!parsed.ok()) return errors_answer(parsed.errors, call.format);
  auto requests = RequestStore(ctx.db, *ctx.areas).query(parsed.query, call.locale);
  if (!requests) return failure_answer(req, requests.error(), call.format);
  if (requests->empty()) {
    return errors_answer({{404, "Unknown service_request_id '" + id + "'."}}, call.format);
  }
  http::Response res =
      document_answer(open311::render_requests(*requests, call.format, call.locale), call.format);
  res.headers.set("Content-Language", call.locale);
  res.headers.set("Vary", "Accept-Language, Cookie");
  return res;
}

http::Response request_id_from_token(const Open311Context& ctx, http::Request& req) {
  const Open311Call call = read_call(req, ctx.options.jurisdiction_id);
  if (!call.ok()) return errors_answer(call.errors, call.format);
  const std::string& token = req.params.at("token");
  if (!is_valid_id(token)) return errors_answer({{404, "Unknown token."}}, call.format);
  auto folio = RequestStore(ctx.db, *ctx.areas).folio_for_token(token);
  if (!folio) return failure_answer(req, folio.error(), call.format);
  if (!*folio) return errors_answer({{404, "Unknown token."}}, call.format);
  return document_answer(open311::render_token_answer({{**folio, token}}, call.format),
                         call.format);
}

http::Response update_list(const Open311Context& ctx, http::Request& req) {
  const Open311Call call = read_call(req, ctx.options.jurisdiction_id);
  if (!call.ok()) return errors_answer(call.errors, call.format);
  const open311::FormFields& fields = req.query()->fields();
  UpdateQuery query;
  std::vector<Open311Error> errors;
  for (const std::string_view name : {"start_date", "end_date"}) {
    bool twice = false;
    const auto value = open311::single_field(fields, name, &twice);
    if (!value) continue;
    const auto instant = time::parse_iso8601(*value);
    if (!instant || twice) {
      errors.push_back({400, std::string(name) + ": one ISO 8601 datetime with a zone."});
    } else {
      (name == "start_date" ? query.start_date : query.end_date) = *instant;
    }
  }
  for (const auto& [name, value] : fields) {
    if (name != "service_request_id") continue;
    std::string_view rest = value;
    while (!rest.empty()) {
      const std::size_t comma = rest.find(',');
      const std::string_view item = rest.substr(0, comma);
      rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(comma + 1);
      if (item.empty()) continue;
      if (!is_valid_id(item) || query.service_request_ids.size() >= open311::kMaxRequestIds) {
        errors.push_back({400, "service_request_id: a comma list of ids."});
        break;
      }
      query.service_request_ids.emplace_back(item);
    }
  }
  if (query.start_date && query.end_date && *query.end_date < *query.start_date) {
    errors.push_back({400, "end_date is before start_date."});
  }
  if (!errors.empty()) return errors_answer(errors, call.format);
  // The same default as GET requests: the last 90 days, at most 1,000 updates.
  if (!query.start_date && !query.end_date && query.service_request_ids.empty()) {
    query.end_date = time::now_unix();
    query.start_date = *query.end_date - open311::kDefaultWindowSeconds;
  }
  auto updates = RequestStore(ctx.db, *ctx.areas).updates(query);
  if (!updates) return failure_answer(req, updates.error(), call.format);
  std::vector<open311::UpdateView> views;
  views.reserve(updates->size());
  for (const RequestUpdateView& u : *updates) {
    views.push_back({std::to_string(u.update_id), u.service_request_id, u.status, u.updated_at,
                     u.description, u.media_url});
  }
  return document_answer(open311::render_updates(views, call.format), call.format);
}

http::Response post_update(const Open311Context& ctx, http::Request& req) {
  PostCall post = read_post(ctx, req);
  if (post.refused) return std::move(*post.refused);
  const Format format = post.call.format;
  open311::ParsedPostUpdate parsed = open311::parse_post_update(*post.fields);
  if (!parsed.ok()) return errors_answer(parsed.errors, format);
  if (!is_valid_id(parsed.input.service_request_id)) {
    return errors_answer({{404, "Unknown service_request_id."}}, format);
  }
  RequestUpdateInput update;
  update.folio = parsed.input.service_request_id;
  update.status = parsed.input.status;
  update.description = std::move(parsed.input.description);
  update.media_url = std::move(parsed.input.media_url);
  // Keys are issued by the city to agency systems and 311 channels: they act as staff.
  update.actor = StatusActor::kStaff;
  update.actor_name = "api:" + post.key.name;
  update.now = time::now_unix();
  auto id = RequestStore(ctx.db, *ctx.areas).add_update(update);
  if (!id) {
    const Error& e = id.error();
    if (e.kind == ErrorKind::kNotFound) {
      return errors_answer({{404, "Unknown service_request_id '" + update.folio + "'."}}, format);
    }
    if (e.user_key.starts_with("requests.status.")) {
      return errors_answer({{400, transition_description(e)}}, format);
    }
    return failure_answer(req, e, format);
  }
  return document_answer(open311::render_update_answer(std::to_string(*id), format), format);
}

}  // namespace zocalo::requests
