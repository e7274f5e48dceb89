#include "vox/service/cors_policy.h"

#include <algorithm>
#include <cctype>

namespace vox::service {

namespace {

// Reflects the requested header names if every one is a valid token; the origin is already trusted
// and the OpenAI browser SDK sends several x-stainless-* headers we cannot enumerate.
std::string allowed_headers(const std::string& requested) {
  const std::string fallback = "Authorization, Content-Type";
  if (requested.empty()) return fallback;
  for (unsigned char c : requested) {
    bool ok = std::isalnum(c) || c == '-' || c == '_' || c == ',' || c == ' ' || c == '\t';
    if (!ok) return fallback;
  }
  return requested;
}

bool allowed_method(std::string m) {
  std::transform(m.begin(), m.end(), m.begin(), [](unsigned char c) { return std::toupper(c); });
  return m == "GET" || m == "POST" || m == "DELETE" || m == "OPTIONS" || m == "HEAD";
}

}  // namespace

CorsPolicy::CorsPolicy(std::vector<std::string> origins) {
  for (auto& o : origins) {
    while (!o.empty() && o.back() == '/') o.pop_back();  // "https://a.example/" names the same origin
    if (o == "*") any_ = true;
    else if (!o.empty()) origins_.push_back(o);
  }
  if (any_) origins_.push_back("*");
}

bool CorsPolicy::allows_origin(const std::string& origin) const {
  if (origin.empty() || origin == "null") return false;  // opaque origins (file://, sandboxes) never match a list
  if (any_) return true;
  return std::find(origins_.begin(), origins_.end(), origin) != origins_.end();
}

bool CorsPolicy::is_preflight(const std::string& method, const std::string& origin, const std::string& request_method) {
  return method == "OPTIONS" && !origin.empty() && !request_method.empty();
}

PreflightAnswer CorsPolicy::preflight(const std::string& origin, const std::string& request_method,
                                      const std::string& request_headers) const {
  PreflightAnswer a;
  if (!any_) a.headers.emplace_back("Vary", "Origin, Access-Control-Request-Method, Access-Control-Request-Headers");
  if (!allows_origin(origin) || !allowed_method(request_method)) {
    a.status = 403;
    return a;
  }
  a.headers.emplace_back("Access-Control-Allow-Origin", any_ ? "*" : origin);
  a.headers.emplace_back("Access-Control-Allow-Methods", kAllowedMethods);
  a.headers.emplace_back("Access-Control-Allow-Headers", allowed_headers(request_headers));
  a.headers.emplace_back("Access-Control-Max-Age", std::to_string(kMaxAgeS));
  return a;
}

HeaderList CorsPolicy::response_headers(const std::string& origin) const {
  HeaderList h;
  if (!enabled()) return h;
  if (!any_) h.emplace_back("Vary", "Origin");
  if (!allows_origin(origin)) return h;
  h.emplace_back("Access-Control-Allow-Origin", any_ ? "*" : origin);
  // Lets browser clients read the rate-limit wait and the id to quote in bug reports.
  h.emplace_back("Access-Control-Expose-Headers", "Retry-After, X-Request-Id, Content-Disposition");
  return h;
}

}  // namespace vox::service
