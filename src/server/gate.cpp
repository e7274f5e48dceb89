#include "server/gate.h"

#include <strings.h>

#include "server/http_errors.h"
#include "vox/service/api_key.h"
#include "vox/service/route_access.h"
#include "vox/live/websocket_frames.h"

namespace vox::server {

namespace {

// cpp-httplib runs before(), the route and on_complete() of one request on one pool thread, so
// the job slot taken in before() is remembered here until on_complete() gives it back.
struct HeldSlot {
  Gate* gate = nullptr;
  service::Caller caller;
};
thread_local std::optional<HeldSlot> t_held;

// The key before() authenticated, for caller_key_id() on the same request: the handler runs on
// the same thread, so the store is not asked twice. Matched by request id, never trusted across
// requests.
struct AuthenticatedCaller {
  std::string request_id;
  std::string key_id;
};
thread_local std::optional<AuthenticatedCaller> t_caller;

bool iequals(const std::string& a, const char* b) { return strcasecmp(a.c_str(), b) == 0; }

bool is_websocket_upgrade(const HttpRequest& r) {
  if (!r.header) return false;
  for (const auto& t : ws::header_tokens(r.header("Upgrade")))
    if (iequals(t, "websocket")) return true;
  return false;
}

// The caller's API key: `Authorization: Bearer KEY`, or, on a WebSocket upgrade, the
// `openai-insecure-api-key.KEY` subprotocol that browsers use (they cannot set headers on a
// WebSocket; OpenAI's Realtime API takes the key this way).
std::string request_token(const HttpRequest& r) {
  std::string token = service::bearer_token(r.header ? r.header("Authorization") : "");
  if (!token.empty() || !is_websocket_upgrade(r)) return token;
  static constexpr std::string_view kPrefix = "openai-insecure-api-key.";
  for (const auto& p : ws::header_tokens(r.header("Sec-WebSocket-Protocol")))
    if (p.size() > kPrefix.size() && p.compare(0, kPrefix.size(), kPrefix) == 0) return p.substr(kPrefix.size());
  return token;
}

// Browsers send Origin on a WebSocket upgrade but enforce no CORS on it, so the server must:
// an allowed origin (VOX_CORS_ORIGINS), or the page's own origin (Origin's host = Host), or no
// Origin at all (not a browser). Anything else could be a page riding on the user's access.
bool websocket_origin_allowed(const HttpRequest& r, const service::CorsPolicy& cors) {
  std::string origin = r.header("Origin");
  if (origin.empty() || cors.allows_origin(origin)) return true;
  std::string_view host(origin);
  auto scheme = host.find("://");
  if (scheme == std::string_view::npos) return false;
  host.remove_prefix(scheme + 3);
  std::string own = r.header("Host");
  return !own.empty() && strcasecmp(std::string(host).c_str(), own.c_str()) == 0;
}

void release_held(Gate* only) {
  if (!t_held || (only && t_held->gate != only)) return;
  t_held->gate->services().access->release_job(t_held->caller);
  t_held.reset();
}

}  // namespace

std::optional<HttpReply> Gate::before(const HttpRequest& r) {
  // A slot still held here belongs to a request that ended without on_complete (an exception).
  release_held(nullptr);
  if (draining_ && r.path != "/health") {
    Error e(ErrorCode::kBusy, "the server is shutting down; retry on another instance or once it is back");
    e.retry_after_s = 5;
    return error_reply(e);
  }

  std::string origin = r.header ? r.header("Origin") : "";
  std::string request_method = r.header ? r.header("Access-Control-Request-Method") : "";
  if (service::CorsPolicy::is_preflight(r.method, origin, request_method)) {
    auto answer = s_.cors.preflight(origin, request_method, r.header("Access-Control-Request-Headers"));
    HttpReply reply;
    if (answer.status == 204) {
      reply.status = 204;
      reply.content_type = "text/plain";
    } else {
      reply = error_reply(Error(ErrorCode::kInvalidArgument, "cross-origin requests from " + origin + " are not allowed"));
      reply.status = answer.status;
    }
    reply.headers.insert(reply.headers.end(), answer.headers.begin(), answer.headers.end());
    return reply;
  }

  auto access = service::classify_route(r.method, r.path);
  if (!access.needs_key) return std::nullopt;
  if (is_websocket_upgrade(r) && !websocket_origin_allowed(r, s_.cors)) {
    auto reply = error_reply(Error(ErrorCode::kInvalidArgument, "WebSocket connections from " + r.header("Origin") +
                                                                   " are not allowed (see --cors-origins)"));
    reply.status = 403;
    return reply;
  }
  auto caller = s_.access->authenticate(request_token(r));
  if (!caller) {
    HttpReply reply = error_reply(caller.error());
    if (caller.error().code == ErrorCode::kUnauthorized) reply.headers.emplace_back("WWW-Authenticate", "Bearer");
    return reply;
  }
  if (Status s = s_.access->admit(*caller, access.is_job); !s) return error_reply(s.error());
  if (!r.request_id.empty()) t_caller = AuthenticatedCaller{r.request_id, caller->anonymous ? "" : caller->key_id};
  if (access.is_job && !caller->anonymous && caller->limits.concurrent > 0) t_held = HeldSlot{this, *caller};
  return std::nullopt;
}

void Gate::after(const HttpRequest& r, HttpReply& reply) {
  if (!s_.cors.enabled() || !r.header) return;
  std::string origin = r.header("Origin");
  // A preflight answer from before() already has its CORS headers; a second copy would be refused.
  if (service::CorsPolicy::is_preflight(r.method, origin, r.header("Access-Control-Request-Method"))) return;
  auto headers = s_.cors.response_headers(origin);
  reply.headers.insert(reply.headers.end(), headers.begin(), headers.end());
}

void Gate::on_complete(const HttpRequest& r, int status, double seconds) {
  release_held(this);
  s_.metrics.request_finished(r.method, r.path, status, seconds);
}

std::string Gate::caller_key_id(const HttpRequest& r) {
  if (t_caller && !r.request_id.empty() && t_caller->request_id == r.request_id) return t_caller->key_id;
  std::string token = request_token(r);
  if (token.empty()) return {};
  auto found = s_.keys->find_by_hash(service::sha256_hex(token));
  if (!found || !*found || (*found)->revoked) return {};
  return (*found)->id;
}

Result<service::Caller> Gate::caller(const HttpRequest& r) { return s_.access->authenticate(request_token(r)); }

void Gate::record_transcription(const std::string& key_id, const std::string& engine, double audio_s,
                                double processing_s) {
  s_.access->record_transcription(key_id, engine, audio_s, processing_s);
}

void Gate::record_speech(const std::string& key_id, const std::string& engine, std::size_t characters, double audio_s,
                         double processing_s) {
  s_.access->record_speech(key_id, engine, characters, audio_s, processing_s);
}

}  // namespace vox::server
