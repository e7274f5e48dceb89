#include "vox/service/route_access.h"

namespace vox::service {

namespace {
bool starts_with(const std::string& s, const char* prefix) { return s.rfind(prefix, 0) == 0; }
}  // namespace

RouteAccess classify_route(const std::string& method, const std::string& path) {
  RouteAccess a;
  bool api = path == "/v1" || starts_with(path, "/v1/");
  // Any method on the legacy paths: their only routes are protected ones, never static files.
  bool legacy = path == "/transcribe" || path == "/speak" || starts_with(path, "/transcribe/") ||
                starts_with(path, "/speak/");
  a.needs_key = api || legacy;
  a.is_job = a.needs_key && method == "POST" &&
             (starts_with(path, "/v1/audio/") || path == "/v1/jobs" || legacy);
  return a;
}

}  // namespace vox::service
